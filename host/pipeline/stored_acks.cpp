#include "pipeline/stored_acks.hpp"

#include <algorithm>

namespace mdp::pipeline {

SettlementLog::SettlementLog(std::uint64_t settled_through) : settled_through_(settled_through) {
    ready_.reserve(16);
    delivering_.reserve(16);
}

void SettlementLog::append_ready(const SettledRange& range) {
    append_coalesced(ready_, range);
    settled_through_ = range.last;
}

void SettlementLog::settle(std::uint64_t first, std::uint64_t last, Settlement outcome) {
    std::lock_guard lock(mutex_);
    if (last <= settled_through_) {
        return;  // published before the subscription
    }
    first = std::max(first, settled_through_ + 1);
    if (first != settled_through_ + 1) {
        early_.emplace(first, SettledRange{first, last, outcome});
        return;
    }
    append_ready({first, last, outcome});
    while (!early_.empty() && early_.begin()->first == settled_through_ + 1) {
        append_ready(early_.begin()->second);
        early_.erase(early_.begin());
    }
    has_ready_.store(true, std::memory_order_release);
}

void SettlementLog::deliver() {
    if (!has_ready_.load(std::memory_order_acquire)) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        delivering_.swap(ready_);
        has_ready_.store(false, std::memory_order_relaxed);
    }
    {
        std::lock_guard subscriber(subscriber_mutex_);
        if (callback_ != nullptr) {
            for (const SettledRange& range : delivering_) {
                mdp_stored_ack_t ack{};
                ack.size = sizeof(ack);
                ack.outcome = static_cast<std::int32_t>(range.outcome);
                ack.first_sequence = range.first;
                ack.last_sequence = range.last;
                callback_(user_data_, &ack);
            }
        }
    }
    delivering_.clear();
}

void SettlementLog::subscribe(mdp_stored_ack_fn callback, void* user_data) {
    std::lock_guard subscriber(subscriber_mutex_);
    callback_ = callback;
    user_data_ = user_data;
}

void SettlementLog::unsubscribe() { subscribe(nullptr, nullptr); }

StoredAcks::StoredAcks() { touched_.reserve(kCapacity); }

SettlementLog* StoredAcks::enable(std::uint32_t provider_id, std::uint64_t settled_through) {
    if (provider_id >= kCapacity) {
        return nullptr;
    }
    std::lock_guard lock(enable_mutex_);
    if (SettlementLog* existing = find(provider_id)) {
        return existing;
    }
    owned_[provider_id] = std::make_unique<SettlementLog>(settled_through);
    SettlementLog* log = owned_[provider_id].get();
    const std::size_t count = enabled_count_.load(std::memory_order_relaxed);
    enabled_[count].store(log, std::memory_order_relaxed);
    logs_[provider_id].store(log, std::memory_order_release);
    enabled_count_.store(count + 1, std::memory_order_release);
    return log;
}

void StoredAcks::settle_one(const StoreEvent& record, Settlement outcome) const {
    if (SettlementLog* log = find(record.provider_id)) {
        log->settle(record.sequence, record.sequence, outcome);
    }
}

void StoredAcks::batch_settled(std::span<const StoreEvent> batch, Settlement outcome) {
    if (enabled_count_.load(std::memory_order_acquire) == 0) {
        return;
    }
    // One range per run of consecutive sequences of one provider: a batch usually holds one
    // run per provider however the providers interleave.
    for (const StoreEvent& record : batch) {
        SettlementLog* log = find(record.provider_id);
        if (log == nullptr) {
            continue;
        }
        if (!log->run_open_) {
            log->run_open_ = true;
            log->run_ = {record.sequence, record.sequence, outcome};
            touched_.push_back(log);
        } else if (log->run_.last + 1 == record.sequence) {
            log->run_.last = record.sequence;
        } else {
            log->settle(log->run_.first, log->run_.last, outcome);
            log->run_ = {record.sequence, record.sequence, outcome};
        }
    }
    for (SettlementLog* log : touched_) {
        log->settle(log->run_.first, log->run_.last, outcome);
        log->run_open_ = false;
    }
    touched_.clear();
}

void StoredAcks::deliver() {
    const std::size_t count = enabled_count_.load(std::memory_order_acquire);
    for (std::size_t index = 0; index < count; ++index) {
        enabled_[index].load(std::memory_order_relaxed)->deliver();
    }
}

}  // namespace mdp::pipeline
