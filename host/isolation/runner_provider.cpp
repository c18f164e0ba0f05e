#include "isolation/runner_provider.hpp"

#include "isolation/event_ring.hpp"
#include "isolation/message_channel.hpp"
#include "isolation/runner_protocol.hpp"
#include "isolation/settlement_translator.hpp"

#include <mdp/sdk/errno_text.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace mdp::isolation {

namespace {

// Log lines of the plugin kept for the failure detail of a crash.
constexpr std::size_t kLastLogLines = 5;
// How long the monitor sleeps with nothing to do before it copies the rate scale again.
constexpr std::chrono::milliseconds kIdleWake{20};
// A runner asked to exit (destroy) gets this long before it is killed.
constexpr int kExitGraceMs = 2000;
// Records per publish call into the host: bounds how long one call holds the monitor under
// backpressure, and lets the level and scale reach the ring between calls.
constexpr std::uint32_t kMaxRecordsPerPublish = 1024;
// The failure detail the host keeps is at most this long (mdp_host_t.report_state).
constexpr std::size_t kDetailMaxBytes = 511;

struct Reply {
    std::int32_t code = MDP_ERROR;
    std::string text;
};

void copy_error(const std::string& text, char* error, std::size_t capacity) {
    if (error == nullptr || capacity == 0) {
        return;
    }
    const std::size_t length = std::min(text.size(), capacity - 1);
    std::memcpy(error, text.data(), length);
    error[length] = '\0';
}

class RunnerProvider {
   public:
    RunnerProvider(const RunnerLaunch& launch, const mdp_host_t* host, std::string name)
        : host_(host), launch_(launch), name_(std::move(name)), ring_(EventRing::create(launch.ring_capacity)) {
        table_.size = sizeof(table_);
        table_.provider_data = this;
        table_.start = &start_entry;
        table_.stop = &stop_entry;
        table_.destroy = &destroy_entry;
        table_.on_feedback = &feedback_entry;
        ring_.control().block_when_full.store(launch.block_when_full ? 1 : 0, std::memory_order_relaxed);
        stored_acks_ = static_cast<const mdp_host_stored_acks_t*>(host_->get_extension(host_, MDP_HOST_STORED_ACKS_ID));
        publish_identified_ = static_cast<const mdp_host_publish_identified_t*>(
            host_->get_extension(host_, MDP_HOST_PUBLISH_IDENTIFIED_ID));
    }
    RunnerProvider(const RunnerProvider&) = delete;
    RunnerProvider& operator=(const RunnerProvider&) = delete;
    ~RunnerProvider() { shut_down(); }

    mdp_provider_t* table() { return &table_; }
    static RunnerProvider& self(mdp_provider_t* provider) {
        return *static_cast<RunnerProvider*>(provider->provider_data);
    }

    // [control-thread] Spawn, load, create. False with `error` set.
    // `runner_failed`: see create_in_runner().
    bool create(const char* config_json, std::string& error, bool& runner_failed);
    int32_t reconfigure(const char* config_json, std::string& error);

   private:
    static int32_t start_entry(mdp_provider_t* provider, char* error, std::size_t capacity);
    static void stop_entry(mdp_provider_t* provider);
    static void destroy_entry(mdp_provider_t* provider) { delete &self(provider); }
    static void feedback_entry(mdp_provider_t* provider, const mdp_feedback_t* feedback);

    // Sends `type` and waits for its reply for up to `timeout_ms`; on a timeout kills the
    // runner. nullopt with `error` set when no reply came.
    std::optional<Reply> call(MessageType type, const PayloadWriter& payload, std::int64_t timeout_ms, const char* what,
                              std::string& error);
    // Waits for the `loaded` or `reply` message, the runner's end or the deadline.
    std::optional<Reply> await_reply(std::chrono::steady_clock::time_point deadline);
    void shut_down();
    [[nodiscard]] bool gone() {
        std::lock_guard lock(mutex_);
        return gone_;
    }

