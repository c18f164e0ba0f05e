// mdp plugin SDK — header-only C++ convenience over the C ABI in plugin_api.h.
//
// A plugin author writes one class derived from mdp::sdk::Provider and one macro:
//
//   class MyProvider : public mdp::sdk::Provider {
//    public:
//     MyProvider(mdp::sdk::Host host, std::string instance_name, std::string_view config_json)
//         : Provider(host) { ... }   // validate the config; throw ConfigProblem to reject it
//     void start() override;   // throw to fail start; the message reaches the status page
//     void stop() override;    // join your threads
//   };
//   MDP_PLUGIN(MyProvider, "my-id", "My provider", "1.0.0", "Vendor", "What it does",
//              "https://example.com/docs")   // the url is optional
//
// Exceptions never cross the C boundary: the adapters below turn them into error returns
// (create/start) or host log messages (stop/feedback); a ConfigProblem thrown by the
// constructor also reaches the host with its JSON path as data (MDP_HOST_CONFIG_PROBLEM_ID).
// Nothing here allocates on the publish path. docs/writing-a-provider.md is the reference.
#ifndef MDP_PLUGIN_HPP
#define MDP_PLUGIN_HPP

#include <mdp/plugin_api.h>
#include <mdp/sdk/config_problem.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>

// The ABI minor this plugin needs: the oldest whose structs it fills in. Define it (before
// including this header, or with mdp_add_provider_plugin(... ABI_MINOR n)) only when the
// plugin uses something newer than what MDP_PLUGIN works out by itself; see
// detail::stamped_abi_version below.
#ifndef MDP_PLUGIN_ABI_MINOR
#define MDP_PLUGIN_ABI_MINOR 0
#endif
static_assert(MDP_PLUGIN_ABI_MINOR <= MDP_ABI_VERSION_MINOR, "MDP_PLUGIN_ABI_MINOR is newer than this SDK");

namespace mdp::sdk {

// Log levels of Host::log (the C ABI's MDP_LOG_* values).
enum class LogLevel : std::int32_t {
    trace = MDP_LOG_TRACE,
    debug = MDP_LOG_DEBUG,
    info = MDP_LOG_INFO,
    warn = MDP_LOG_WARN,
    error = MDP_LOG_ERROR,
};

// The states a provider reports with Host::report_state (the host sets the others:
// loaded, starting, stopping, stopped).
enum class State : std::int32_t {
    running = MDP_STATE_RUNNING,  // producing (or idle by design, e.g. a finished replay)
    degraded = MDP_STATE_DEGRADED,  // alive but not delivering, e.g. reconnecting
    failed = MDP_STATE_FAILED,  // gave up; the detail is shown as the error
};

// Copies `text` into a fixed-size C char array, truncating and always terminating.
template <std::size_t N>
inline void copy_fixed(char (&destination)[N], std::string_view text) noexcept {
    const std::size_t length = std::min(text.size(), N - 1);
    if (length != 0) {  // an empty view may carry a null data(); memcpy must not see it
        std::memcpy(destination, text.data(), length);
    }
    destination[length] = '\0';
}

// Writes `message` into a host-owned error buffer (may be NULL / zero-sized).
inline void write_error(char* buffer, std::size_t capacity, std::string_view message) noexcept {
    if (buffer == nullptr || capacity == 0) {
        return;
    }
    const std::size_t length = std::min(message.size(), capacity - 1);
    std::memcpy(buffer, message.data(), length);
    buffer[length] = '\0';
}

// What one Host::publish call did.
struct PublishResult {
    std::int32_t code = MDP_OK;  // MDP_ERROR: the host rejected the call as malformed
    std::uint32_t accepted = 0;  // records the queue took; the rest were dropped (counted)
    int level = MDP_LEVEL_OK;  // backpressure level right after the call (MDP_LEVEL_*)
    double rate_scale = 1.0;  // this provider's rate scale right after the call
    [[nodiscard]] bool ok() const noexcept { return code == MDP_OK; }
};

// Thin value wrapper over the host services table; cheap to copy. Valid from the
// provider's construction until its destruction. All functions are [any-thread].
class Host {
   public:
    explicit Host(const mdp_host_t* host) noexcept : host_(host) {}

    // Publishes records (all built by the helpers below, so they share one size).
    // May block under the `block` overflow policy; see mdp_host_t.publish.
    PublishResult publish(std::span<const mdp_event_t> events) const noexcept {
        mdp_publish_result_t result{};
        result.size = sizeof(result);
        std::int32_t code = MDP_OK;
        if (events.empty()) {
            result.rate_scale = rate_scale();
        } else {
            code = host_->publish(host_, events.data(), static_cast<std::uint32_t>(events.size()), &result);
        }
        return {code, result.accepted, result.level, result.rate_scale};
    }

