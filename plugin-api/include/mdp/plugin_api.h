/*
 * mdp plugin ABI — the stable C contract between mdp-host and provider plugins.
 *
 * Rules of this header (they are what keeps third-party plugins loading for years):
 *  - Only C types cross the boundary: fixed-width integers, doubles, fixed-size char
 *    arrays, `const char*` with a stated lifetime, opaque `void*` user pointers and
 *    function pointers. No C++ type, exception or allocator crosses. Whoever allocates
 *    frees.
 *  - Every struct that crosses starts with `uint32_t size` (sizeof as the writer was
 *    compiled). Readers use min(their sizeof, size) and treat missing tail fields as
 *    zero. Structs only ever grow at their end; fields are never reordered or removed.
 *  - Further factories and extensions are found by versioned string id
 *    ("mdp.provider-factory/1"), so the ABI grows by adding ids, not by changing
 *    structs.
 *  - Every function states the thread that calls it, whether it may block, and who
 *    owns each pointer for how long:
 *      [control-thread]   the host's lifecycle calls, one at a time per instance: on its
 *                         control thread (init, get_factory, create, destroy, deinit), or
 *                         on a helper thread the control thread starts for that one call
 *                         and waits for up to a deadline (start, stop, reconfigure). Each
 *                         call begins after the previous one returned, but two calls need
 *                         not run on the same OS thread: keep no thread-local state across
 *                         them. A call that misses its deadline is left running and the
 *                         instance is never called again.
 *      [feedback-thread]  the host's backpressure thread
 *      [provider-thread]  any thread the provider created
 *      [store-thread]     the host's store coordinator thread (the one that writes the sinks)
 *      [any-thread]       any thread, concurrently
 *
 * Versioning: the host loads a plugin whose ABI major equals the host's major and whose
 * minor is <= the host's minor (mdp_abi_is_compatible). Minor versions only append.
 */
#ifndef MDP_PLUGIN_API_H
#define MDP_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- versioning */

#define MDP_ABI_VERSION_MAJOR 1
#define MDP_ABI_VERSION_MINOR 1
#define MDP_ABI_VERSION_PATCH 0

/* History (each minor only appends):
 *   1.0  initial contract.
 *   1.1  mdp_plugin_descriptor_t gained `url` (hosts show "" for 1.0 plugins).
 * Additions that need no new minor, because an older peer simply does not see them:
 *   - plugin extension ids (found through get_factory; a plugin without one returns NULL
 *     and keeps loading): MDP_PROVIDER_RECONFIGURE_ID ("mdp.provider-reconfigure/1",
 *     mdp_provider_reconfigure_t, in-place reconfiguration);
 *   - host extension ids (get_extension returns NULL on a host without them):
 *     MDP_HOST_CONFIG_PROBLEM_ID, MDP_HOST_CONFIG_LOCATION_ID,
 *     MDP_HOST_PUBLISH_IDENTIFIED_ID (events that keep their origin's identity),
 *     MDP_HOST_STORED_ACKS_ID (learning which published events every sink stored),
 *     MDP_HOST_SHARD_ID (which share of the configured work this host does),
 *     MDP_HOST_METRICS_ID (a provider's own counters and gauges on /metrics);
 *   - event flag bits (a host ignores bits it does not know): MDP_EVENT_FLAG_REPLAYED,
 *     MDP_EVENT_FLAG_BACKFILLED.
 * A plugin declares the oldest minor whose structs it fills in; the C++ SDK stamps 1.0
 * unless the plugin sets a url or asks for more (plugin.hpp, MDP_PLUGIN_ABI_MINOR). */

typedef struct mdp_abi_version {
    uint32_t major;
    uint32_t minor;
    uint32_t patch;
} mdp_abi_version_t;

#define MDP_ABI_VERSION_INIT \
    { MDP_ABI_VERSION_MAJOR, MDP_ABI_VERSION_MINOR, MDP_ABI_VERSION_PATCH }

/* True when a host built against `host` can load a plugin built against `plugin`:
 * same major, plugin minor not newer than the host's. Patch never matters. */
static inline int mdp_abi_is_compatible(mdp_abi_version_t host, mdp_abi_version_t plugin) {
    return host.major == plugin.major && plugin.minor <= host.minor;
}