    // ---- the monitor thread
    void monitor();
    void drain_ring();
    // Publishes the first `count` readable records, which share one origin index, and maps them
    // for settlements once the plugin subscribed.
    void publish_run(const EventRing::Readable& readable, std::uint32_t count, mdp_publish_result_t& result);
    // The plugin subscribed to stored acknowledgements: so does this instance, in the host;
    // answered.
    void subscribe_to_settlements();
    // [store thread] A range of the instance's host publish sequences settled.
    static void settled_entry(void* user_data, const mdp_stored_ack_t* ack);
    // [store thread or monitor] Posts what settled, as ring positions, to the runner.
    void forward_settlements();
    void handle(const Message& message);
    void runner_ended();
    void remember_line(const std::string& line);
    // The plugin's metric declarations, declared with the host's metrics extension; answered.
    void declare_metrics(PayloadReader& reader);
    // Copies the plugin's metric values out of the ring when one changed.
    void copy_metrics();

    const mdp_host_t* host_;
    RunnerLaunch launch_;
    std::string name_;
    EventRing ring_;
    std::unique_ptr<MessageChannel> channel_;
    std::optional<RunnerProcess> process_;
    std::thread monitor_;
    mdp_provider_t table_{};

    std::mutex mutex_;
    std::condition_variable changed_;
    std::optional<Reply> reply_;  // the answer to the call in progress
    bool gone_ = false;  // the runner ended (reaped)
    bool exit_expected_ = false;  // destroy() asked it to exit
    std::string killed_because_;  // why the host killed it ("" when it did not)
    // "runner (pid N) killed by signal SIGSEGV (...); last log lines: ..." once it ended
    std::string end_reason_;
    std::optional<std::pair<std::string, std::string>> config_problem_;  // path, message
    std::deque<std::string> last_lines_;
    std::uint64_t dropped_full_seen_ = 0;  // monitor thread only
    std::uint64_t dropped_invalid_seen_ = 0;
    std::uint32_t metrics_declared_ = 0;  // monitor thread only
    std::uint64_t metrics_version_seen_ = 0;

    // The instance's delivery extensions in the host (null when it does not offer them).
    const mdp_host_stored_acks_t* stored_acks_ = nullptr;
    const mdp_host_publish_identified_t* publish_identified_ = nullptr;
    bool mapping_ = false;  // monitor thread only: the plugin subscribed
    SettlementTranslator settlements_;  // host publish sequences -> ring positions + 1
    std::mutex forward_mutex_;  // serialises forward_settlements()
    std::vector<pipeline::SettledRange> unposted_;  // under forward_mutex_: the runner's ring was full
};

bool RunnerProvider::create(const char* config_json, std::string& error, bool& runner_failed) {
    runner_failed = true;
    std::array<int, 2> sockets{};
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets.data()) != 0) {
        error = "socketpair: " + sdk::errno_text(errno);
        return false;
    }
    channel_ = std::make_unique<MessageChannel>(sockets[0]);
    try {
        process_.emplace(RunnerProcess::spawn(launch_.command, sockets[1], ring_));
    } catch (const std::exception& failure) {
        ::close(sockets[1]);
        error = failure.what();
        return false;
    }
    ::close(sockets[1]);  // the runner's end: its exit closes the channel
    launch_.stats->set_pid(process_->pid());
    monitor_ = std::thread([this] { monitor(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(launch_.start_timeout_ms);
    const std::optional<Reply> loaded = await_reply(deadline);
    if (!loaded || loaded->code != MDP_OK) {
        std::lock_guard lock(mutex_);
        error = loaded ? loaded->text : "the runner did not load the plugin: " + end_reason_;
    }
    if (!loaded || loaded->code != MDP_OK) {
        shut_down();
        return false;
    }
    const auto* location =
        static_cast<const mdp_host_config_location_t*>(host_->get_extension(host_, MDP_HOST_CONFIG_LOCATION_ID));
    const auto* shard = static_cast<const mdp_host_shard_t*>(host_->get_extension(host_, MDP_HOST_SHARD_ID));
    PayloadWriter payload;
    payload.text(name_)
        .text(config_json != nullptr ? config_json : "{}")
        .text(location != nullptr ? location->config_file : "")
        .text(location != nullptr ? location->base_directory : "")
        .u32(shard != nullptr ? shard->index : 0)
        .u32(shard != nullptr ? shard->count : 1)
        .u32((stored_acks_ != nullptr ? kOffersStoredAcks : 0U) |
             (publish_identified_ != nullptr ? kOffersPublishIdentified : 0U));
    const std::optional<Reply> created =
        call(MessageType::create, payload, launch_.start_timeout_ms, "create()", error);
    if (created && created->code != MDP_OK) {
        error = created->text;
        runner_failed = false;  // the plugin answered: its create() refused
    }
    if (!created || created->code != MDP_OK) {
        std::optional<std::pair<std::string, std::string>> problem;
        {
            std::lock_guard lock(mutex_);
            problem = config_problem_;
        }
        const auto* reporter =
            static_cast<const mdp_host_config_problem_t*>(host_->get_extension(host_, MDP_HOST_CONFIG_PROBLEM_ID));
        if (problem && reporter != nullptr) {
            reporter->report(host_, problem->first.c_str(), problem->second.c_str());
        }
        shut_down();
        return false;
    }
    return true;
}

std::optional<Reply> RunnerProvider::await_reply(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [this] { return reply_.has_value() || gone_; });
    return std::exchange(reply_, std::nullopt);
}

std::optional<Reply> RunnerProvider::call(MessageType type, const PayloadWriter& payload, std::int64_t timeout_ms,
                                          const char* what, std::string& error) {
    if (gone() || !channel_->send(static_cast<std::uint32_t>(type), payload)) {
        std::lock_guard lock(mutex_);
        error = std::string(what) + " not run: " + (end_reason_.empty() ? "the runner is gone" : end_reason_);
        return std::nullopt;
    }
    // 3/4 of the host's deadline: the kill and the drain of the ring fit in the rest, so the
    // host's own deadline never abandons the provider as hung.
    const auto budget = std::chrono::milliseconds(timeout_ms * 3 / 4);
    std::optional<Reply> reply = await_reply(std::chrono::steady_clock::now() + budget);
    if (reply) {
        return reply;
    }
    if (!gone()) {
        {
            std::lock_guard lock(mutex_);
            killed_because_ = std::string(what) + " did not return within " + std::to_string(budget.count()) + " ms";
        }
        process_->kill();
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, std::chrono::milliseconds(timeout_ms / 8 + 1), [this] { return gone_; });
    }
    std::lock_guard lock(mutex_);
    error = std::string(what) + " failed: " + (end_reason_.empty() ? "the runner did not answer" : end_reason_);
    return std::nullopt;
}

