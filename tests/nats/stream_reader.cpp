#include "stream_reader.hpp"

#include <mdp/wire/event_codec.hpp>

#include <catch2/catch.hpp>
#include <nats/nats.h>

#include <stdexcept>

namespace mdp::test {

struct StreamReader::Impl {
    natsConnection* connection = nullptr;
    jsCtx* js = nullptr;
};

namespace {

void check(natsStatus status, const std::string& what) {
    if (status != NATS_OK) {
        throw std::runtime_error(what + ": " + natsStatus_GetText(status));
    }
}

}  // namespace

StreamReader::StreamReader(const std::string& url, const std::string& user, const std::string& password)
    : impl_(new Impl) {
    natsOptions* options = nullptr;
    check(natsOptions_Create(&options), "options");
    natsOptions_SetURL(options, url.c_str());
    if (!user.empty()) {
        natsOptions_SetUserInfo(options, user.c_str(), password.c_str());
    }
    const natsStatus status = natsConnection_Connect(&impl_->connection, options);
    natsOptions_Destroy(options);
    if (status != NATS_OK) {
        delete impl_;
        throw std::runtime_error("test reader cannot connect to " + url + ": " + natsStatus_GetText(status));
    }
    check(natsConnection_JetStream(&impl_->js, impl_->connection, nullptr), "JetStream context");
}

StreamReader::~StreamReader() {
    jsCtx_Destroy(impl_->js);
    natsConnection_Destroy(impl_->connection);
    delete impl_;
}

void StreamReader::publish(const std::string& subject, const std::map<std::string, std::string>& headers,
                           const std::string& payload) const {
    natsMsg* message = nullptr;
    check(natsMsg_Create(&message, subject.c_str(), nullptr, payload.data(), static_cast<int>(payload.size())),
          "message");
    for (const auto& [key, value] : headers) {
        check(natsMsgHeader_Set(message, key.c_str(), value.c_str()), "header " + key);
    }
    jsPubAck* ack = nullptr;
    jsErrCode error = static_cast<jsErrCode>(0);
    const natsStatus status = js_PublishMsg(&ack, impl_->js, message, nullptr, &error);
    natsMsg_Destroy(message);
    jsPubAck_Destroy(ack);
    check(status, "publishing to " + subject);
}

bool StreamReader::stream_exists(const std::string& stream) const {
    jsStreamInfo* info = nullptr;
    jsErrCode error = static_cast<jsErrCode>(0);
    const natsStatus status = js_GetStreamInfo(&info, impl_->js, stream.c_str(), nullptr, &error);
    if (status == NATS_OK) {
        jsStreamInfo_Destroy(info);
        return true;
    }
    if (status == NATS_NOT_FOUND || error == JSStreamNotFoundErr) {
        return false;
    }
    check(status, "stream info of " + stream);
    return false;
}

std::uint64_t StreamReader::message_count(const std::string& stream) const {
    jsStreamInfo* info = nullptr;
    jsErrCode error = static_cast<jsErrCode>(0);
    check(js_GetStreamInfo(&info, impl_->js, stream.c_str(), nullptr, &error), "stream info of " + stream);
    const std::uint64_t count = info->State.Msgs;
    jsStreamInfo_Destroy(info);
    return count;
}

std::vector<StoredMessage> StreamReader::read_all(const std::string& stream) const {
    jsStreamInfo* info = nullptr;
    jsErrCode error = static_cast<jsErrCode>(0);
    check(js_GetStreamInfo(&info, impl_->js, stream.c_str(), nullptr, &error), "stream info of " + stream);
    const std::uint64_t first = info->State.FirstSeq;
    const std::uint64_t last = info->State.LastSeq;
    const std::uint64_t count = info->State.Msgs;
    jsStreamInfo_Destroy(info);
    std::vector<StoredMessage> messages;
    for (std::uint64_t seq = first; count > 0 && seq <= last; ++seq) {
        natsMsg* message = nullptr;
        check(js_GetMsg(&message, impl_->js, stream.c_str(), seq, nullptr, &error),
              "message " + std::to_string(seq) + " of " + stream);
        StoredMessage stored;
        stored.stream_seq = seq;
        stored.subject = natsMsg_GetSubject(message);
        stored.payload.assign(natsMsg_GetData(message), static_cast<std::size_t>(natsMsg_GetDataLength(message)));
        const char** keys = nullptr;
        int key_count = 0;
        if (natsMsgHeader_Keys(message, &keys, &key_count) == NATS_OK) {
            for (int i = 0; i < key_count; ++i) {
                const char* value = nullptr;
                if (natsMsgHeader_Get(message, keys[i], &value) == NATS_OK) {
                    stored.headers[keys[i]] = value;
                }
            }
            free(static_cast<void*>(keys));  // NOLINT(cppcoreguidelines-no-malloc): the client's allocation
        }
        natsMsg_Destroy(message);
        messages.push_back(std::move(stored));
    }
    return messages;
}

std::vector<StoredEvent> decode_all(const std::vector<StoredMessage>& messages) {
    std::vector<StoredEvent> events;
    for (const auto& message : messages) {
        const auto format = message.headers.find("Mdp-Format");
        REQUIRE(format != message.headers.end());
        const wire::DecodeResult decoded = wire::decode_batch(format->second, message.payload);
        INFO("message " << message.stream_seq << " on " << message.subject);
        REQUIRE(decoded.error.empty());
        for (const auto& wire_event : decoded.batch.events) {
            events.push_back({decoded.batch.origin, decoded.batch.run_id, message.subject, wire_event});
        }
    }
    return events;
}

}  // namespace mdp::test
