#include "sinks/nats/nats_message_plan.hpp"

#include "sinks/event_fields.hpp"

#include <cstring>
#include <functional>
#include <string_view>
#include <unordered_map>

namespace mdp::sinks {

namespace {

struct GroupKey {
    std::uint32_t provider_id;
    std::uint32_t origin_id;
    common::EventType type;
    std::string_view symbol;
    bool operator==(const GroupKey&) const = default;
};

struct GroupKeyHash {
    std::size_t operator()(const GroupKey& key) const noexcept {
        const std::size_t symbol_hash = std::hash<std::string_view>{}(key.symbol);
        return symbol_hash ^ (static_cast<std::size_t>(key.provider_id) * 0x9E3779B97F4A7C15ULL) ^
               (static_cast<std::size_t>(key.origin_id) << 16U) ^ static_cast<std::size_t>(key.type);
    }
};

}  // namespace

std::vector<PlannedMessage> plan_messages(std::span<const pipeline::StoreEvent> batch, std::size_t max_events) {
    std::vector<PlannedMessage> groups;
    std::unordered_map<GroupKey, std::size_t, GroupKeyHash> group_of;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const pipeline::StoreEvent& record = batch[i];
        const GroupKey key{record.provider_id, record.origin_id, stored_type(record),
                           std::string_view(record.event.symbol, strnlen(record.event.symbol, MDP_SYMBOL_CAPACITY))};
        const auto [found, inserted] = group_of.try_emplace(key, groups.size());
        if (inserted) {
            groups.push_back({record.provider_id, record.origin_id, stored_type(record), {}});
        }
        groups[found->second].indices.push_back(static_cast<std::uint32_t>(i));
    }
    std::vector<PlannedMessage> messages;
    for (auto& group : groups) {
        if (group.indices.size() <= max_events) {
            messages.push_back(std::move(group));
            continue;
        }
        for (std::size_t start = 0; start < group.indices.size(); start += max_events) {
            const std::size_t end = std::min(group.indices.size(), start + max_events);
            messages.push_back({group.provider_id, group.origin_id, group.type,
                                std::vector<std::uint32_t>(group.indices.begin() + static_cast<std::ptrdiff_t>(start),
                                                           group.indices.begin() + static_cast<std::ptrdiff_t>(end))});
        }
    }
    return messages;
}

}  // namespace mdp::sinks
