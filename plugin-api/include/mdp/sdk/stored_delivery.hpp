// mdp plugin SDK — stored acknowledgements and publishing with an origin identity.
//
// Two host extensions (plugin_api.h) for providers that must know their events are stored
// before they let go of them — a file tailer that saves its offset, a consumer of a log that
// acknowledges a message:
//
//   StoredAcks           (MDP_HOST_STORED_ACKS_ID) publish() tells each call's publish
//                        sequences; subscribe() has the host report, in publish order, which
//                        of them every sink stored and which were dropped.
//   IdentifiedPublisher  (MDP_HOST_PUBLISH_IDENTIFIED_ID) publish() events that keep the
//                        (provider, run id, seq) they were first published with, so the
//                        sinks' idempotent keys make a redelivery a no-op.
//
// Both are cheap values over the host table, found once; available() is false on a host
// without the extension (then fall back, or fail the provider's construction with a
// ConfigProblem that says the host is too old). Nothing here allocates on the publish path.
// docs/writing-a-provider.md, "Knowing what is stored", has a complete example.
#ifndef MDP_SDK_STORED_DELIVERY_HPP
#define MDP_SDK_STORED_DELIVERY_HPP

#include <mdp/plugin.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <span>
#include <utility>

namespace mdp::sdk {

// What a publish call that took publish sequences did: its records have the sequences
// first_sequence .. first_sequence + events.size() - 1 (first_sequence is 0 when the host
// took none: a malformed call, or a record of an unknown type).
struct SequencedPublish {
    PublishResult result;
    std::uint64_t first_sequence = 0;
};

namespace detail {

inline SequencedPublish empty_publish(const Host& host) noexcept {
    SequencedPublish published;
    published.result.rate_scale = host.rate_scale();
    return published;
}

inline PublishResult to_publish_result(std::int32_t code, const mdp_publish_result_t& result) noexcept {
    return {code, result.accepted, result.level, result.rate_scale};
}

}  // namespace detail

class StoredAcks {
   public:
    explicit StoredAcks(const Host& host) noexcept
        : host_(host), table_(static_cast<const mdp_host_stored_acks_t*>(host.extension(MDP_HOST_STORED_ACKS_ID))) {
        if (table_ != nullptr && table_->size < sizeof(mdp_host_stored_acks_t)) {
            table_ = nullptr;
        }
    }

    [[nodiscard]] bool available() const noexcept { return table_ != nullptr; }

    // [constructor or start() only, before the first publish] From now until stop() returns,
    // `receiver.on_settled(const mdp_stored_ack_t&) noexcept` is called on the host's store
    // thread for every settled range of this instance's publish sequences, in order (see
    // mdp_stored_ack_fn: must not block, must not publish). `receiver` must live until stop()
    // returns. False when the host lacks the extension or refused.
    template <typename Receiver>
    bool subscribe(Receiver& receiver) const noexcept {
        static_assert(noexcept(receiver.on_settled(std::declval<const mdp_stored_ack_t&>())),
                      "on_settled runs on the host's store thread: it must be noexcept");
        if (table_ == nullptr) {
            return false;
        }
        const mdp_stored_ack_fn trampoline = [](void* user_data, const mdp_stored_ack_t* ack) {
            mdp_stored_ack_t copy{};
            std::memcpy(&copy, ack, std::min<std::size_t>(sizeof(copy), ack->size));
            static_cast<Receiver*>(user_data)->on_settled(copy);
        };
        return table_->subscribe(host_.raw(), trampoline, &receiver) == MDP_OK;
    }

    // [any-thread] Host::publish that also tells the call's publish sequences. Requires
    // available().
    SequencedPublish publish(std::span<const mdp_event_t> events) const noexcept {
        if (events.empty()) {
            return detail::empty_publish(host_);
        }
        mdp_publish_result_t result{};
        result.size = sizeof(result);
        SequencedPublish published;
        const std::int32_t code = table_->publish(host_.raw(), events.data(), static_cast<std::uint32_t>(events.size()),
                                                  &result, &published.first_sequence);
        published.result = detail::to_publish_result(code, result);
        return published;
    }

   private:
    Host host_;
    const mdp_host_stored_acks_t* table_;
};

class IdentifiedPublisher {
   public:
    explicit IdentifiedPublisher(const Host& host) noexcept
        : host_(host),
          table_(static_cast<const mdp_host_publish_identified_t*>(host.extension(MDP_HOST_PUBLISH_IDENTIFIED_ID))) {
        if (table_ != nullptr && table_->size < sizeof(mdp_host_publish_identified_t)) {
            table_ = nullptr;
        }
    }

    [[nodiscard]] bool available() const noexcept { return table_ != nullptr; }

    // [any-thread] Publishes `events`, all from the provider `origin_provider` of the host run
    // `origin_run_id` (NUL-terminated, non-empty, at most MDP_ORIGIN_TEXT_MAX bytes of UTF-8);
    // events[i] keeps origin_sequences[i] (1 .. INT64_MAX) as its seq. The two spans have the
    // same size (else MDP_ERROR, nothing published). An invalid identity rejects the whole call (result.code MDP_ERROR, the events
    // counted as dropped, reason invalid). The call takes publish sequences like
    // StoredAcks::publish. Requires available().
    SequencedPublish publish(const char* origin_provider, const char* origin_run_id,
                             std::span<const mdp_event_t> events,
                             std::span<const std::uint64_t> origin_sequences) const noexcept {
        if (events.empty()) {
            return detail::empty_publish(host_);
        }
        if (origin_sequences.size() != events.size()) {
            SequencedPublish mismatched = detail::empty_publish(host_);
            mismatched.result.code = MDP_ERROR;
            return mismatched;
        }
        const mdp_event_origin_t origin{sizeof(mdp_event_origin_t), origin_provider, origin_run_id};
        mdp_publish_result_t result{};
        result.size = sizeof(result);
        SequencedPublish published;
        const std::int32_t code =
            table_->publish(host_.raw(), &origin, events.data(), origin_sequences.data(),
                            static_cast<std::uint32_t>(events.size()), &result, &published.first_sequence);
        published.result = detail::to_publish_result(code, result);
        return published;
    }

   private:
    Host host_;
    const mdp_host_publish_identified_t* table_;
};

}  // namespace mdp::sdk

#endif  // MDP_SDK_STORED_DELIVERY_HPP