int32_t RunnerProvider::start_entry(mdp_provider_t* provider, char* error, std::size_t capacity) {
    std::string text;
    const std::optional<Reply> reply =
        self(provider).call(MessageType::start, {}, self(provider).launch_.start_timeout_ms, "start()", text);
    if (reply && reply->code == MDP_OK) {
        return MDP_OK;
    }
    copy_error(reply ? reply->text : text, error, capacity);
    return MDP_ERROR;
}

void RunnerProvider::stop_entry(mdp_provider_t* provider) {
    std::string error;
    RunnerProvider& runner = self(provider);
    const bool answered =
        !runner.gone() &&
        runner.call(MessageType::stop, {}, runner.launch_.stop_timeout_ms, "stop()", error).has_value();
    if (!answered && runner.monitor_.joinable()) {
        // The runner is dead or dying: stop() returns once the monitor queued what the ring
        // held. A store that cannot take it is handled as for an in-process stop: the host
        // releases this instance's publishes at half its stop deadline (dropped, counted).
        runner.monitor_.join();
    }
}

void RunnerProvider::feedback_entry(mdp_provider_t* provider, const mdp_feedback_t* feedback) {
    RunnerProvider& runner = self(provider);
    runner.ring_.control().rate_scale.store(feedback->rate_scale, std::memory_order_relaxed);
    runner.ring_.control().level.store(feedback->level, std::memory_order_relaxed);
    PayloadWriter payload;
    payload.i32(feedback->level)
        .f64(feedback->rate_scale)
        .u64(feedback->queue_size)
        .u64(feedback->queue_capacity)
        .i64(feedback->timestamp_ns);
    // The feedback thread must not block: a runner that does not read (its plugin stuck in a
    // call) misses this feedback; the scale and level above still reach it.
    static_cast<void>(runner.channel_->try_send(static_cast<std::uint32_t>(MessageType::feedback), payload));
}

int32_t RunnerProvider::reconfigure(const char* config_json, std::string& error) {
    PayloadWriter payload;
    payload.text(config_json != nullptr ? config_json : "{}");
    const std::optional<Reply> reply =
        call(MessageType::reconfigure, payload, launch_.start_timeout_ms, "reconfigure()", error);
    if (!reply) {
        return MDP_ERROR;
    }
    error = reply->text;
    return reply->code;
}