/* ---------------------------------------------------------------- common enums
 * Enumerations cross the boundary as int32_t; new values may be appended. */

/* Backpressure level of the shared store queue. */
#define MDP_LEVEL_OK 0
#define MDP_LEVEL_SOFT 1
#define MDP_LEVEL_HARD 2

/* Provider lifecycle states, as shown on the status page. A provider reports
 * RUNNING, DEGRADED or FAILED itself; the host sets the others. */
#define MDP_STATE_LOADED 0
#define MDP_STATE_STARTING 1
#define MDP_STATE_RUNNING 2
#define MDP_STATE_DEGRADED 3
#define MDP_STATE_STOPPING 4
#define MDP_STATE_STOPPED 5
#define MDP_STATE_FAILED 6

/* Log levels for mdp_host_t.log. */
#define MDP_LOG_TRACE 0
#define MDP_LOG_DEBUG 1
#define MDP_LOG_INFO 2
#define MDP_LOG_WARN 3
#define MDP_LOG_ERROR 4

/* Result codes. */
#define MDP_OK 0
#define MDP_ERROR (-1)

/* ---------------------------------------------------------------- event records
 * Fixed layout, no pointers: a batch of events is a plain array that the host copies
 * into its store queue. `size` is first so a record can grow; within one publish call
 * every record has the same size and the array stride is events[0].size. */

/* Symbol capacity including the terminating NUL. Longer symbols must be shortened by
 * the provider (the host truncates and always terminates). */
#define MDP_SYMBOL_CAPACITY 32
#define MDP_EXCHANGE_CAPACITY 16
#define MDP_CONDITIONS_CAPACITY 16

#define MDP_EVENT_QUOTE 1
#define MDP_EVENT_TRADE 2
#define MDP_EVENT_BAR 3

/* Bit flags in mdp_event_t.flags. */
#define MDP_EVENT_FLAG_DELAYED 0x0001u /* delayed (not real-time) market data */
#define MDP_EVENT_FLAG_SNAPSHOT 0x0002u /* snapshot rather than a streaming update */
#define MDP_EVENT_FLAG_REPLAYED 0x0004u /* replayed from a recording, not received live */
/* Recovered after the fact for a window the live stream lost (an outage), e.g. bars fetched
 * as history after a reconnect. Same natural key as the live event it stands in for, so a
 * sink that upserts bars stores one row whichever arrives. */
#define MDP_EVENT_FLAG_BACKFILLED 0x0008u

/* Prices are in the instrument's currency; sizes and volumes are in shares/contracts
 * and may be fractional. NaN means "not known" for any double field. */
typedef struct mdp_quote {
    double bid;
    double ask;
    double bid_size;
    double ask_size;
    double last;
} mdp_quote_t;

typedef struct mdp_trade {
    double price;
    double size;
    char exchange[MDP_EXCHANGE_CAPACITY]; /* NUL-terminated, may be empty */
    char conditions[MDP_CONDITIONS_CAPACITY]; /* NUL-terminated, may be empty */
} mdp_trade_t;

typedef struct mdp_bar {
    int64_t interval_ns; /* bar length; event_time_ns is the bar's start */
    double open;
    double high;
    double low;
    double close;
    double volume;
    double vwap;
    int64_t trade_count;
} mdp_bar_t;

typedef struct mdp_event {
    uint32_t size; /* sizeof(mdp_event_t) as the publisher was compiled */
    uint16_t type; /* MDP_EVENT_QUOTE / _TRADE / _BAR */
    uint16_t flags; /* MDP_EVENT_FLAG_* */
    int64_t event_time_ns; /* exchange/source time, UTC nanoseconds since the epoch */
    int64_t receive_time_ns; /* when the provider received it, UTC ns (mdp_host_t.now_ns) */
    char symbol[MDP_SYMBOL_CAPACITY]; /* NUL-terminated display symbol */
    union {
        mdp_quote_t quote;
        mdp_trade_t trade;
        mdp_bar_t bar;
        uint8_t reserved[64]; /* fixes the body size so new event types fit without growth */
    } body;
} mdp_event_t;

/* ---------------------------------------------------------------- feedback */

