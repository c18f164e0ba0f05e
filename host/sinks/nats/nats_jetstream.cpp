#include "sinks/nats/nats_jetstream.hpp"

#include <mdp/wire/nats_client.hpp>

#include <spdlog/spdlog.h>

namespace mdp::sinks {

namespace {

void check(natsStatus status, const char* what) {
    if (status != NATS_OK) {
        throw NatsError("connect", std::string(what) + ": " + wire::nats_error_text(status));
    }
}

jsRetentionPolicy retention_of(NatsRetention retention) {
    switch (retention) {
        case NatsRetention::limits:
            return js_LimitsPolicy;
        case NatsRetention::interest:
            return js_InterestPolicy;
        case NatsRetention::workqueue:
            break;
    }
    return js_WorkQueuePolicy;
}

}  // namespace

NatsJetStream::NatsJetStream(const NatsSinkOptions& options, const std::string& sink_name)
    : options_(options), sink_name_(sink_name), client_name_("mdp-host sink " + sink_name) {
    try {
        nats_options_ = wire::make_nats_options(wire::client_settings_of(options_), client_name_);
    } catch (const std::runtime_error& error) {
        throw NatsError("connect", error.what());
    }
    // A lost connection shows in the failed write's message ("not connected to NATS"), which
    // the coordinator logs once, and the recovery as the coordinator's "writing again".
    try {
        connect_with_attempts();
    } catch (...) {
        if (connection_ != nullptr) {
            natsConnection_Destroy(connection_);
        }
        natsOptions_Destroy(nats_options_);
        throw;
    }
}

NatsJetStream::~NatsJetStream() {
    if (js_ != nullptr) {
        (void)discard_pending();
        jsCtx_Destroy(js_);
    }
    if (connection_ != nullptr) {
        natsConnection_Close(connection_);
        natsConnection_Destroy(connection_);
    }
    natsOptions_Destroy(nats_options_);
}

void NatsJetStream::connect_with_attempts() {
    try {
        connection_ = wire::connect_with_attempts(
            nats_options_, options_.servers, options_.connect_attempts,
            [this](std::uint32_t attempt, const std::string& error) {
                spdlog::warn("nats sink {}: cannot connect to {} (attempt {} of {}): {}", sink_name_,
                             servers_text(options_.servers), attempt, options_.connect_attempts, error);
            });
    } catch (const wire::NatsConnectError& error) {
        throw NatsError(error.auth_failure() ? "auth" : "connect", error.what());
    }
    jsOptions js_options;
    jsOptions_Init(&js_options);
    js_options.Wait = options_.publish_timeout.count();
    js_options.PublishAsync.MaxPending = static_cast<int64_t>(options_.max_in_flight);
    js_options.PublishAsync.StallWait = options_.publish_timeout.count();
    js_options.PublishAsync.AckHandler = &NatsJetStream::on_pub_ack;
    js_options.PublishAsync.AckHandlerClosure = this;
    check(natsConnection_JetStream(&js_, connection_, &js_options), "JetStream context");
}

void NatsJetStream::ensure_stream() {
    const std::string& stream = options_.stream;
    jsStreamInfo* info = nullptr;
    jsErrCode error_code = static_cast<jsErrCode>(0);
    natsStatus status = js_GetStreamInfo(&info, js_, stream.c_str(), nullptr, &error_code);
    if (status == NATS_OK) {
        jsStreamInfo_Destroy(info);
        return;
    }
    if (status != NATS_NOT_FOUND && error_code != JSStreamNotFoundErr) {
        throw NatsError("stream", "looking up stream " + stream + ": " + wire::nats_error_text(status));
    }
    if (!options_.stream_settings.create) {
        throw NatsError("stream", "stream " + stream + " does not exist and create_stream is false; create it (" +
                                      "subjects \"" + options_.subject_prefix + ".>\") or set create_stream to true");
    }
    const NatsStreamSettings& settings = options_.stream_settings;
    const std::string subjects = options_.subject_prefix + ".>";
    const char* subject_list[] = {subjects.c_str()};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = stream.c_str();
    config.Subjects = subject_list;
    config.SubjectsLen = 1;
    config.Retention = retention_of(settings.retention);
    config.MaxBytes = settings.max_bytes;
    config.MaxAge = settings.max_age_ms * 1'000'000;  // ns
    config.Discard = js_DiscardNew;  // a full stream refuses (the host backs up), never drops
    config.Storage = settings.file_storage ? js_FileStorage : js_MemoryStorage;
    config.Replicas = settings.replicas;
    config.Duplicates = settings.duplicate_window_ms * 1'000'000;  // ns
    status = js_AddStream(&info, js_, &config, nullptr, &error_code);
    if (status != NATS_OK) {
        throw NatsError("stream", "creating stream " + stream + " (subjects \"" + subjects +
                                      "\"): " + wire::nats_error_text(status));
    }
    jsStreamInfo_Destroy(info);
    spdlog::info("nats sink {}: created stream {} (subjects {}, retention {}, max_bytes {}, duplicate window {} ms)",
                 sink_name_, stream, subjects, retention_name(settings.retention), settings.max_bytes,
                 settings.duplicate_window_ms);
}

std::size_t NatsJetStream::max_payload_bytes() const {
    const int64_t max_payload = natsConnection_GetMaxPayload(connection_);
    return max_payload > 0 ? static_cast<std::size_t>(max_payload) : std::size_t{1} << 20;
}

bool NatsJetStream::connected() const { return natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED; }

void NatsJetStream::on_pub_ack(jsCtx* /*js*/, natsMsg* msg, jsPubAck* ack, jsPubAckErr* error, void* closure) {
    auto* self = static_cast<NatsJetStream*>(closure);
    const char* message_id = nullptr;
    if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &message_id) == NATS_OK && message_id != nullptr) {
        std::lock_guard lock(self->writes_mutex_);
        const auto found = self->write_of_message_.find(message_id);
        // Not found: a message of a forgotten write.
        if (found != self->write_of_message_.end() && found->second >= self->first_write_) {
            NatsPubAckTally& tally = self->writes_[found->second - self->first_write_].tally;
            if (ack != nullptr) {
                ++(ack->Duplicate ? tally.duplicates : tally.stored);
            } else {
                ++tally.failed;
                if (tally.first_error.empty() && error != nullptr) {
                    tally.first_error =
                        std::string(natsStatus_GetText(error->Err)) +
                        (error->ErrText != nullptr ? std::string(": ") + error->ErrText : std::string());
                }
            }
            self->write_of_message_.erase(found);
            self->write_acknowledged_.notify_all();
        }
    }
    natsMsg_Destroy(msg);
}

