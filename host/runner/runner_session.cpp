#include "runner/runner_session.hpp"

#include "isolation/runner_protocol.hpp"

#include <array>
#include <optional>
#include <string>

namespace mdp::runner {

namespace {

using isolation::MessageType;
using isolation::PayloadReader;
using isolation::PayloadWriter;

constexpr std::size_t kErrorCapacity = 1024;

}  // namespace

RunnerSession::RunnerSession(std::shared_ptr<plugins::PluginLibrary> library, isolation::EventRing& ring,
                             isolation::MessageChannel& channel)
    : library_(std::move(library)), channel_(channel), services_(ring, channel) {}

int RunnerSession::run() {
    while (std::optional<isolation::Message> message = channel_.receive()) {
        try {
            if (!handle(*message)) {
                return 0;
            }
        } catch (const isolation::MalformedMessage& malformed) {
            reply(MDP_ERROR, malformed.what());
        }
    }
    return 1;  // the host is gone (its death signal usually comes first)
}

void RunnerSession::reply(int32_t code, const std::string& text) {
    PayloadWriter payload;
    payload.i32(code).text(text);
    channel_.send(static_cast<std::uint32_t>(MessageType::reply), payload);
}

bool RunnerSession::handle(const isolation::Message& message) {
    PayloadReader reader(message.payload);
    switch (static_cast<MessageType>(message.type)) {
        case MessageType::create:
            create(reader);
            return true;
        case MessageType::start:
            start();
            return true;
        case MessageType::stop:
            stop();
            return true;
        case MessageType::reconfigure:
            reconfigure(reader);
            return true;
        case MessageType::feedback:
            feedback(reader);
            return true;
        case MessageType::destroy:
            destroy();
            return false;
        default:
            reply(MDP_ERROR, "unknown control message " + std::to_string(message.type));
            return true;
    }
}

void RunnerSession::create(PayloadReader& reader) {
    const std::string name = reader.text();
    const std::string config_json = reader.text();
    std::string config_file = reader.text();
    std::string base_directory = reader.text();
    const std::uint32_t shard_index = reader.u32();
    const std::uint32_t shard_count = reader.u32();
    const std::uint32_t offered_extensions = reader.u32();
    if (library_ == nullptr || provider_ != nullptr) {
        reply(MDP_ERROR, library_ == nullptr ? "no plugin loaded" : "an instance exists already");
        return;
    }
    services_.set_location(std::move(config_file), std::move(base_directory));
    services_.set_shard(shard_index, shard_count);
    services_.set_offered_extensions(offered_extensions);
    std::array<char, kErrorCapacity> error{};
    const mdp_provider_factory_t* factory = library_->provider_factory();
    services_.accept_declarations(true);
    services_.accept_subscriptions(true);
    mdp_provider_t* created =
        factory->create(factory, services_.table(), name.c_str(), config_json.c_str(), error.data(), error.size());
    services_.accept_subscriptions(false);
    services_.accept_declarations(false);
    if (created == nullptr || created->size < sizeof(mdp_provider_t) || created->start == nullptr ||
        created->stop == nullptr || created->destroy == nullptr) {
        error.back() = '\0';
        std::string text =
            created == nullptr ? std::string(error.data()) : "the plugin returned a malformed provider table";
        if (created != nullptr && created->destroy != nullptr) {
            created->destroy(created);
        }
        services_.end_subscription();
        reply(MDP_ERROR, text.empty() ? "the plugin's factory failed without a reason" : text);
        return;
    }
    provider_ = created;
    reply(MDP_OK, "");
}

void RunnerSession::start() {
    if (provider_ == nullptr) {
        reply(MDP_ERROR, "no provider instance");
        return;
    }
    std::array<char, kErrorCapacity> error{};
    services_.accept_subscriptions(true);
    const int32_t code = provider_->start(provider_, error.data(), error.size());
    services_.accept_subscriptions(false);
    error.back() = '\0';
    started_ = code == MDP_OK;
    reply(code == MDP_OK ? MDP_OK : MDP_ERROR, code == MDP_OK ? "" : error.data());
}

void RunnerSession::stop() {
    if (provider_ != nullptr) {
        provider_->stop(provider_);
    }
    services_.end_subscription();  // ranges settled while stop() ran were delivered to it
    started_ = false;
    reply(MDP_OK, "");  // after stop() returned: everything it published is in the ring
}

void RunnerSession::reconfigure(PayloadReader& reader) {
    const std::string config_json = reader.text();
    const mdp_provider_reconfigure_t* extension = library_ != nullptr ? library_->reconfigure_extension() : nullptr;
    if (provider_ == nullptr || extension == nullptr) {
        reply(MDP_RECONFIGURE_NEEDS_RESTART, "");
        return;
    }
    std::array<char, kErrorCapacity> error{};
    const int32_t code = extension->reconfigure(provider_, config_json.c_str(), error.data(), error.size());
    error.back() = '\0';
    reply(code, code == MDP_ERROR ? error.data() : "");
}

void RunnerSession::feedback(PayloadReader& reader) {
    mdp_feedback_t feedback{};
    feedback.size = sizeof(feedback);
    feedback.level = reader.i32();
    feedback.rate_scale = reader.f64();
    feedback.queue_size = reader.u64();
    feedback.queue_capacity = reader.u64();
    feedback.timestamp_ns = reader.i64();
    if (provider_ != nullptr && started_ && provider_->on_feedback != nullptr) {
        provider_->on_feedback(provider_, &feedback);
    }
}

void RunnerSession::destroy() {
    services_.end_subscription();  // subscribed in create() but never started
    if (provider_ != nullptr) {
        provider_->destroy(provider_);
        provider_ = nullptr;
    }
    reply(MDP_OK, "");
}

}  // namespace mdp::runner