/* What the host tells a provider when the store queue's backpressure changes. */
typedef struct mdp_feedback {
    uint32_t size;
    int32_t level; /* MDP_LEVEL_* */
    double rate_scale; /* 0.0..1.0: run at this fraction of the configured rate; 0 = pause */
    uint64_t queue_size; /* store queue depth when the level changed (events) */
    uint64_t queue_capacity; /* store queue capacity (events) */
    int64_t timestamp_ns; /* UTC ns */
} mdp_feedback_t;

/* ---------------------------------------------------------------- host services */

typedef struct mdp_publish_result {
    uint32_t size;
    uint32_t accepted; /* records the store queue took; the rest were dropped (counted) */
    int32_t level; /* MDP_LEVEL_* right after this call */
    double rate_scale; /* the provider's current rate scale right after this call */
} mdp_publish_result_t;

/* Services the host hands to each provider instance. The table and everything it points
 * to stay valid from create() until destroy() returns. */
typedef struct mdp_host {
    uint32_t size;
    mdp_abi_version_t abi_version; /* the host's ABI version */
    void* host_data; /* owned by the host; do not touch */

    /* [any-thread] Publish `count` records (stride events[0].size). The host copies them
     * before returning; the caller keeps ownership of `events`. Under the `block` overflow
     * policy this blocks while the queue is full (until space frees or the host shuts
     * down); otherwise it never blocks. `result` (may be NULL) receives how many were
     * accepted and the level and scale right after the call. Returns MDP_OK, or MDP_ERROR
     * for malformed input (NULL events, size smaller than the ABI 1.0 record). */
    int32_t (*publish)(const struct mdp_host* host, const mdp_event_t* events, uint32_t count,
                       mdp_publish_result_t* result);

    /* [any-thread, non-blocking] The rate scale this provider should run at now
     * (0.0..1.0). 0.0 means pause: publish nothing until it rises again. */
    double (*rate_scale)(const struct mdp_host* host);

    /* [any-thread, non-blocking] Log through the host's logger. `message` is copied. */
    void (*log)(const struct mdp_host* host, int32_t level, const char* message);

    /* [any-thread, non-blocking] Report the provider's state (MDP_STATE_RUNNING, _DEGRADED,
     * _FAILED) and a human-readable detail shown on the status page (may be NULL; copied,
     * at most 511 bytes kept). */
    void (*report_state)(const struct mdp_host* host, int32_t state, const char* detail);

    /* [any-thread, non-blocking] Wall clock, UTC nanoseconds since the epoch. */
    int64_t (*now_ns)(const struct mdp_host* host);

    /* [any-thread, non-blocking] Host extension by versioned id (the MDP_HOST_*_ID below), or
     * NULL when the host does not offer it. The result lives as long as this table. */
    const void* (*get_extension)(const struct mdp_host* host, const char* extension_id);
} mdp_host_t;

/* ---------------------------------------------------------------- host extensions
 * Optional services found with mdp_host_t.get_extension. A host that predates an id returns
 * NULL, so a plugin checks for NULL and falls back. Each table starts with `size`. */

/* Lets a failing factory create() name the config value it rejects as data, instead of
 * the host reading it out of the error text. */
#define MDP_HOST_CONFIG_PROBLEM_ID "mdp.host.config-problem/1"

typedef struct mdp_host_config_problem {
    uint32_t size;
    /* [control-thread, only during the factory's create()] Records why create() is about to
     * return NULL: `json_path` is relative to the instance's "config" object ("symbols[2]",
     * "reconnect.max_delay_ms"; "" = the object as a whole) and `message` says what was
     * expected ("expected an integer from 1 to 65535, found 70000"). Both are copied. The
     * host then reports "<config file>: <provider path>.<json_path>: <message>" and ignores
     * create()'s error text; the last call before create() returns wins. */
    void (*report)(const struct mdp_host* host, const char* json_path, const char* message);
} mdp_host_config_problem_t;

/* Where the host's config file is, so a plugin resolves relative paths in its config the
 * way the host resolves its own (against the config file's directory, not the working
 * directory). */
#define MDP_HOST_CONFIG_LOCATION_ID "mdp.host.config-location/1"

typedef struct mdp_host_config_location {
    uint32_t size;
    const char* config_file; /* the config file as named on the command line; "" when none */
    const char* base_directory; /* absolute directory relative paths resolve against; never NULL */
} mdp_host_config_location_t;

