#include "pipeline/batching_rule.hpp"

#include <algorithm>

namespace mdp::pipeline {

BatchingRule::BatchingRule(const BatchingLimits& limits) : limits_(limits) {
    limits_.batch_size = std::max<std::size_t>(1, limits_.batch_size);
    limits_.max_batch_size = std::max(limits_.batch_size, limits_.max_batch_size);
}

BatchingRule::Decision BatchingRule::write(std::size_t depth) const {
    return {std::min(depth, limits_.max_batch_size), 0, {}};
}

BatchingRule::Decision BatchingRule::decide(std::size_t depth, TimePoint now, bool no_wait) {
    if (depth == 0) {
        waiting_since_.reset();
        return {0, 1, now + limits_.idle_wake};
    }
    if (!waiting_since_) {
        waiting_since_ = now;
    }
    const TimePoint ready_at = *waiting_since_ + limits_.coalesce_wait;
    if (no_wait || depth >= limits_.batch_size || now >= ready_at) {
        return write(depth);
    }
    return {0, limits_.batch_size, ready_at};
}

void BatchingRule::write_finished(TimePoint started) {
    // Whatever is queued now arrived during the write, or did not fit into it and has waited
    // even longer; counting from the write's start errs towards coalescing (a fast sink under
    // load still gets batches, not single events). An empty queue resets this at the next
    // decide().
    waiting_since_ = started;
}

}  // namespace mdp::pipeline
