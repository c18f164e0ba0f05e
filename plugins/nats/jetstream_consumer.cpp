#include "jetstream_consumer.hpp"

#include <mdp/wire/nats_client.hpp>

namespace mdp::nats_provider {

namespace {

constexpr std::int64_t kNanosecondsPerMillisecond = 1'000'000;

void check(natsStatus status, const std::string& what) {
    if (status != NATS_OK) {
        throw ConsumerError(what + ": " + wire::nats_error_text(status));
    }
}

}  // namespace

JetStreamConsumer::JetStreamConsumer(const ConsumerConfig& config, const std::string& instance_name)
    : config_(config), client_name_("mdp-host provider " + instance_name) {
    try {
        options_ = wire::make_nats_options(wire::client_settings_of(config_), client_name_);
    } catch (const std::runtime_error& error) {
        throw ConsumerError(error.what());
    }
    try {
        connect_with_attempts();
    } catch (...) {
        natsOptions_Destroy(options_);
        throw;
    }
}

JetStreamConsumer::~JetStreamConsumer() {
    // The subscription is bound to a consumer this object did not necessarily create, so it
    // is destroyed without deleting the consumer: the other replicas keep sharing it, and
    // messages this one held unacknowledged are redelivered after ack_wait.
    if (subscription_ != nullptr) {
        natsSubscription_Destroy(subscription_);
    }
    if (js_ != nullptr) {
        jsCtx_Destroy(js_);
    }
    if (connection_ != nullptr) {
        natsConnection_Close(connection_);
        natsConnection_Destroy(connection_);
    }
    natsOptions_Destroy(options_);
}

void JetStreamConsumer::connect_with_attempts() {
    try {
        // No log line per failed attempt: the provider's start reports the outcome.
        connection_ = wire::connect_with_attempts(options_, config_.servers, config_.connect_attempts,
                                                  [](std::uint32_t /*attempt*/, const std::string& /*error*/) {});
    } catch (const wire::NatsConnectError& error) {
        throw ConsumerError(error.what());
    }
    check(natsConnection_JetStream(&js_, connection_, nullptr), "JetStream context");
}

void JetStreamConsumer::ensure_consumer() {
    jsErrCode error_code = static_cast<jsErrCode>(0);
    jsStreamInfo* stream_info = nullptr;
    natsStatus status = js_GetStreamInfo(&stream_info, js_, config_.stream.c_str(), nullptr, &error_code);
    if (status == NATS_NOT_FOUND || error_code == JSStreamNotFoundErr) {
        throw StreamMissingError("stream " + config_.stream +
                                 " does not exist yet (the ingest tier's nats sink creates it)");
    }
    check(status, "looking up stream " + config_.stream);
    jsStreamInfo_Destroy(stream_info);
    jsConsumerInfo* info = nullptr;
    status = js_GetConsumerInfo(&info, js_, config_.stream.c_str(), config_.consumer.c_str(), nullptr, &error_code);
    if (status == NATS_OK) {
        jsConsumerInfo_Destroy(info);
        return;
    }
    if (status != NATS_NOT_FOUND && error_code != JSConsumerNotFoundErr) {
        throw ConsumerError("looking up consumer " + config_.consumer + " of stream " + config_.stream + ": " +
                            wire::nats_error_text(status));
    }
    if (!config_.create_consumer) {
        throw ConsumerError("consumer " + config_.consumer + " of stream " + config_.stream +
                            " does not exist and create_consumer is false; create it or set create_consumer to true");
    }
    jsConsumerConfig consumer;
    jsConsumerConfig_Init(&consumer);
    consumer.Durable = config_.consumer.c_str();
    consumer.AckPolicy = js_AckExplicit;
    consumer.AckWait = config_.ack_wait.count() * kNanosecondsPerMillisecond;
    consumer.MaxAckPending = config_.max_ack_pending;
    consumer.MaxDeliver = config_.max_deliver;
    consumer.FilterSubject = config_.filter_subject.c_str();
    consumer.DeliverPolicy = js_DeliverAll;
    // Two replicas starting together may both create it: the server accepts an identical
    // configuration twice, and a lost race against a different one reports the conflict.
    status = js_AddConsumer(&info, js_, config_.stream.c_str(), &consumer, nullptr, &error_code);
    if (status != NATS_OK) {
        throw ConsumerError("creating consumer " + config_.consumer + " of stream " + config_.stream + " (filter " +
                            config_.filter_subject + "): " + wire::nats_error_text(status));
    }
    jsConsumerInfo_Destroy(info);
}

void JetStreamConsumer::bind() {
    ensure_consumer();
    jsSubOptions options;
    jsSubOptions_Init(&options);
    options.Stream = config_.stream.c_str();
    options.Consumer = config_.consumer.c_str();  // bind: never create or delete it here
    jsErrCode error_code = static_cast<jsErrCode>(0);
    const natsStatus status = js_PullSubscribe(&subscription_, js_, config_.filter_subject.c_str(),
                                               config_.consumer.c_str(), nullptr, &options, &error_code);
    if (status != NATS_OK) {
        subscription_ = nullptr;
        throw ConsumerError("binding to consumer " + config_.consumer + " of stream " + config_.stream + ": " +
                            wire::nats_error_text(status));
    }
}

FetchResult JetStreamConsumer::fetch(int batch) {
    natsMsgList list{};
    jsErrCode error_code = static_cast<jsErrCode>(0);
    const natsStatus status =
        natsSubscription_Fetch(&list, subscription_, batch, config_.fetch_wait.count(), &error_code);
    FetchResult result;
    if (status == NATS_OK) {
        result.messages.reserve(static_cast<std::size_t>(list.Count));
        for (int index = 0; index < list.Count; ++index) {
            result.messages.push_back(list.Msgs[index]);
            list.Msgs[index] = nullptr;  // now the caller's
        }
    } else if (status != NATS_TIMEOUT) {
        result.error = "fetching from consumer " + config_.consumer + ": " + wire::nats_error_text(status) +
                       (connected() ? "" : " (not connected to NATS)");
    }
    natsMsgList_Destroy(&list);
    return result;
}

bool JetStreamConsumer::connected() const {
    return connection_ != nullptr && natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED;
}

}  // namespace mdp::nats_provider