/* ---------------------------------------------------------------- extension: stored acks
 *
 * Publish sequences. The host numbers every record a provider instance publishes: from 1,
 * per configured provider and host run, consecutive across calls (a restart of the instance
 * continues the numbering). A call of `count` records takes the next `count` numbers whether
 * the queue accepts them or not; a call dropped whole as invalid takes none. For an
 * event published without an identity, its publish sequence is also the `seq` the sinks store.
 * Bars the host builds from an instance's ticks (host config `providers[].bars`) are records
 * of that instance too and take numbers of the same sequence (and settle like any record):
 * with them, one call's numbers are still consecutive, successive calls' need not be.
 *
 * Settlement. Every numbered record is settled exactly once, in publish-sequence order:
 *   MDP_SETTLED_STORED   every sink of the host wrote it (as durable as each sink makes a
 *                        write: a SQLite/PostgreSQL commit; for jsonl, fsynced only with its
 *                        `fsync: batch` setting, see docs/sinks.md);
 *   MDP_SETTLED_DROPPED  it will never be stored: refused by the queue at publish (the call's
 *                        `accepted` already said so), evicted later by the `drop_oldest`
 *                        policy, or in a batch the store gave up at the shutdown deadline
 *                        (that happens after every provider stopped, so no provider hears of
 *                        it: what a provider has not seen settled it must not take as stored).
 * A provider that subscribed learns each settlement as a range of publish sequences. */
#define MDP_HOST_STORED_ACKS_ID "mdp.host.stored-acks/1"

#define MDP_SETTLED_STORED 0
#define MDP_SETTLED_DROPPED 1

/* One settled range: every record with a publish sequence in [first_sequence, last_sequence]
 * has the same outcome. */
typedef struct mdp_stored_ack {
    uint32_t size;
    int32_t outcome; /* MDP_SETTLED_* */
    uint64_t first_sequence;
    uint64_t last_sequence; /* >= first_sequence; also "settled up to": a watermark */
} mdp_stored_ack_t;

/* [store-thread, must not block, must not publish] A range of this instance's records is
 * settled. Calls for one instance never overlap and come in order: each range starts right
 * after the previous one's last_sequence, so last_sequence is a watermark below which
 * nothing is pending. A range is reported only after every sink wrote the batch it was in
 * (or it was dropped); batches mix providers and a sink that fails is retried, so timing is
 * "after the store", never a fixed delay. A range may start below the first sequence this
 * instance received (records of an earlier start of the same provider, settled after it
 * stopped): ignore what you did not publish. `ack` is host-owned and valid during the call.
 * Calling publish here could wait for queue space only this thread frees: never do it. */
typedef void (*mdp_stored_ack_fn)(void* user_data, const mdp_stored_ack_t* ack);

typedef struct mdp_host_stored_acks {
    uint32_t size;
    /* [control-thread, only during create() or start(), from the thread running them]
     * Subscribes this instance to its settlements: `on_settled` is called with `user_data`
     * for every range settled from now on, until stop() returns (ranges settled while it runs are delivered during stop(), so a
     * provider may wait in stop() for the watermark to reach its last publish, within its
     * stop timeout). Never called after stop() returned; a restarted instance subscribes
     * again. A second call replaces the first. Returns MDP_OK, or MDP_ERROR for a NULL
     * callback. */
    int32_t (*subscribe)(const struct mdp_host* host, mdp_stored_ack_fn on_settled, void* user_data);

    /* [any-thread] mdp_host_t.publish that also tells the call's publish sequences:
     * `*first_sequence` (may be NULL) receives the first; the call's records have
     * first_sequence .. first_sequence + count - 1; it is 0 when the call took none (malformed,
     * or a record of an unknown type, which drops the whole call as invalid). Same blocking,
     * ownership and result rules as mdp_host_t.publish. */
    int32_t (*publish)(const struct mdp_host* host, const mdp_event_t* events, uint32_t count,
                       mdp_publish_result_t* result, uint64_t* first_sequence);
} mdp_host_stored_acks_t;

/* ---------------------------------------------------------------- extension: publish identified
 *
 * For a provider that forwards events another mdp host (or a log) already numbered, e.g. a
 * consumer of a distributed log: the events keep the identity they were first published with,
 * so the sinks' idempotent keys ((provider, run_id, seq) in PostgreSQL and SQLite) see the
 * origin's values and a redelivered event is stored once. */
