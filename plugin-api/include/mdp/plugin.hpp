// mdp plugin SDK — header-only C++ convenience over the C ABI in plugin_api.h.
//
// A plugin author writes one class derived from mdp::sdk::Provider and one macro:
//
//   class MyProvider : public mdp::sdk::Provider {
//    public:
//     MyProvider(mdp::sdk::Host host, std::string instance_name, std::string_view config_json);
//     void start() override;   // throw to fail start; the message reaches the status page
//     void stop() override;    // join your threads
//   };
//   MDP_PLUGIN(MyProvider, "my-id", "My provider", "1.0.0", "Vendor", "What it does")
//
// Exceptions never cross the C boundary: the adapters below turn them into error returns
// (create/start) or host log messages (stop/feedback). Nothing here allocates on the
// publish path.
#ifndef MDP_PLUGIN_HPP
#define MDP_PLUGIN_HPP

#include <mdp/plugin_api.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <exception>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>

namespace mdp::sdk {

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

struct PublishResult {
    std::uint32_t accepted = 0;
    int level = MDP_LEVEL_OK;
    double rate_scale = 1.0;
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
        if (events.empty()) {
            result.rate_scale = rate_scale();
        } else {
            host_->publish(host_, events.data(), static_cast<std::uint32_t>(events.size()), &result);
        }
        return {result.accepted, result.level, result.rate_scale};
    }

    [[nodiscard]] double rate_scale() const noexcept { return host_->rate_scale(host_); }
    [[nodiscard]] std::int64_t now_ns() const noexcept { return host_->now_ns(host_); }

    void log(int level, const std::string& message) const noexcept { host_->log(host_, level, message.c_str()); }
    void report_state(int state, const std::string& detail) const noexcept {
        host_->report_state(host_, state, detail.c_str());
    }
    [[nodiscard]] const void* extension(const char* id) const noexcept { return host_->get_extension(host_, id); }
    [[nodiscard]] const mdp_host_t* raw() const noexcept { return host_; }

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
            host.report_state(MDP_STATE_FAILED, "thread " + name + " threw: " + error.what());
        } catch (...) {
            host.report_state(MDP_STATE_FAILED, "thread " + name + " threw an unknown exception");
        }
    });
}

// ---------------------------------------------------------------- provider base

// Base class for providers. Thread contract follows mdp_provider_t: the constructor,
// start(), stop() and the destructor run on the host's control thread; on_feedback()
// runs on the host's feedback thread and must not block.
class Provider {
   public:
    Provider() = default;
    Provider(const Provider&) = delete;
    Provider& operator=(const Provider&) = delete;
    virtual ~Provider() = default;

    virtual void start() = 0;
    virtual void stop() = 0;
    virtual void on_feedback(const mdp_feedback_t& /*feedback*/) {}
    // [control-thread] Takes a new "config" (JSON text) while running or stopped: returns
    // true once applied, false when this change needs a restart (nothing changed; the host
    // then stops this instance and creates a new one). Throws for an invalid config, leaving
    // the provider as it was. The default: every change needs a restart.
    virtual bool reconfigure(std::string_view /*config_json*/) { return false; }
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

inline void log_exception(const Host& host, const char* where) noexcept {
    try {
        throw;
    } catch (const std::exception& error) {
        host.log(MDP_LOG_ERROR, std::string(where) + ": " + error.what());
    } catch (...) {
        host.log(MDP_LOG_ERROR, std::string(where) + ": unknown exception");
    }
}

inline std::string describe_current_exception() {
    try {
        throw;
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
    } catch (...) {
        write_error(error, error_capacity, describe_current_exception());
        return nullptr;
    }
}

}  // namespace detail
}  // namespace mdp::sdk

// Defines the plugin's exported entry for ProviderType. Use once per plugin, at namespace
// scope in one .cpp file. The strings must be literals (they live as long as the library).
#define MDP_PLUGIN(ProviderType, plugin_id, plugin_name, plugin_version, plugin_vendor, plugin_description)          \
    namespace {                                                                                                      \
    const mdp_plugin_descriptor_t mdp_sdk_descriptor = {sizeof(mdp_plugin_descriptor_t),                             \
                                                        plugin_id,                                                   \
                                                        plugin_name,                                                 \
                                                        plugin_version,                                              \
                                                        plugin_vendor,                                               \
                                                        plugin_description,                                          \
                                                        nullptr};                                                    \
    const mdp_provider_factory_t mdp_sdk_provider_factory = {sizeof(mdp_provider_factory_t),                         \
                                                             &::mdp::sdk::detail::create_adapter<ProviderType>};     \
    const void* mdp_sdk_get_factory(const char* factory_id) {                                                        \
        const std::string_view requested(factory_id != nullptr ? factory_id : "");                                   \
        if (requested == MDP_PROVIDER_FACTORY_ID) {                                                                  \
            return &mdp_sdk_provider_factory;                                                                        \
        }                                                                                                            \
        return requested == MDP_PROVIDER_RECONFIGURE_ID ? &::mdp::sdk::detail::kReconfigureExtension : nullptr;      \
    }                                                                                                                \
    }                                                                                                                \
    MDP_EXPORT_PLUGIN_ENTRY const mdp_plugin_entry_t                                                                 \
        mdp_plugin_entry = {sizeof(mdp_plugin_entry_t), MDP_ABI_VERSION_INIT, &mdp_sdk_descriptor, nullptr, nullptr, \
                            &mdp_sdk_get_factory};

#endif  // MDP_PLUGIN_HPP