    // 0.0..1.0: run at this fraction of the configured rate; 0 = pause. Never blocks.
    [[nodiscard]] double rate_scale() const noexcept { return host_->rate_scale(host_); }
    // Wall clock, UTC nanoseconds since the epoch: use it for receive_time_ns.
    [[nodiscard]] std::int64_t now_ns() const noexcept { return host_->now_ns(host_); }

    // Through the host's logger, prefixed with the instance name.
    void log(LogLevel level, const std::string& message) const noexcept {
        host_->log(host_, static_cast<std::int32_t>(level), message.c_str());
    }
    // State and a detail for the status page (at most 511 bytes are kept).
    void report_state(State state, const std::string& detail) const noexcept {
        host_->report_state(host_, static_cast<std::int32_t>(state), detail.c_str());
    }
    [[deprecated("use log(mdp::sdk::LogLevel, ...)")]] void log(int level, const std::string& message) const noexcept {
        host_->log(host_, level, message.c_str());
    }
    [[deprecated("use report_state(mdp::sdk::State, ...)")]] void report_state(
        int state, const std::string& detail) const noexcept {
        host_->report_state(host_, state, detail.c_str());
    }

    // A host extension by id (MDP_HOST_*_ID), or nullptr when this host has none.
    [[nodiscard]] const void* extension(const char* id) const noexcept { return host_->get_extension(host_, id); }
    [[nodiscard]] const mdp_host_t* raw() const noexcept { return host_; }

    // The directory relative paths in the config resolve against: the host config file's
    // directory (MDP_HOST_CONFIG_LOCATION_ID); the working directory on a host without it.
    [[nodiscard]] std::filesystem::path config_directory() const {
        const auto* location = static_cast<const mdp_host_config_location_t*>(extension(MDP_HOST_CONFIG_LOCATION_ID));
        if (location != nullptr && location->size >= sizeof(mdp_host_config_location_t) &&
            location->base_directory != nullptr) {
            return location->base_directory;
        }
        return std::filesystem::current_path();
    }

    // `path` from the provider's config resolved the way the host resolves its own paths:
    // absolute paths as they are, relative ones against config_directory().
    [[nodiscard]] std::filesystem::path resolve_path(const std::filesystem::path& path) const {
        return (path.is_absolute() ? path : config_directory() / path).lexically_normal();
    }

   private:
    const mdp_host_t* host_;
};

// ---------------------------------------------------------------- event builders

inline mdp_event_t make_event(std::uint16_t type, std::string_view symbol, std::int64_t event_time_ns,
                              std::int64_t receive_time_ns, std::uint16_t flags = 0) noexcept {
    mdp_event_t event{};
    event.size = sizeof(mdp_event_t);
    event.type = type;
    event.flags = flags;
    event.event_time_ns = event_time_ns;
    event.receive_time_ns = receive_time_ns;
    copy_fixed(event.symbol, symbol);
    return event;
}

inline mdp_event_t make_quote(std::string_view symbol, std::int64_t event_time_ns, std::int64_t receive_time_ns,
                              const mdp_quote_t& quote, std::uint16_t flags = 0) noexcept {
    mdp_event_t event = make_event(MDP_EVENT_QUOTE, symbol, event_time_ns, receive_time_ns, flags);
    event.body.quote = quote;
    return event;
}

inline mdp_event_t make_trade(std::string_view symbol, std::int64_t event_time_ns, std::int64_t receive_time_ns,
                              double price, double size, std::string_view exchange = {},
                              std::string_view conditions = {}, std::uint16_t flags = 0) noexcept {
    mdp_event_t event = make_event(MDP_EVENT_TRADE, symbol, event_time_ns, receive_time_ns, flags);
    event.body.trade.price = price;
    event.body.trade.size = size;
    copy_fixed(event.body.trade.exchange, exchange);
    copy_fixed(event.body.trade.conditions, conditions);
    return event;
}

inline mdp_event_t make_bar(std::string_view symbol, std::int64_t start_time_ns, std::int64_t receive_time_ns,
                            const mdp_bar_t& bar, std::uint16_t flags = 0) noexcept {
    mdp_event_t event = make_event(MDP_EVENT_BAR, symbol, start_time_ns, receive_time_ns, flags);
    event.body.bar = bar;
    return event;
}

// ---------------------------------------------------------------- threads

// Starts a provider thread whose escaping exceptions are turned into a FAILED state report
// ("thread <name> threw: <what>") instead of terminating the host process. The host's
// supervisor then restarts the provider according to its restart policy.
template <typename Body>
std::thread start_guarded_thread(Host host, std::string name, Body body) {
    return std::thread([host, name = std::move(name), body = std::move(body)]() mutable {
        try {
            body();
        } catch (const std::exception& error) {
            host.report_state(State::failed, "thread " + name + " threw: " + error.what());
        } catch (...) {
            host.report_state(State::failed, "thread " + name + " threw an unknown exception");
        }
    });
}

// ---------------------------------------------------------------- provider base

// Base class for providers. Thread contract follows mdp_provider_t: the constructor and the
// destructor run on the host's control thread; start(), stop() and reconfigure() each on a
// helper thread the control thread starts for that call and waits for up to its deadline
// (restart.start_timeout_ms / stop_timeout_ms). These calls never overlap and each begins after
// the previous one returned, but not necessarily on the same thread. on_feedback() runs on
// the host's feedback thread and must not block.
class Provider {
   public:
    // Keeps the host services for host(); pass the Host your constructor received.
    explicit Provider(Host host) noexcept : host_(host) {}
    // For providers that keep the Host themselves (host() is then unavailable).
    Provider() noexcept : host_(nullptr) {}
    Provider(const Provider&) = delete;
    Provider& operator=(const Provider&) = delete;
    virtual ~Provider() = default;

