// The enumerations metrics and the status document label by, each defined once with its
// names: the names are a contract (metric label values, JSON keys), so they are pinned here.

#include "common/event_type.hpp"
#include "pipeline/backpressure_level.hpp"
#include "pipeline/ignored_tick.hpp"
#include "pipeline/overflow_policy.hpp"

#include <catch2/catch.hpp>

#include <string_view>
#include <vector>

namespace mdp {
namespace {

template <typename Enum, std::size_t N>
std::vector<std::string_view> names_of(const std::array<Enum, N>& values) {
    std::vector<std::string_view> names;
    for (const Enum value : values) {
        names.push_back(to_string(value));
    }
    return names;
}

}  // namespace

TEST_CASE("event types, levels and drop reasons keep their contract names", "[names]") {
    CHECK(names_of(common::kEventTypes) == std::vector<std::string_view>{"quote", "trade", "bar"});
    CHECK(names_of(pipeline::kLevels) == std::vector<std::string_view>{"ok", "soft", "hard"});
    CHECK(names_of(pipeline::kDropReasons) ==
          std::vector<std::string_view>{"queue_full_newest", "queue_full_oldest", "shutdown", "invalid"});
    CHECK(names_of(pipeline::kIgnoredTicks) == std::vector<std::string_view>{"late", "unpriced", "future"});
}

TEST_CASE("ABI ids map to the known event types and levels, and nothing else", "[names]") {
    CHECK(common::event_type_of(MDP_EVENT_QUOTE) == common::EventType::quote);
    CHECK(common::event_type_of(MDP_EVENT_TRADE) == common::EventType::trade);
    CHECK(common::event_type_of(MDP_EVENT_BAR) == common::EventType::bar);
    CHECK_FALSE(common::event_type_of(0).has_value());
    CHECK_FALSE(common::event_type_of(MDP_EVENT_BAR + 1).has_value());
    CHECK(pipeline::level_of(MDP_LEVEL_SOFT) == pipeline::Level::soft);
    CHECK_FALSE(pipeline::level_of(3).has_value());

    common::PerEventType<int> per_type;
    per_type[common::EventType::bar] = 7;
    CHECK(per_type.values == std::array<int, 3>{0, 0, 7});
}

}  // namespace mdp
