#include "nats_provider.hpp"

#include <mdp/wire/nats_client.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace mdp::nats_provider {

namespace {

constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
constexpr std::int64_t kNanosecondsPerMillisecond = 1'000'000;
constexpr auto kPauseCheck = std::chrono::milliseconds(100);  // longest wait of a paused fetcher
constexpr auto kBindRetry = std::chrono::seconds(1);  // while the stream or consumer is missing

std::optional<std::string_view> format_header(natsMsg* message) {
    const char* value = nullptr;
    if (natsMsgHeader_Get(message, std::string(wire::kFormatHeader).c_str(), &value) != NATS_OK || value == nullptr) {
        return std::nullopt;
    }
    return std::string_view(value);
}

bool was_redelivered(natsMsg* message) {
    jsMsgMetaData* metadata = nullptr;
    if (natsMsg_GetMetaData(&metadata, message) != NATS_OK) {
        return false;
    }
    const bool redelivered = metadata->NumDelivered > 1;
    jsMsgMetaData_Destroy(metadata);
    return redelivered;
}

ConsumerConfig read_config(const sdk::Host& host, std::string_view config_json) {
    return parse_consumer_config(config_json, host, nats_environment());
}

}  // namespace

NatsProvider::NatsProvider(sdk::Host host, std::string instance_name, std::string_view config_json)
    : Provider(host), instance_name_(std::move(instance_name)), config_(read_config(host, config_json)),
      stored_acks_(host), publisher_(host), metrics_(ConsumerStats::declare_metrics(host)) {
    if (!stored_acks_.available() || !publisher_.available()) {
        throw sdk::ConfigProblem("", "this host is too old for the nats provider: it needs the host extensions " +
                                         std::string(MDP_HOST_STORED_ACKS_ID) + " and " +
                                         MDP_HOST_PUBLISH_IDENTIFIED_ID);
    }
}

void NatsProvider::start() {
    consumer_ = std::make_unique<JetStreamConsumer>(config_, instance_name_);
    if (!stored_acks_.subscribe(*this)) {
        throw ConsumerError("the host refused the stored-acks subscription");
    }
    waiting_for_.clear();
    (void)bind_if_needed();  // a missing stream is waited for on the fetch thread
    next_report_ns_ = 0;
    fetching_ = true;
    acking_ = true;
    ack_thread_ = std::thread([this] { ack_loop(); });
    fetch_thread_ = std::thread([this] { fetch_loop(); });
}

void NatsProvider::stop() {
    if (!fetch_thread_.joinable()) {
        return;
    }
    fetching_ = false;
    wake_fetcher();
    fetch_thread_.join();
    acking_ = false;
    ledger_.wake();
    ack_thread_.join();
    // The queue stays open while stop() runs: acknowledge what the store settles, until the
    // ledger is empty or the drain deadline passes (this thread is the only taker now).
    const auto deadline = std::chrono::steady_clock::now() + config_.stop_drain_timeout;
    settle_done();
    while (ledger_.size() > 0 && std::chrono::steady_clock::now() < deadline) {
        ledger_.wait_for_change(
            std::min<std::chrono::steady_clock::duration>(deadline - std::chrono::steady_clock::now(), kPauseCheck));
        settle_done();
    }
    const std::vector<natsMsg*> unsettled = ledger_.take_all();
    for (natsMsg* message : unsettled) {
        (void)natsMsg_Nak(message, nullptr);
        natsMsg_Destroy(message);
    }
    if (!unsettled.empty()) {
        host().log(sdk::LogLevel::warn, "nats: stop handed back " + std::to_string(unsettled.size()) +
                                            " messages not yet stored (nakked: redelivered to another replica)");
    }
    stats_.messages_nakked += unsettled.size();
    stats_.publish(metrics_, 0);
    consumer_.reset();
}

void NatsProvider::wake_fetcher() {
    {
        std::lock_guard lock(wake_mutex_);
        ++wakeups_;
    }
    wake_.notify_all();
}

int NatsProvider::wait_for_fetch_batch() {
    while (fetching_) {
        const double scale = host().rate_scale();
        if (scale > 0.0) {
            return std::max(1, static_cast<int>(std::ceil(config_.fetch_batch * scale)));
        }
        report_state_if_due();
        std::unique_lock lock(wake_mutex_);
        const std::uint64_t before = wakeups_;
        wake_.wait_for(lock, kPauseCheck, [&] { return wakeups_ != before || !fetching_; });
    }
    return 0;
}

bool NatsProvider::bind_if_needed() {
    if (consumer_->bound()) {
        return true;
    }
    try {
        consumer_->bind();
    } catch (const StreamMissingError& missing) {
        if (waiting_for_ != missing.what()) {  // logged once, not at every retry
            waiting_for_ = missing.what();
            host().log(sdk::LogLevel::warn, "nats: waiting: " + waiting_for_);
        }
        return false;
    }
    waiting_for_.clear();
    host().log(sdk::LogLevel::info, "nats: bound to consumer " + config_.consumer + " of stream " + config_.stream +
                                        " (filter " + config_.filter_subject + ")");
    return true;
}