#define MDP_HOST_PUBLISH_IDENTIFIED_ID "mdp.host.publish-identified/1"

/* Longest origin provider name and run id the host accepts, in bytes without the NUL. */
#define MDP_ORIGIN_TEXT_MAX 255

/* Where a call's events come from. Both strings: NUL-terminated, non-empty, at most
 * MDP_ORIGIN_TEXT_MAX bytes, well-formed UTF-8 without control characters; valid during the
 * call (the host copies them). */
typedef struct mdp_event_origin {
    uint32_t size;
    const char* provider; /* the provider instance that first published them */
    const char* run_id; /* that host's run id */
} mdp_event_origin_t;

typedef struct mdp_host_publish_identified {
    uint32_t size;
    /* [any-thread] Publishes `count` records (stride events[0].size) that all come from
     * `origin`; record i keeps origin_sequences[i] (1 .. INT64_MAX) as its `seq`. The sinks store
     * origin->provider, origin->run_id and that seq instead of this instance's name, this
     * host's run id and the publish sequence. The call still takes publish sequences, which
     * `*first_sequence` (may be NULL) receives as with mdp_host_stored_acks_t.publish, and its
     * records settle like any others. An invalid origin or a sequence out of range rejects the whole
     * call: MDP_ERROR, nothing queued, no publish sequence taken, `count` events counted as
     * dropped with reason "invalid" and the reason logged. Otherwise the blocking, ownership
     * and result rules of mdp_host_t.publish apply. */
    int32_t (*publish)(const struct mdp_host* host, const mdp_event_origin_t* origin, const mdp_event_t* events,
                       const uint64_t* origin_sequences, uint32_t count, mdp_publish_result_t* result,
                       uint64_t* first_sequence);
} mdp_host_publish_identified_t;

/* ---------------------------------------------------------------- extension: shard
 *
 * Several hosts of one ingest tier may split the configured work between them: host `index` of
 * `count` (config `shard`, or MDP_SHARD_INDEX / MDP_SHARD_COUNT). A provider that can split its
 * work (symbols, contracts) reads only the keys its shard owns, so with `count` hosts every key
 * is read by exactly one of them. Which shard owns a key is one function every tool must agree
 * on: mdp_shard_of_key below (the C++ SDK: mdp/sdk/shard.hpp). A host that does not shard
 * offers index 0 of count 1; a host without the extension returns NULL: treat it the same. */
#define MDP_HOST_SHARD_ID "mdp.host.shard/1"

typedef struct mdp_host_shard {
    uint32_t size;
    uint32_t index; /* 0 .. count - 1 */
    uint32_t count; /* >= 1 */
} mdp_host_shard_t;

/* The shard that owns `key` (`length` bytes, usually a symbol as configured) among `count`
 * (>= 1): Lamping and Veach's jump consistent hash of the key's 64-bit FNV-1a hash. Stable
 * across versions and platforms (it is part of this contract), and when `count` grows from n to
 * n + 1 only about 1/(n + 1) of the keys move, all of them to the new shard. */
static inline uint32_t mdp_shard_of_key(const char* key, size_t length, uint32_t count) {
    uint64_t hash = 14695981039346656037ULL; /* FNV-1a 64 offset basis */
    for (size_t i = 0; i < length; ++i) {
        hash ^= (uint8_t)key[i];
        hash *= 1099511628211ULL; /* FNV-1a 64 prime */
    }
    int64_t bucket = -1;
    int64_t next = 0;
    while (next < (int64_t)count) {
        bucket = next;
        hash = hash * 2862933555777941757ULL + 1;
        next = (int64_t)((double)(bucket + 1) * ((double)(1LL << 31) / (double)((hash >> 33) + 1)));
    }
    return count == 0 ? 0 : (uint32_t)bucket;
}

/* ---------------------------------------------------------------- extension: metrics
 *
 * A provider's own counters and gauges, declared once and then set by index: the host serves
 * them on /metrics as `mdp_plugin_<plugin id>_<name>{provider="<instance>"}` (with the
 * declared help and type) and in /api/v1/status under the provider's "metrics". Values are
 * doubles; a counter's value is its running total (set, not added: the plugin keeps the
 * total, the host only publishes it). */
