#include "isolation/settlement_translator.hpp"

#include <algorithm>

namespace mdp::isolation {

namespace {

using pipeline::SettledRange;
using pipeline::Settlement;

// Upstream ranges kept while no segment waits for them. Ranges that settle records not mapped
// yet are few (one publish call in flight); the rest settle what this step never handed on
// and only alternate outcomes keep them apart, so the oldest beyond this are let go.
constexpr std::size_t kMaxUnmatchedRanges = 4096;

}  // namespace

void SettlementTranslator::map(std::uint64_t downstream_first, std::uint64_t upstream_first, std::uint64_t count) {
    if (count == 0) {
        return;
    }
    std::lock_guard lock(mutex_);
    segments_.push_back({downstream_first, upstream_first, count, 0, false});
    apply();
}

void SettlementTranslator::map_dropped(std::uint64_t downstream_first, std::uint64_t count) {
    if (count == 0) {
        return;
    }
    std::lock_guard lock(mutex_);
    segments_.push_back({downstream_first, 0, count, 0, true});
    apply();
}

void SettlementTranslator::settle(std::uint64_t first, std::uint64_t last, Settlement outcome) {
    std::lock_guard lock(mutex_);
    pipeline::append_coalesced(upstream_, {first, last, outcome});
    apply();
    if (segments_.empty() && upstream_.size() > kMaxUnmatchedRanges) {
        upstream_.pop_front();
    }
}

void SettlementTranslator::take(std::vector<SettledRange>& settled) {
    std::lock_guard lock(mutex_);
    for (const SettledRange& range : downstream_) {
        pipeline::append_coalesced(settled, range);
    }
    downstream_.clear();
}

void SettlementTranslator::clear() {
    std::lock_guard lock(mutex_);
    segments_.clear();
    upstream_.clear();
    downstream_.clear();
}

void SettlementTranslator::emit(std::uint64_t first, std::uint64_t last, Settlement outcome) {
    pipeline::append_coalesced(downstream_, {first, last, outcome});
}

void SettlementTranslator::apply() {
    while (!segments_.empty()) {
        Segment& segment = segments_.front();
        if (segment.dropped) {
            emit(segment.downstream_first, segment.downstream_first + segment.count - 1, Settlement::dropped);
            segments_.pop_front();
            continue;
        }
        if (upstream_.empty()) {
            return;
        }
        SettledRange& range = upstream_.front();
        const std::uint64_t pending_first = segment.upstream_first + segment.done;
        const std::uint64_t segment_last = segment.upstream_first + segment.count - 1;
        if (range.last < pending_first) {
            upstream_.pop_front();  // records this step never handed on (or settled before they were mapped)
            continue;
        }
        if (range.first > segment_last) {
            // Upstream settled past this segment without it: its settlement was lost on the way
            // (the subscription was off). Claiming dropped is the side that loses nothing.
            emit(segment.downstream_first + segment.done, segment.downstream_first + segment.count - 1,
                 Settlement::dropped);
            segments_.pop_front();
            continue;
        }
        if (range.first > pending_first) {
            // The same, for the segment's part before the range.
            const std::uint64_t skipped = range.first - pending_first;
            emit(segment.downstream_first + segment.done, segment.downstream_first + segment.done + skipped - 1,
                 Settlement::dropped);
            segment.done += skipped;
        }
        const std::uint64_t overlap_last = std::min(range.last, segment_last);
        const std::uint64_t settled = overlap_last - (segment.upstream_first + segment.done) + 1;
        emit(segment.downstream_first + segment.done, segment.downstream_first + segment.done + settled - 1,
             range.outcome);
        segment.done += settled;
        if (overlap_last == range.last) {
            upstream_.pop_front();
        } else {
            range.first = overlap_last + 1;
        }
        if (segment.done == segment.count) {
            segments_.pop_front();
        }
    }
}

}  // namespace mdp::isolation
