#pragma once
// The event types this host knows (plugin_api.h's MDP_EVENT_*) and their names, once: the
// `type` label of mdp_events_published_total, the type sinks store and the status page shows.
// Code that handles every type iterates kEventTypes; a value per type lives in PerEventType.

#include <mdp/plugin_api.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mdp::common {

enum class EventType : std::uint16_t { quote = MDP_EVENT_QUOTE, trade = MDP_EVENT_TRADE, bar = MDP_EVENT_BAR };

inline constexpr std::array kEventTypes{EventType::quote, EventType::trade, EventType::bar};

constexpr std::string_view to_string(EventType type) {
    switch (type) {
        case EventType::quote:
            return "quote";
        case EventType::trade:
            return "trade";
        case EventType::bar:
            return "bar";
    }
    return "";
}

// The known type with ABI id `id` (mdp_event_t.type), or nullopt.
constexpr std::optional<EventType> event_type_of(std::uint16_t id) {
    for (const EventType type : kEventTypes) {
        if (id == static_cast<std::uint16_t>(type)) {
            return type;
        }
    }
    return std::nullopt;
}

// The position of `type` in kEventTypes.
constexpr std::size_t index_of(EventType type) {
    return static_cast<std::size_t>(type) - static_cast<std::size_t>(kEventTypes.front());
}

// One `T` per known event type, addressed by the type; value-initialised.
template <typename T>
struct PerEventType {
    std::array<T, kEventTypes.size()> values{};

    constexpr T& operator[](EventType type) { return values[index_of(type)]; }
    constexpr const T& operator[](EventType type) const { return values[index_of(type)]; }
};

static_assert(
    [] {
        for (std::size_t index = 0; index < kEventTypes.size(); ++index) {
            if (index_of(kEventTypes[index]) != index) {
                return false;
            }
        }
        return true;
    }(),
    "kEventTypes lists the ABI's type ids in order, without gaps, so index_of() addresses them");

}  // namespace mdp::common