    virtual void start() = 0;
    virtual void stop() = 0;
    virtual void on_feedback(const mdp_feedback_t& /*feedback*/) {}
    // [control-thread: a helper thread, see above] Takes a new "config" (JSON text) while
    // running or stopped: returns true once applied, false when this change needs a restart
    // (nothing changed; the host then stops this instance and creates a new one). Throws for
    // an invalid config, leaving the provider as it was. The default: every change needs a
    // restart.
    virtual bool reconfigure(std::string_view /*config_json*/) { return false; }

   protected:
    // The host services of this instance; valid for the provider's whole life. [any-thread]
    [[nodiscard]] const Host& host() const noexcept { return host_; }

   private:
    Host host_;
};

// ---------------------------------------------------------------- C adapters

namespace detail {

// The C object handed to the host; owns the C++ provider.
struct ProviderBox {
    mdp_provider_t table{};
    Host host;
    std::unique_ptr<Provider> provider;
};

inline ProviderBox* box_of(mdp_provider_t* provider) noexcept {
    return static_cast<ProviderBox*>(provider->provider_data);
}

// Hands the problem's JSON path to the host as data, when the host takes it.
inline void report_config_problem(const mdp_host_t* host, const ConfigProblem& problem) noexcept {
    const auto* extension =
        host != nullptr && host->get_extension != nullptr
            ? static_cast<const mdp_host_config_problem_t*>(host->get_extension(host, MDP_HOST_CONFIG_PROBLEM_ID))
            : nullptr;
    if (extension != nullptr && extension->size >= sizeof(mdp_host_config_problem_t) && extension->report != nullptr) {
        extension->report(host, problem.path().c_str(), problem.message().c_str());
    }
}

inline void log_exception(const Host& host, const char* where) noexcept {
    try {
        throw;
    } catch (const std::exception& error) {
        host.log(LogLevel::error, std::string(where) + ": " + error.what());
    } catch (...) {
        host.log(LogLevel::error, std::string(where) + ": unknown exception");
    }
}

inline std::string describe_current_exception() {
    try {
        throw;
    } catch (const ConfigProblem& problem) {
        return problem.what();
    } catch (const std::exception& error) {
        return error.what();
    } catch (...) {
        return "unknown exception";
    }
}

inline int32_t start_adapter(mdp_provider_t* provider, char* error, std::size_t error_capacity) noexcept {
    try {
        box_of(provider)->provider->start();
        return MDP_OK;
    } catch (...) {
        write_error(error, error_capacity, describe_current_exception());
        return MDP_ERROR;
    }
}

inline void stop_adapter(mdp_provider_t* provider) noexcept {
    ProviderBox* box = box_of(provider);
    try {
        box->provider->stop();
    } catch (...) {
        log_exception(box->host, "stop");
    }
}

inline void destroy_adapter(mdp_provider_t* provider) noexcept {
    ProviderBox* box = box_of(provider);
    try {
        box->provider.reset();
    } catch (...) {
        log_exception(box->host, "destroy");
    }
    delete box;
}

inline void feedback_adapter(mdp_provider_t* provider, const mdp_feedback_t* feedback) noexcept {
    ProviderBox* box = box_of(provider);
    try {
        mdp_feedback_t copy{};
        std::memcpy(&copy, feedback, std::min<std::size_t>(sizeof(copy), feedback->size));
        box->provider->on_feedback(copy);
    } catch (...) {
        log_exception(box->host, "on_feedback");
    }
}

inline int32_t reconfigure_adapter(mdp_provider_t* provider, const char* config_json, char* error,
                                   std::size_t error_capacity) noexcept {
    try {
        return box_of(provider)->provider->reconfigure(std::string_view(config_json ? config_json : ""))
                   ? MDP_OK
                   : MDP_RECONFIGURE_NEEDS_RESTART;
    } catch (...) {
        write_error(error, error_capacity, describe_current_exception());
        return MDP_ERROR;
    }
}

inline constexpr mdp_provider_reconfigure_t kReconfigureExtension = {sizeof(mdp_provider_reconfigure_t),
                                                                     &reconfigure_adapter};

template <typename ProviderType>
mdp_provider_t* create_adapter(const mdp_provider_factory_t* /*factory*/, const mdp_host_t* host,
                               const char* instance_name, const char* config_json, char* error,
                               std::size_t error_capacity) noexcept {
    try {
        auto box = std::make_unique<ProviderBox>(ProviderBox{{}, Host(host), nullptr});
        // NULL is outside the contract, but must not crash the host: read it as empty.
        box->provider = std::make_unique<ProviderType>(Host(host), std::string(instance_name ? instance_name : ""),
                                                       std::string_view(config_json ? config_json : ""));
        box->table.size = sizeof(mdp_provider_t);
        box->table.provider_data = box.get();
        box->table.start = start_adapter;
        box->table.stop = stop_adapter;
        box->table.destroy = destroy_adapter;
        box->table.on_feedback = feedback_adapter;
        return &box.release()->table;
    } catch (const ConfigProblem& problem) {
        report_config_problem(host, problem);
        write_error(error, error_capacity, problem.what());
        return nullptr;
    } catch (...) {
        write_error(error, error_capacity, describe_current_exception());
        return nullptr;
    }
}

// The ABI stamp: the oldest minor that has what this plugin fills in (the descriptor's url
// arrived in 1.1), or the plugin's own MDP_PLUGIN_ABI_MINOR when that is newer. A plugin
// that needs nothing newer than 1.0 thus loads on 1.0 hosts too.
constexpr mdp_abi_version_t stamped_abi_version(const mdp_plugin_descriptor_t& descriptor) noexcept {
    const std::uint32_t needed_by_descriptor = descriptor.url != nullptr ? 1U : 0U;
    const std::uint32_t declared = MDP_PLUGIN_ABI_MINOR;
    return {MDP_ABI_VERSION_MAJOR, std::max(needed_by_descriptor, declared), 0};
}

constexpr mdp_plugin_descriptor_t make_descriptor(const char* id, const char* name, const char* version,
                                                  const char* vendor, const char* description,
                                                  const char* url = nullptr) noexcept {
    return {sizeof(mdp_plugin_descriptor_t), id, name, version, vendor, description, url};
}

}  // namespace detail
}  // namespace mdp::sdk