#define MDP_HOST_METRICS_ID "mdp.host.metrics/1"

#define MDP_METRIC_COUNTER 0
#define MDP_METRIC_GAUGE 1

/* Most metrics one instance may declare. */
#define MDP_METRICS_MAX 64

typedef struct mdp_metric_declaration {
    uint32_t size;
    const char* name; /* [a-z][a-z0-9_]*, at most 64 bytes; a counter's name ends in "_total" */
    const char* help; /* one line, at most 256 bytes; may be NULL */
    int32_t kind; /* MDP_METRIC_* */
} mdp_metric_declaration_t;

typedef struct mdp_host_metrics {
    uint32_t size;
    /* [control-thread, during create() only] Declares this instance's metrics, all at once;
     * metric i is then set with index i. Returns MDP_OK, or MDP_ERROR when a declaration is
     * invalid, a name repeats, count exceeds MDP_METRICS_MAX or metrics were declared already
     * (nothing is declared then, and the reason is logged). A restarted instance declares
     * again; its values start at 0. Strings are copied. */
    int32_t (*declare)(const struct mdp_host* host, const mdp_metric_declaration_t* metrics, uint32_t count);
    /* [any-thread, non-blocking, lock-free] Sets metric `index` to `value`; an index not
     * declared, or a value that is not finite, is ignored. */
    void (*set)(const struct mdp_host* host, uint32_t index, double value);
} mdp_host_metrics_t;

/* ---------------------------------------------------------------- provider instance */

/* One running instance of a provider, created by a factory. Owned by the plugin: the
 * host never frees it except through destroy(). */
typedef struct mdp_provider {
    uint32_t size;
    void* provider_data; /* owned by the plugin */

    /* [control-thread: a helper thread, waited for up to restart.start_timeout_ms; may block
     * briefly] Begin producing: start threads, open connections. Returns MDP_OK, or MDP_ERROR after writing a NUL-terminated reason into
     * `error` (capacity `error_capacity` bytes, owned by the host, valid during the call).
     * A connection that will come later is not an error: report DEGRADED and retry. */
    int32_t (*start)(struct mdp_provider* provider, char* error, size_t error_capacity);

    /* [control-thread: a helper thread, waited for up to restart.stop_timeout_ms] Stop
     * producing and join every thread the provider created. Must return promptly. The store
     * queue stays open meanwhile, so what stop() flushes is stored; a publish of this
     * instance still waiting on a full queue at half the deadline is released (what does not
     * fit is dropped). After stop() the provider makes no more host calls. */
    void (*stop)(struct mdp_provider* provider);

    /* [control-thread] Free the instance. Called once, after stop() (or instead of
     * start() when start was never called). */
    void (*destroy)(struct mdp_provider* provider);

    /* [feedback-thread, must not block] The store queue's backpressure changed. `feedback`
     * is owned by the host and valid during the call only. May be NULL in the table. */
    void (*on_feedback)(struct mdp_provider* provider, const mdp_feedback_t* feedback);
} mdp_provider_t;

/* ---------------------------------------------------------------- factories */

#define MDP_PROVIDER_FACTORY_ID "mdp.provider-factory/1"

typedef struct mdp_provider_factory {
    uint32_t size;

    /* [control-thread, may block briefly] Create a provider instance.
     *   host           services for this instance; valid until destroy() returns
     *   instance_name  the instance's name from the config; valid during the call (copy it)
     *   config_json    the instance's "config" object as JSON text; valid during the call
     *   error          on failure, a NUL-terminated reason (host-owned, `error_capacity`)
     * Returns the instance (owned by the plugin until destroy()), or NULL with `error`
     * set. Several instances of one plugin may exist at once. */
    mdp_provider_t* (*create)(const struct mdp_provider_factory* factory, const mdp_host_t* host,
                              const char* instance_name, const char* config_json, char* error, size_t error_capacity);
} mdp_provider_factory_t;

/* ---------------------------------------------------------------- extension: reconfigure */

/* Optional. get_factory(MDP_PROVIDER_RECONFIGURE_ID) returns a
 * const mdp_provider_reconfigure_t* when the plugin's instances can take a new "config"
 * while they run (e.g. subscribe added symbols without reconnecting). Without it the host
 * applies a changed config by stop(), destroy(), create() with the new config and start(). */
