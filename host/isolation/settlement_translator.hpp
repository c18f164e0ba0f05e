#pragma once
// Carries stored acknowledgements (plugin_api.h, MDP_HOST_STORED_ACKS_ID) across one step of
// an isolated provider's publish path at which records are numbered anew: the host settles
// its publish sequences, which the host's side of the runner turns into ring positions; the
// runner turns ring positions into the publish sequences its plugin was given.
//
// A settlement arrives in the numbering of the next step ("upstream": e.g. the host's publish
// sequences) and leaves in this step's ("downstream": e.g. ring positions). Upstream ranges
// come in order and without gaps (the host's SettlementLog promises it), but they also cover
// upstream records this step never handed on (the host's own bars, records published before
// the subscription) and may arrive before map() learnt of the records they settle (the store
// can be faster than the publisher's return). Downstream ranges leave in order and without
// gaps from the first mapped record on, so they keep the extension's promise one step further.

#include "pipeline/stored_acks.hpp"

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace mdp::isolation {

class SettlementTranslator {
   public:
    // [one thread at a time: the step's publisher] Downstream records `downstream_first` ..
    // + count - 1 travel on as upstream `upstream_first` .. + count - 1. Calls come in
    // downstream order, and upstream_first grows from call to call.
    void map(std::uint64_t downstream_first, std::uint64_t upstream_first, std::uint64_t count);
    // [as map()] Downstream records that never travel on (refused at this step): they settle
    // as dropped once everything before them settled.
    void map_dropped(std::uint64_t downstream_first, std::uint64_t count);
    // [any-thread] Upstream records `first` .. `last` settled as `outcome`.
    void settle(std::uint64_t first, std::uint64_t last, pipeline::Settlement outcome);
    // [any-thread] Moves what settled downstream, in order, coalesced, into `settled`.
    void take(std::vector<pipeline::SettledRange>& settled);
    // [any-thread] Forgets every mapping and settlement (a new subscription starts afresh).
    void clear();

   private:
    struct Segment {
        std::uint64_t downstream_first = 0;
        std::uint64_t upstream_first = 0;  // unused when `dropped`
        std::uint64_t count = 0;
        std::uint64_t done = 0;  // how many of them settled
        bool dropped = false;
    };
    // Matches segments against upstream settlements while both have something; under mutex_.
    void apply();
    void emit(std::uint64_t first, std::uint64_t last, pipeline::Settlement outcome);  // under mutex_

    std::mutex mutex_;
    std::deque<Segment> segments_;  // in downstream order
    std::deque<pipeline::SettledRange> upstream_;  // settled, not matched yet; coalesced
    std::vector<pipeline::SettledRange> downstream_;  // matched, not taken yet; coalesced
};

}  // namespace mdp::isolation
