#pragma once
// A test hook into the store queue's lock-free protocol: named points between two atomic
// reads where a race window opens. A test installs a probe that holds one thread at such a
// point while other threads move the queue on, which replays a race deterministically
// instead of hoping the scheduler produces it. The host never installs a probe; a queue
// without one pays a predictable branch per claim and per depth read.

namespace mdp::pipeline {

enum class StoreQueuePoint {
    depth_read_head,  // depth(): `head` is read, `tail` is not yet
    claim_read_tail,  // a producer's claim: `tail` is read, `head` is not yet
};

class StoreQueueProbe {
   public:
    virtual ~StoreQueueProbe() = default;
    // [the thread passing `point`] May block that thread (and only it) for as long as the
    // test needs; must not touch the queue from this thread.
    virtual void reached(StoreQueuePoint point) = 0;
};

}  // namespace mdp::pipeline