void RunnerProvider::shut_down() {
    if (process_ && !gone()) {
        {
            std::lock_guard lock(mutex_);
            exit_expected_ = true;
        }
        std::string error;
        static_cast<void>(call(MessageType::destroy, {}, kExitGraceMs, "destroy()", error));
        std::unique_lock lock(mutex_);
        if (!changed_.wait_for(lock, std::chrono::milliseconds(kExitGraceMs), [this] { return gone_; })) {
            killed_because_ = "it did not exit after destroy()";
            lock.unlock();
            process_->kill();
        }
    }
    if (monitor_.joinable()) {
        monitor_.join();
    }
    launch_.stats->set_pid(0);
}

// ---------------------------------------------------------------- the monitor thread

void RunnerProvider::monitor() {
    while (true) {
        drain_ring();
        copy_metrics();
        if (mapping_) {
            forward_settlements();  // what the runner had no room for, and drops settled here
        }
        // The rate scale moves without feedback calls too (the recovery ramp): copy it.
        ring_.control().rate_scale.store(host_->rate_scale(host_), std::memory_order_relaxed);
        std::array<pollfd, 3> watched{pollfd{ring_.data_fd(), POLLIN, 0}, pollfd{channel_->fd(), POLLIN, 0},
                                      pollfd{process_->pidfd(), POLLIN, 0}};
        const bool may_sleep = ring_.consumer_may_sleep();
        const int ready = ::poll(watched.data(), watched.size(), may_sleep ? static_cast<int>(kIdleWake.count()) : 0);
        ring_.consumer_awake();
        if (ready <= 0) {
            continue;
        }
        if ((watched[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            std::optional<Message> message = channel_->receive();
            if (message) {
                drain_ring();  // a reply promises that what the call published is queued
                handle(*message);
                continue;
            }
            runner_ended();
            return;
        }
        if ((watched[2].revents & POLLIN) != 0) {
            runner_ended();
            return;
        }
    }
}

void RunnerProvider::drain_ring() {
    for (EventRing::Readable readable = ring_.readable(); readable.count != 0; readable = ring_.readable()) {
        mdp_publish_result_t result{};
        result.size = sizeof(result);
        // One host call per run of records with the same origin.
        const std::uint32_t limit = std::min(readable.count, kMaxRecordsPerPublish);
        std::uint32_t count = 1;
        while (count < limit && readable.origin_indexes[count] == readable.origin_indexes[0]) {
            ++count;
        }
        publish_run(readable, count, result);
        ring_.consume(count);
        ring_.control().level.store(result.level, std::memory_order_relaxed);
        ring_.control().rate_scale.store(result.rate_scale, std::memory_order_relaxed);
    }
    const std::uint64_t full = ring_.control().dropped_full.load(std::memory_order_relaxed);
    const std::uint64_t invalid = ring_.control().dropped_invalid.load(std::memory_order_relaxed);
    if (full != dropped_full_seen_ && launch_.count_drop) {
        launch_.count_drop(pipeline::DropReason::queue_full_newest, full - dropped_full_seen_);
    }
    if (invalid != dropped_invalid_seen_ && launch_.count_drop) {
        launch_.count_drop(pipeline::DropReason::invalid, invalid - dropped_invalid_seen_);
    }
    dropped_full_seen_ = full;
    dropped_invalid_seen_ = invalid;
}

void RunnerProvider::publish_run(const EventRing::Readable& readable, std::uint32_t count,
                                 mdp_publish_result_t& result) {
    std::uint64_t first_sequence = 0;
    std::uint64_t* first = mapping_ ? &first_sequence : nullptr;
    const std::uint32_t origin_index = readable.origin_indexes[0];
    if (origin_index == 0) {
        if (first != nullptr) {
            stored_acks_->publish(host_, readable.records, count, &result, first);
        } else {
            host_->publish(host_, readable.records, count, &result);
        }
    } else if (origin_index <= kOriginSlots && publish_identified_ != nullptr) {
        // Copied out of the shared table, bounded: the runner's memory is not trusted.
        const OriginText& text = ring_.origin_text(origin_index);
        const std::string provider(text.provider.data(), ::strnlen(text.provider.data(), text.provider.size() - 1));
        const std::string run_id(text.run_id.data(), ::strnlen(text.run_id.data(), text.run_id.size() - 1));
        const mdp_event_origin_t origin{sizeof(mdp_event_origin_t), provider.c_str(), run_id.c_str()};
        publish_identified_->publish(host_, &origin, readable.records, readable.origin_sequences, count, &result,
                                     first);
    } else if (launch_.count_drop) {
        launch_.count_drop(pipeline::DropReason::invalid, count);  // an origin the runner never wrote
    }
    if (mapping_) {
        const std::uint64_t position = readable.position + 1;
        if (first_sequence != 0) {
            settlements_.map(position, first_sequence, count);
        } else {
            settlements_.map_dropped(position, count);
        }
    }
}

void RunnerProvider::subscribe_to_settlements() {
    // The host's control thread is inside this instance's create() or start(), waiting for
    // the runner: the subscription window is open.
    const int32_t code = stored_acks_ != nullptr ? stored_acks_->subscribe(host_, &settled_entry, this)
                                                 : static_cast<int32_t>(MDP_ERROR);
    if (code == MDP_OK && !mapping_) {
        settlements_.clear();
        mapping_ = true;
    }
    PayloadWriter answer;
    answer.i32(code).text("");
    static_cast<void>(channel_->send(static_cast<std::uint32_t>(MessageType::subscribed), answer));
}

void RunnerProvider::settled_entry(void* user_data, const mdp_stored_ack_t* ack) {
    auto& runner = *static_cast<RunnerProvider*>(user_data);
    runner.settlements_.settle(ack->first_sequence, ack->last_sequence, pipeline::settlement_of(ack->outcome));
    runner.forward_settlements();
}

void RunnerProvider::forward_settlements() {
    std::lock_guard lock(forward_mutex_);
    settlements_.take(unposted_);
    std::size_t posted = 0;
    while (posted < unposted_.size() && ring_.post_settled(unposted_[posted])) {
        ++posted;
    }
    unposted_.erase(unposted_.begin(), unposted_.begin() + static_cast<std::ptrdiff_t>(posted));
    if (posted != 0) {
        ring_.wake_settled();
    }
    if (gone()) {
        unposted_.clear();  // nobody will read them
    }
}

void RunnerProvider::remember_line(const std::string& line) {
    std::lock_guard lock(mutex_);
    last_lines_.push_back(line);
    if (last_lines_.size() > kLastLogLines) {
        last_lines_.pop_front();
    }
}

void RunnerProvider::handle(const Message& message) {
    try {
        PayloadReader reader(message.payload);
        switch (static_cast<MessageType>(message.type)) {
            case MessageType::loaded:
            case MessageType::reply: {
                Reply reply;
                reply.code = reader.i32();
                reply.text = reader.text();
                std::lock_guard lock(mutex_);
                reply_ = std::move(reply);
                changed_.notify_all();
                return;
            }
            case MessageType::log: {
                const std::int32_t level = reader.i32();
                const std::string text = reader.text();
                remember_line(text);
                host_->log(host_, level, text.c_str());
                return;
            }
            case MessageType::state: {
                const std::int32_t state = reader.i32();
                const std::string detail = reader.text();
                host_->report_state(host_, state, detail.c_str());
                return;
            }
            case MessageType::metrics_declare:
                declare_metrics(reader);
                return;
            case MessageType::subscribe:
                subscribe_to_settlements();
                return;
            case MessageType::config_problem: {
                std::string path = reader.text();
                std::string text = reader.text();
                std::lock_guard lock(mutex_);
                config_problem_.emplace(std::move(path), std::move(text));
                return;
            }
            default:
                host_->log(host_, MDP_LOG_WARN,
                           ("runner sent an unknown control message " + std::to_string(message.type)).c_str());
        }
    } catch (const MalformedMessage& malformed) {
        host_->log(host_, MDP_LOG_WARN, malformed.what());
    }
}

void RunnerProvider::declare_metrics(PayloadReader& reader) {
    const std::uint32_t count = reader.u32();
    if (count > MDP_METRICS_MAX) {
        throw MalformedMessage("metrics_declare: " + std::to_string(count) + " metrics, at most " +
                               std::to_string(MDP_METRICS_MAX));
    }
    struct Declared {
        std::string name;
        std::string help;
        std::int32_t kind = 0;
    };
    std::vector<Declared> declared(count);  // alive during declare(): it points into them
    for (Declared& metric : declared) {
        metric.name = reader.text();
        metric.help = reader.text();
        metric.kind = reader.i32();
    }
    std::vector<mdp_metric_declaration_t> declarations;
    declarations.reserve(count);
    for (const Declared& metric : declared) {
        declarations.push_back({sizeof(mdp_metric_declaration_t), metric.name.c_str(),
                                metric.help.empty() ? nullptr : metric.help.c_str(), metric.kind});
    }
    const auto* metrics = static_cast<const mdp_host_metrics_t*>(host_->get_extension(host_, MDP_HOST_METRICS_ID));
    const int32_t code = metrics != nullptr ? metrics->declare(host_, declarations.data(), count) : MDP_ERROR;
    if (code == MDP_OK) {
        metrics_declared_ = count;
    }
    PayloadWriter answer;
    answer.i32(code).text("");
    static_cast<void>(channel_->send(static_cast<std::uint32_t>(MessageType::declared), answer));
}

void RunnerProvider::copy_metrics() {
    const std::uint64_t version = ring_.control().metrics_version.load(std::memory_order_acquire);
    if (version == metrics_version_seen_ || metrics_declared_ == 0) {
        return;
    }
    metrics_version_seen_ = version;
    const auto* metrics = static_cast<const mdp_host_metrics_t*>(host_->get_extension(host_, MDP_HOST_METRICS_ID));
    for (std::uint32_t index = 0; metrics != nullptr && index < metrics_declared_; ++index) {
        metrics->set(host_, index, ring_.control().metric_values[index].load(std::memory_order_relaxed));
    }
}

void RunnerProvider::runner_ended() {
    drain_ring();
    std::optional<RunnerExit> exit = process_->reap(kExitGraceMs);
    if (!exit) {
        process_->kill();  // it closed the channel but keeps running: not a runner any more
        exit = process_->reap(-1);
    }
    drain_ring();  // everything it wrote before it died
    copy_metrics();
    std::string reason = "runner (pid " + std::to_string(process_->pid()) + ") " + exit->description();
    bool crashed = false;
    std::string lines;
    {
        std::lock_guard lock(mutex_);
        crashed = !exit_expected_ || !killed_because_.empty() || exit->signaled || exit->code != 0;
        if (!killed_because_.empty()) {
            reason += " after " + killed_because_;
        }
        for (const std::string& line : last_lines_) {
            lines += (lines.empty() ? "" : " | ") + line;
        }
    }
    std::string detail = reason + (lines.empty() ? "" : "; last log lines: " + lines);
    if (detail.size() > kDetailMaxBytes) {
        detail.resize(kDetailMaxBytes);
    }
    if (crashed) {
        launch_.stats->count_crash(exit->signal_label());
        host_->log(host_, MDP_LOG_ERROR, detail.c_str());
    }
    launch_.stats->set_pid(0);
    {
        std::lock_guard lock(mutex_);
        end_reason_ = detail;
        gone_ = true;
        changed_.notify_all();
    }
    if (crashed) {
        host_->report_state(host_, MDP_STATE_FAILED, detail.c_str());
    }
}

}  // namespace

mdp_provider_t* create_in_runner(const RunnerLaunch& launch, const mdp_host_t* host, const char* instance_name,
                                 const char* config_json, std::string& error, bool& runner_failed) {
    runner_failed = true;
    try {
        auto provider = std::make_unique<RunnerProvider>(launch, host, instance_name);
        if (!provider->create(config_json, error, runner_failed)) {
            return nullptr;
        }
        return provider.release()->table();
    } catch (const std::exception& failure) {
        error = std::string("cannot run the provider isolated: ") + failure.what();
        return nullptr;
    }
}

int32_t reconfigure_in_runner(mdp_provider_t* provider, const char* config_json, char* error,
                              std::size_t error_capacity) {
    std::string text;
    const int32_t code = RunnerProvider::self(provider).reconfigure(config_json, text);
    copy_error(text, error, error_capacity);
    return code;
}

std::string default_runner_path() {
    // Read once per isolated create on the control thread; the host sets no variables.
    if (const char* configured = std::getenv("MDP_PROVIDER_RUNNER")) {  // NOLINT(concurrency-mt-unsafe)
        return configured;
    }
    std::error_code error;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    return (self.parent_path() / "mdp-provider-runner").string();
}

}  // namespace mdp::isolation