std::size_t NatsJetStream::discard_pending() {
    natsMsgList pending{};
    // The client keeps its table of pending messages from the first asynchronous publish on
    // and does not expect to be asked before.
    if (!published_async_ || js_PublishAsyncGetPendingList(&pending, js_) != NATS_OK) {
        return 0;
    }
    const auto count = static_cast<std::size_t>(pending.Count);
    natsMsgList_Destroy(&pending);
    return count;
}

void NatsJetStream::begin_write() {
    std::lock_guard lock(writes_mutex_);
    writes_.emplace_back();
}

void NatsJetStream::forget_writes() {
    (void)discard_pending();
    std::lock_guard lock(writes_mutex_);
    first_write_ += writes_.size();
    writes_.clear();
    write_of_message_.clear();
}

void NatsJetStream::publish(const std::string& subject, const std::string& message_id,
                            const NatsMessageHeaders& headers, const std::string& payload) {
    natsMsg* message = nullptr;
    natsStatus status =
        natsMsg_Create(&message, subject.c_str(), nullptr, payload.data(), static_cast<int>(payload.size()));
    const std::string format(headers.format);
    const std::string origin(headers.origin);
    const std::string run_id(headers.run_id);
    const std::string events = std::to_string(headers.events);
    for (const auto& [key, value] : {std::pair{"Mdp-Format", &format}, std::pair{"Mdp-Origin", &origin},
                                     std::pair{"Mdp-Run-Id", &run_id}, std::pair{"Mdp-Events", &events}}) {
        if (status == NATS_OK) {
            status = natsMsgHeader_Set(message, key, value->c_str());
        }
    }
    if (status == NATS_OK) {
        // Before the publish: the PubAck may come back before it returns.
        std::lock_guard lock(writes_mutex_);
        ++writes_.back().published;
        write_of_message_[message_id] = first_write_ + writes_.size() - 1;
    }
    if (status == NATS_OK) {
        jsPubOptions publish_options;
        jsPubOptions_Init(&publish_options);
        publish_options.MsgId = message_id.c_str();
        publish_options.ExpectStream = options_.stream.c_str();
        status = js_PublishMsgAsync(js_, &message, &publish_options);
        published_async_ = published_async_ || status == NATS_OK;
    }
    natsMsg_Destroy(message);  // no-op when the client took it
    if (status != NATS_OK) {
        throw NatsError(status == NATS_TIMEOUT ? "timeout" : "publish",
                        "publishing to " + subject + ": " + wire::nats_error_text(status) +
                            (connected() ? "" : " (not connected to NATS)"));
    }
}

NatsPubAckTally NatsJetStream::wait_for_oldest_write() {
    std::unique_lock lock(writes_mutex_);
    const bool complete =
        write_acknowledged_.wait_for(lock, options_.publish_timeout, [&] { return writes_.front().complete(); });
    const Write oldest = writes_.front();
    if (complete && oldest.tally.failed == 0) {
        writes_.pop_front();
        ++first_write_;
        return oldest.tally;
    }
    // connected() takes the client's lock, which its thread may hold while it waits for ours.
    lock.unlock();
    if (!complete) {
        const std::uint64_t answered = oldest.tally.stored + oldest.tally.duplicates + oldest.tally.failed;
        throw NatsError("timeout", "no PubAck within " + std::to_string(options_.publish_timeout.count()) + " ms for " +
                                       std::to_string(oldest.published - answered) + " of " +
                                       std::to_string(oldest.published) + " messages" +
                                       (connected() ? "" : " (not connected to NATS)"));
    }
    throw NatsError("publish", "stream " + options_.stream + " refused " + std::to_string(oldest.tally.failed) +
                                   " of " + std::to_string(oldest.published) +
                                   " messages: " + oldest.tally.first_error);
}

}  // namespace mdp::sinks
