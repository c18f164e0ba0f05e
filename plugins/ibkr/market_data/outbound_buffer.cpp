#include "market_data/outbound_buffer.hpp"

#include <algorithm>

namespace mdp::ibkr {

namespace {
constexpr auto kRateWindow = std::chrono::seconds(1);
}

OutboundBuffer::OutboundBuffer(std::size_t contract_count, std::size_t capacity, Clock::duration max_quote_hold)
    : capacity_(capacity), max_quote_hold_(max_quote_hold), slots_(contract_count) {
    fifo_.reserve(std::min<std::size_t>(capacity_, 4096));
    dirty_slots_.reserve(contract_count);
}

void OutboundBuffer::ensure_contract_slots(std::size_t contract_count) {
    std::lock_guard lock(mutex_);
    if (contract_count > slots_.size()) {
        slots_.resize(contract_count);
    }
}

void OutboundBuffer::note_quote_update(QuoteSlot& slot, Clock::time_point now) {
    if (slot.window_updates == 0 && slot.window_start == Clock::time_point{}) {
        slot.window_start = now;
    }
    ++slot.window_updates;
    const auto elapsed = now - slot.window_start;
    if (elapsed >= kRateWindow) {
        const double measured = slot.window_updates / std::chrono::duration<double>(elapsed).count();
        slot.updates_per_second =
            slot.updates_per_second == 0.0 ? measured : 0.5 * slot.updates_per_second + 0.5 * measured;
        slot.window_start = now;
        slot.window_updates = 0;
    }
}

void OutboundBuffer::hold_quote(QuoteSlot& slot, const mdp_event_t& event) {
    if (slot.dirty) {
        ++counters_.quotes_conflated;
    }
    slot.latest = event;
    slot.dirty = true;
    if (!slot.listed) {
        slot.listed = true;
        dirty_slots_.push_back(static_cast<std::uint32_t>(&slot - slots_.data()));
    }
}

void OutboundBuffer::route_quote(const OutboundEvent& event, double rate_scale, Clock::time_point now) {
    if (event.slot >= slots_.size()) {
        return;
    }
    QuoteSlot& slot = slots_[event.slot];
    note_quote_update(slot, now);
    if (rate_scale >= 1.0 && fifo_.size() < capacity_) {
        fifo_.push_back(event.event);
        if (slot.dirty) {
            // A quote is the whole top of book: this newer one supersedes the held one.
            slot.dirty = false;
            ++counters_.quotes_conflated;
        }
        return;
    }
    hold_quote(slot, event.event);
}

void OutboundBuffer::push(std::span<const OutboundEvent> events, double rate_scale, Clock::time_point now) {
    if (events.empty()) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        counters_.pushed += events.size();
        for (const OutboundEvent& event : events) {
            const bool is_bar = event.event.type == MDP_EVENT_BAR;
            if (event.event.type == MDP_EVENT_QUOTE) {
                ++counters_.pushed_quotes;
                route_quote(event, rate_scale, now);
                continue;
            }
            ++(is_bar ? counters_.pushed_bars : counters_.pushed_trades);
            if (fifo_.size() < capacity_) {
                fifo_.push_back(event.event);
            } else {
                ++(is_bar ? counters_.dropped_bars : counters_.dropped_trades);
            }
        }
        ++generation_;
    }
    // At scale 0 nothing can be released, so there is no point waking the consumer; it
    // looks again when the scale changes (wake()).
    if (rate_scale > 0.0) {
        wakeup_.notify_one();
    }
}

OutboundBuffer::Clock::duration OutboundBuffer::release_interval(const QuoteSlot& slot, double rate_scale) const {
    if (rate_scale >= 1.0) {
        return Clock::duration::zero();
    }
    if (slot.updates_per_second <= 0.0) {
        return max_quote_hold_;  // no rate known yet: release at the longest hold
    }
    const std::chrono::duration<double> interval(1.0 / (slot.updates_per_second * rate_scale));
    return std::min(max_quote_hold_, std::chrono::duration_cast<Clock::duration>(interval));
}

OutboundBuffer::Clock::time_point OutboundBuffer::take_publishable(std::vector<mdp_event_t>& out, double rate_scale,
                                                                   Clock::time_point now) {
    std::lock_guard lock(mutex_);
    seen_generation_ = generation_;
    if (rate_scale <= 0.0) {
        return Clock::time_point::max();
    }
    if (out.empty()) {
        out.swap(fifo_);  // O(1) hand-off of the whole FIFO; fifo_ reuses out's old storage
    } else {
        out.insert(out.end(), fifo_.begin(), fifo_.end());
    }
    fifo_.clear();
    std::size_t released = out.size();

    Clock::time_point next_due = Clock::time_point::max();
    std::size_t kept = 0;
    for (const std::uint32_t index : dirty_slots_) {
        QuoteSlot& slot = slots_[index];
        if (!slot.dirty) {
            slot.listed = false;
            continue;
        }
        if (rate_scale >= 1.0 || now >= slot.next_release) {
            out.push_back(slot.latest);
            ++released;
            slot.dirty = false;
            slot.listed = false;
            slot.next_release = now + release_interval(slot, rate_scale);
            continue;
        }
        next_due = std::min(next_due, slot.next_release);
        dirty_slots_[kept++] = index;
    }
    dirty_slots_.resize(kept);
    counters_.released += released;
    return next_due;
}

void OutboundBuffer::take_all(std::vector<mdp_event_t>& out) {
    std::lock_guard lock(mutex_);
    out.insert(out.end(), fifo_.begin(), fifo_.end());
    std::size_t released = fifo_.size();
    fifo_.clear();
    for (const std::uint32_t index : dirty_slots_) {
        QuoteSlot& slot = slots_[index];
        if (slot.dirty) {
            out.push_back(slot.latest);
            ++released;
        }
        slot.dirty = false;
        slot.listed = false;
    }
    dirty_slots_.clear();
    counters_.released += released;
}

void OutboundBuffer::wait_until(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    wakeup_.wait_until(lock, deadline, [this] { return generation_ != seen_generation_; });
}

void OutboundBuffer::wake() {
    {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    wakeup_.notify_one();
}

OutboundBuffer::Counters OutboundBuffer::counters() const {
    std::lock_guard lock(mutex_);
    Counters result = counters_;
    result.queued = fifo_.size();
    result.held_quotes = static_cast<std::size_t>(std::count_if(
        dirty_slots_.begin(), dirty_slots_.end(), [this](std::uint32_t index) { return slots_[index].dirty; }));
    return result;
}

}  // namespace mdp::ibkr
