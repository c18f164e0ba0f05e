// A simple model of the store tier under KEDA, for replaying a trading day second by second:
// the ingest tier publishes messages into JetStream at a load curve, the store replicas KEDA
// runs drain them at a per-replica capacity, and every 15 s the HPA (lib/hpa.mjs) reads the
// ScaledObject's triggers the way KEDA reports them.
//
// What is modelled, and the assumptions (each a named constant below):
// - JetStream backlog: messages published and not yet acknowledged. The consumer's lag as
//   KEDA reads it (num_pending + num_ack_pending) is that backlog plus what is in flight
//   in a healthy store (drain rate x ack latency).
// - A replica drains at most STORE_MODEL.replicaMessagesPerSecond once it has started
//   (STORE_MODEL.podStartSeconds after the HPA created it); a store outage drains nothing.
// - The busiest pod's store queue (the queue-depth trigger): between the watermarks while the
//   tier is saturated (a backlog exists), a fraction of the capacity at the utilisation
//   otherwise. While the store is down the trigger's query returns no data (its `unless`
//   on mdp_sink_healthy), which KEDA reports as an error.
// - Readiness: a started pod is ready; during the outage the model counts *no* pod ready,
//   the worst case (what probing /ready would do), to show the scaler does not depend on it.
import { HpaModel, SYNC_PERIOD_SECONDS } from "./hpa.mjs";
import { hpaBehavior, hpaReplicaBounds, natsJetStreamTriggers, prometheusTriggers } from "./keda.mjs";

export const STORE_MODEL = {
    replicaMessagesPerSecond: 1000,  // one store replica's drain rate (measure yours: README.md)
    podStartSeconds: 30,  // from the HPA's decision to a replica that fetches
    ackLatencySeconds: 0.5,  // delivered -> acknowledged in a healthy store (flush + write)
    queueCapacity: 10000,  // store.queue_capacity of the store ConfigMap
    saturatedQueueFill: 0.65,  // busiest pod's queue fill while a backlog exists (between watermarks)
    idleQueueFill: 0.2,  // ... at full utilisation without a backlog, scaled by the utilisation
};

// The trading day, in seconds from the start of the replay and messages per second.
export const TRADING_DAY = {
    steadyPerSecond: 800,
    preOpenFactor: 0.1,
    burstFactor: 10,
    openAt: 300,  // market open: the burst starts
    burstSeconds: 300,  // 5 minutes at 10x steady
    outageAt: 1800,  // store (PostgreSQL) outage, during the steady session
    outageSeconds: 120,
    closeAt: 3000,  // market close: nothing more arrives
    endAt: 4200,
};

export function loadAt(t, day = TRADING_DAY) {
    if (t < day.openAt) return day.steadyPerSecond * day.preOpenFactor;
    if (t < day.openAt + day.burstSeconds) return day.steadyPerSecond * day.burstFactor;
    if (t < day.closeAt) return day.steadyPerSecond;
    return 0;
}

export function storeDownAt(t, day = TRADING_DAY) {
    return t >= day.outageAt && t < day.outageAt + day.outageSeconds;
}

// The readings KEDA hands the HPA at one sync, in the ScaledObject's trigger order.
function readings(scaledObject, state, model) {
    const lag = natsJetStreamTriggers(scaledObject).map((t) => ({ metricType: t.metricType, threshold: t.threshold,
        value: state.lag }));
    const queue = prometheusTriggers(scaledObject).map((t) => {
        if (state.storeDown) return { metricType: t.metricType, threshold: t.threshold, error: "store sink unhealthy: no data" };
        const fill = state.backlog > 0 ? model.saturatedQueueFill : model.idleQueueFill * state.utilisation;
        return { metricType: t.metricType, threshold: t.threshold, value: Math.round(fill * model.queueCapacity) };
    });
    return [...lag, ...queue];
}

// Replays the day; returns one row per HPA sync:
// {t, load, storeDown, replicas, ready, capacity, backlog, lag}.
export function simulateStoreTier(scaledObject, { day = TRADING_DAY, model = STORE_MODEL } = {}) {
    const bounds = hpaReplicaBounds(scaledObject);
    const hpa = new HpaModel({ ...bounds, behavior: hpaBehavior(scaledObject) });
    let pods = Array.from({ length: hpa.replicas }, () => -model.podStartSeconds);  // creation times
    let backlog = 0;
    const rows = [];
    for (let t = 0; t < day.endAt; t++) {
        const load = loadAt(t, day);
        const storeDown = storeDownAt(t, day);
        const started = pods.filter((created) => t - created >= model.podStartSeconds).length;
        const capacity = storeDown ? 0 : started * model.replicaMessagesPerSecond;
        const drained = Math.min(backlog + load, capacity);
        backlog = backlog + load - drained;
        const lag = Math.round(backlog + drained * model.ackLatencySeconds);
        if ((t + 1) % SYNC_PERIOD_SECONDS !== 0) continue;
        const ready = storeDown ? 0 : started;
        const utilisation = capacity > 0 ? Math.min(1, load / capacity) : 1;
        const state = { lag, backlog, storeDown, utilisation };
        const replicas = hpa.sync(readings(scaledObject, state, model), { readyReplicas: ready });
        // The ReplicaSet removes the newest pods first (they are the least started).
        pods = replicas >= pods.length
            ? [...pods, ...Array.from({ length: replicas - pods.length }, () => t + 1)]
            : pods.slice(0, replicas);
        rows.push({ t: t + 1, load, storeDown, replicas, ready, capacity, backlog: Math.round(backlog), lag });
    }
    return rows;
}

// The rows as a Markdown table, one line per `everySeconds`.
export function simulationTable(rows, everySeconds = 60) {
    const header = "| t (min) | load (msg/s) | store | replicas | ready | capacity (msg/s) | backlog (msg) | lag (msg) |\n" +
        "|---:|---:|---|---:|---:|---:|---:|---:|";
    const lines = rows.filter((r) => r.t % everySeconds === 0).map((r) =>
        `| ${r.t / 60} | ${r.load} | ${r.storeDown ? "DOWN" : "up"} | ${r.replicas} | ${r.ready} | ${r.capacity} | ${r.backlog} | ${r.lag} |`);
    return [header, ...lines].join("\n");
}