// Defines the plugin's exported entry for ProviderType. Use once per plugin, at namespace
// scope in one .cpp file. The strings must be literals (they live as long as the library);
// the last one, a documentation or support url shown by --list-plugins, is optional:
//   MDP_PLUGIN(Type, "id", "Name", "1.0.0", "Vendor", "Description")
//   MDP_PLUGIN(Type, "id", "Name", "1.0.0", "Vendor", "Description", "https://...")
#define MDP_PLUGIN(ProviderType, plugin_id, plugin_name, plugin_version, plugin_vendor, ...)                     \
    namespace {                                                                                                  \
    constexpr mdp_plugin_descriptor_t mdp_sdk_descriptor =                                                       \
        ::mdp::sdk::detail::make_descriptor(plugin_id, plugin_name, plugin_version, plugin_vendor, __VA_ARGS__); \
    const mdp_provider_factory_t mdp_sdk_provider_factory = {sizeof(mdp_provider_factory_t),                     \
                                                             &::mdp::sdk::detail::create_adapter<ProviderType>}; \
    const void* mdp_sdk_get_factory(const char* factory_id) {                                                    \
        const std::string_view requested(factory_id != nullptr ? factory_id : "");                               \
        if (requested == MDP_PROVIDER_FACTORY_ID) {                                                              \
            return &mdp_sdk_provider_factory;                                                                    \
        }                                                                                                        \
        return requested == MDP_PROVIDER_RECONFIGURE_ID ? &::mdp::sdk::detail::kReconfigureExtension : nullptr;  \
    }                                                                                                            \
    }                                                                                                            \
    MDP_EXPORT_PLUGIN_ENTRY const mdp_plugin_entry_t mdp_plugin_entry = {                                        \
        sizeof(mdp_plugin_entry_t),                                                                              \
        ::mdp::sdk::detail::stamped_abi_version(mdp_sdk_descriptor),                                             \
        &mdp_sdk_descriptor,                                                                                     \
        nullptr,                                                                                                 \
        nullptr,                                                                                                 \
        &mdp_sdk_get_factory};

#endif  // MDP_PLUGIN_HPP