#define MDP_PROVIDER_RECONFIGURE_ID "mdp.provider-reconfigure/1"

/* reconfigure() result: the change cannot be applied in place; the host stops the
 * instance and creates a new one with the new config (nothing was changed). */
#define MDP_RECONFIGURE_NEEDS_RESTART 1

typedef struct mdp_provider_reconfigure {
    uint32_t size;

    /* [control-thread: a helper thread, waited for up to restart.start_timeout_ms; may block
     * briefly] Apply `config_json` (the instance's new "config" object as JSON text, valid
     * during the call) to `provider`, created by this plugin's factory and started (or
     * stopped). The host validated the config beforehand by creating
     * (and destroying) a probe instance with it, exactly as at start.
     * Returns MDP_OK once applied (the provider runs on with the new config),
     * MDP_RECONFIGURE_NEEDS_RESTART when it cannot apply this change in place (nothing
     * changed), or MDP_ERROR with a NUL-terminated reason in `error` (capacity
     * `error_capacity`, host-owned): the provider must then still run with its previous
     * config. */
    int32_t (*reconfigure)(mdp_provider_t* provider, const char* config_json, char* error, size_t error_capacity);
} mdp_provider_reconfigure_t;

/* ---------------------------------------------------------------- plugin entry */

/* Static strings describing a plugin; valid while the library is loaded. */
typedef struct mdp_plugin_descriptor {
    uint32_t size;
    const char* id; /* stable, unique, lowercase, e.g. "synthetic", "ibkr" */
    const char* name; /* human-readable name */
    const char* version; /* the plugin's own version, e.g. "1.2.0" */
    const char* vendor;
    const char* description;
    /* --- 1.1 --- */
    const char* url; /* documentation or support URL; may be NULL */
} mdp_plugin_descriptor_t;

/* Size of mdp_plugin_descriptor_t in ABI 1.0: the smallest a host accepts. */
#define MDP_PLUGIN_DESCRIPTOR_SIZE_1_0 (offsetof(mdp_plugin_descriptor_t, url))

/* The one symbol a plugin exports: a data object named MDP_PLUGIN_ENTRY_SYMBOL. */
#define MDP_PLUGIN_ENTRY_SYMBOL "mdp_plugin_entry"

typedef struct mdp_plugin_entry {
    uint32_t size; /* sizeof(mdp_plugin_entry_t) as the plugin was compiled */
    mdp_abi_version_t abi_version; /* MDP_ABI_VERSION_INIT as the plugin was compiled */
    /* Static, valid while the library is loaded. A pointer (not inline) so the descriptor
     * can grow without moving the fields below. */
    const mdp_plugin_descriptor_t* descriptor;

    /* [control-thread] Optional (may be NULL). Called once after loading, before any
     * other function; `plugin_path` is the library's path (valid during the call).
     * Returns MDP_OK or MDP_ERROR (the plugin is then unloaded). A library may be loaded
     * more than once, each load calling init() and deinit(): a host may first load it in a
     * short-lived process that only reads this entry, then again where it runs. */
    int32_t (*init)(const char* plugin_path);

    /* [control-thread] Optional (may be NULL). Called once before unloading, after every
     * instance was destroyed. */
    void (*deinit)(void);

    /* [control-thread, non-blocking] Factory or extension by versioned id, e.g.
     * MDP_PROVIDER_FACTORY_ID → const mdp_provider_factory_t*. NULL when unknown.
     * The result lives while the library is loaded. */
    const void* (*get_factory)(const char* factory_id);
} mdp_plugin_entry_t;

/* Declares the exported entry object. Use once in one translation unit:
 *   MDP_EXPORT_PLUGIN_ENTRY const mdp_plugin_entry_t mdp_plugin_entry = { ... }; */
#if defined(_WIN32)
#define MDP_PLUGIN_VISIBILITY __declspec(dllexport)
#else
#define MDP_PLUGIN_VISIBILITY __attribute__((visibility("default")))
#endif
#ifdef __cplusplus
#define MDP_EXPORT_PLUGIN_ENTRY extern "C" MDP_PLUGIN_VISIBILITY
#else
#define MDP_EXPORT_PLUGIN_ENTRY MDP_PLUGIN_VISIBILITY
#endif

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* MDP_PLUGIN_API_H */