void NatsProvider::fetch_loop() {
    while (fetching_) {
        report_state_if_due();
        bool bound = false;
        try {
            bound = bind_if_needed();
        } catch (const ConsumerError& error) {
            stats_.set_last_error(error.what());
        }
        if (!bound) {
            report_state_if_due();
            std::unique_lock lock(wake_mutex_);
            wake_.wait_for(lock, kBindRetry, [&] { return !fetching_; });
            continue;
        }
        const int batch = wait_for_fetch_batch();
        if (batch == 0) {
            break;
        }
        FetchResult fetched = consumer_->fetch(batch);
        if (!fetched.error.empty()) {
            ++stats_.fetch_errors;
            stats_.set_last_error(fetched.error);
            report_state_if_due();
            std::unique_lock lock(wake_mutex_);
            wake_.wait_for(lock, config_.reconnect_wait, [&] { return !fetching_; });
            continue;
        }
        for (natsMsg* message : fetched.messages) {
            handle(message);  // also after a stop request: every fetched message gets an owner
        }
    }
}

void NatsProvider::handle(natsMsg* message) {
    ++stats_.messages_fetched;
    if (was_redelivered(message)) {
        ++stats_.messages_redelivered;
    }
    const std::string_view payload(natsMsg_GetData(message), static_cast<std::size_t>(natsMsg_GetDataLength(message)));
    const ReadMessage read = read_message(format_header(message), payload);
    if (read.problem != MessageProblem::none) {
        reject(message, read);
        return;
    }
    stats_.events_fetched += read.batch.events.size();
    if (!publish(message, read.batch)) {
        ReadMessage refused;
        refused.problem = MessageProblem::malformed;
        refused.reason = "the host refused its events (invalid identity: origin \"" + read.batch.origin +
                         "\", run id \"" + read.batch.run_id + "\"; see the host's log)";
        reject(message, refused);
    }
}

bool NatsProvider::publish(natsMsg* message, const wire::EventBatch& batch) {
    events_.clear();
    sequences_.clear();
    for (const wire::WireEvent& wire_event : batch.events) {
        events_.push_back(wire_event.event);
        sequences_.push_back(wire_event.seq);
    }
    const sdk::SequencedPublish published =
        publisher_.publish(batch.origin.c_str(), batch.run_id.c_str(), events_, sequences_);
    if (published.result.code != MDP_OK || published.first_sequence == 0) {
        return false;
    }
    // Records the queue refused (drop_newest, or a publish released at stop) settle as
    // dropped, which naks the message: it is redelivered, nothing is lost.
    ledger_.record(message, published.first_sequence, published.first_sequence + events_.size() - 1);
    return true;
}

void NatsProvider::reject(natsMsg* message, const ReadMessage& read) {
    const bool keep = (read.problem == MessageProblem::future_format ? config_.future_format : config_.malformed) ==
                      UndecodablePolicy::keep;
    const std::string subject = natsMsg_GetSubject(message);
    if (keep) {
        (void)natsMsg_NakWithDelay(message, config_.keep_redelivery_delay.count(), nullptr);
        ++stats_.messages_kept;
    } else {
        (void)natsMsg_Term(message, nullptr);
        ++stats_.messages_terminated;
    }
    natsMsg_Destroy(message);
    const std::string error =
        "message on " + subject + (keep ? " kept for a newer reader: " : " terminated: ") + read.reason;
    stats_.set_last_error(error);
    const std::int64_t now_ns = host().now_ns();
    if (now_ns >= next_reject_log_ns_) {  // at most one line a second; the counters have them all
        next_reject_log_ns_ = now_ns + kNanosecondsPerSecond;
        host().log(sdk::LogLevel::warn, "nats: " + error);
    }
}

void NatsProvider::ack_loop() {
    while (acking_) {
        ledger_.wait_for_change(kPauseCheck * 2);
        settle_done();
    }
}

void NatsProvider::settle_done() {
    for (const DoneMessage<natsMsg*>& done : ledger_.take_done()) {
        if (done.settlement == Settlement::acknowledge) {
            const natsStatus status = natsMsg_Ack(done.message, nullptr);
            if (status == NATS_OK) {
                ++stats_.messages_acked;
            } else {  // stored already; JetStream redelivers it after ack_wait and the store ignores it
                stats_.set_last_error("acknowledging a stored message: " + wire::nats_error_text(status));
            }
        } else {
            (void)natsMsg_Nak(done.message, nullptr);
            ++stats_.messages_nakked;
        }
        natsMsg_Destroy(done.message);
    }
}

void NatsProvider::report_state_if_due() {
    const std::int64_t now_ns = host().now_ns();
    if (now_ns < next_report_ns_) {
        return;
    }
    next_report_ns_ = now_ns + kNanosecondsPerSecond;
    stats_.publish(metrics_, ledger_.size());
    const bool connected = consumer_ != nullptr && consumer_->connected();
    const bool bound = consumer_ != nullptr && consumer_->bound();
    std::string detail = stats_.detail(config_.consumer, config_.stream, ledger_.size());
    if (!waiting_for_.empty()) {
        detail = "waiting: " + waiting_for_ + "; " + detail;
    } else if (!connected) {
        detail = "not connected to NATS (reconnecting); " + detail;
    }
    if (waiting_for_.empty() && connected && !bound) {
        detail = "not bound to the consumer; " + detail;  // the reason is the detail's last error
    }
    host().report_state(connected && bound ? sdk::State::running : sdk::State::degraded, detail);
}

}  // namespace mdp::nats_provider
