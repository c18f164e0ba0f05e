#pragma once
// The origins of events published with their own identity (plugin_api.h,
// MDP_HOST_PUBLISH_IDENTIFIED_ID): each distinct (origin provider, origin run id) pair gets a
// small id, carried by StoreEvent::origin_id, so a record stays fixed-size and the publish path
// copies no strings. Append-only for the host's life: a sink resolves an id without a lock, and
// an id once handed out never changes its meaning. A cheap handle: copies share one table.

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mdp::pipeline {

struct EventOrigin {
    std::string provider;
    std::string run_id;
};

class EventOrigins {
   public:
    // Distinct origins over a host's life (a store tier sees one per upstream provider and run).
    static constexpr std::uint32_t kCapacity = 1U << 16U;
    // Longest provider name / run id (bytes), as plugin_api.h's MDP_ORIGIN_TEXT_MAX.
    static constexpr std::size_t kMaxTextBytes = 255;

    EventOrigins();

    // [any-thread] The id (>= 1) of the origin, adding it when new; 0 when the table is full.
    // Texts must have been checked (origin_problem()). No allocation when the origin is known.
    [[nodiscard]] std::uint32_t intern(std::string_view provider, std::string_view run_id) const;
    // [any-thread, lock-free] The origin with `id`, or nullptr for 0 and ids never handed out.
    [[nodiscard]] const EventOrigin* find(std::uint32_t id) const noexcept;

   private:
    static constexpr std::uint32_t kChunkSize = 1024;
    using Chunk = std::array<EventOrigin, kChunkSize>;
    struct Table {
        std::array<std::atomic<Chunk*>, kCapacity / kChunkSize> chunks{};
        std::array<std::unique_ptr<Chunk>, kCapacity / kChunkSize> owned;  // under mutex
        std::atomic<std::uint32_t> count{0};  // ids 1..count are valid
        std::mutex mutex;
        struct KeyHash {
            using is_transparent = void;
            std::size_t operator()(std::string_view key) const noexcept { return std::hash<std::string_view>{}(key); }
        };
        std::unordered_map<std::string, std::uint32_t, KeyHash, std::equal_to<>> ids;  // under mutex
    };
    std::shared_ptr<Table> table_;
};

// Why `text` cannot be an origin provider name or run id ("is empty", "is longer than 255
// bytes", "is not valid UTF-8", "contains a control character"), or "" when it can. `text`
// may be NULL (then "is missing").
[[nodiscard]] std::string_view origin_text_problem(const char* text) noexcept;

}  // namespace mdp::pipeline
