#pragma once
// What the host and an isolated provider's runner (mdp-provider-runner) agree on: the
// descriptors the runner inherits, its command line, and the control messages.
//
// Sequence: the host starts the runner; the runner loads the plugin with the host's loader
// checks and answers `loaded`; the host then sends `create`, `start`, `stop`, `reconfigure`,
// `destroy` one at a time, each answered by one `reply`, and `feedback` (no answer) in
// between. At any time the runner sends `log`, `state` and, during create, `config_problem`
// and `metrics_declare` (which the host answers with `declared` before the create reply; the
// runner's main thread, inside create, reads that answer itself). During create or start the
// runner may send `subscribe` (its plugin subscribed to stored acknowledgements), answered by
// `subscribed` in the same way. Metric values, published identities and settled ranges cross
// through the ring's shared memory.
// Every `reply` is sent after what the call published is in the ring, so the host, which
// drains the ring before it reads the next message, has queued those events before the reply
// returns. After answering `destroy` the runner exits 0.

#include <cstdint>

namespace mdp::isolation {

// Descriptors the runner finds open at start.
inline constexpr int kRunnerChannelFd = 3;  // the control channel (a Unix stream socket)
inline constexpr int kRunnerRingFd = 4;  // the event ring's memfd
inline constexpr int kRunnerDataFd = 5;  // eventfd: records ready (runner -> host)
inline constexpr int kRunnerSpaceFd = 6;  // eventfd: slots free (host -> runner)

enum class MessageType : std::uint32_t {
    // host -> runner
    create = 1,  // name, config JSON, config file, base directory, shard index, shard count, extensions
    start = 2,
    stop = 3,
    destroy = 4,
    feedback = 5,  // level, rate scale, queue size, capacity, timestamp ns
    reconfigure = 6,  // config JSON
    declared = 7,  // code, text: the host's answer to metrics_declare
    subscribed = 8,  // code, text: the host's answer to subscribe
    // runner -> host
    loaded = 100,  // code, text (the load error)
    reply = 101,  // code (MDP_OK, MDP_ERROR, MDP_RECONFIGURE_NEEDS_RESTART), text (the error)
    log = 102,  // level, text
    state = 103,  // state, detail
    config_problem = 104,  // JSON path, message (create() names the value it rejects)
    metrics_declare = 105,  // count, then name, help, kind each (during create only; answered by `declared`)
    subscribe = 106,  // (during create or start only; answered by `subscribed`)
};

// `create`'s extensions: the delivery extensions the instance's host offers, which the runner
// then offers its plugin.
inline constexpr std::uint32_t kOffersStoredAcks = 1U << 0U;
inline constexpr std::uint32_t kOffersPublishIdentified = 1U << 1U;

}  // namespace mdp::isolation
