// How KEDA's prometheus scaler reads a ScaledObject and turns a query result into a metric
// value (KEDA's prometheus scaler documentation): one element or none; an empty result,
// NaN or Inf reads as 0 when ignoreNullValues is true (KEDA's default), else it is an error.

// KEDA's defaults for the replica bounds a ScaledObject may leave out.
const SCALED_OBJECT_DEFAULTS = { minReplicaCount: 0, maxReplicaCount: 100 };

export function prometheusTriggers(scaledObject) {
    return scaledObject.spec.triggers
        .filter((t) => t.type === "prometheus")
        .map((t, index) => ({
            query: t.metadata.query.trim(),
            threshold: parseNumber(t.metadata.threshold, `triggers[${index}].metadata.threshold`),
            metricType: t.metricType ?? "AverageValue",
            ignoreNullValues: (t.metadata.ignoreNullValues ?? "true").toLowerCase() === "true",
        }));
}

// The nats-jetstream triggers of a ScaledObject (KEDA's NATS JetStream scaler): the metric is
// the consumer's lag, num_pending + num_ack_pending of the stream's consumer on the server's
// /jsz endpoint; lagThreshold is its target. metricType defaults to AverageValue.
export function natsJetStreamTriggers(scaledObject) {
    return scaledObject.spec.triggers
        .map((t, index) => ({ t, index }))
        .filter(({ t }) => t.type === "nats-jetstream")
        .map(({ t, index }) => ({
            stream: t.metadata.stream,
            consumer: t.metadata.consumer,
            threshold: parseNumber(t.metadata.lagThreshold, `triggers[${index}].metadata.lagThreshold`),
            activationThreshold: parseNumber(t.metadata.activationLagThreshold ?? "0",
                `triggers[${index}].metadata.activationLagThreshold`),
            metricType: t.metricType ?? "AverageValue",
        }));
}

// Replica bounds of the HPA KEDA creates: its minReplicas is never below 1.
export function hpaReplicaBounds(scaledObject) {
    const spec = { ...SCALED_OBJECT_DEFAULTS, ...scaledObject.spec };
    return { minReplicas: Math.max(spec.minReplicaCount, 1), maxReplicas: spec.maxReplicaCount };
}

export function hpaBehavior(scaledObject) {
    return scaledObject.spec.advanced?.horizontalPodAutoscalerConfig?.behavior ?? {};
}

function parseNumber(text, where) {
    const value = Number(text);
    if (typeof text !== "string" || !Number.isFinite(value)) {
        throw new Error(`${where}: expected a number as a string, found ${JSON.stringify(text)}`);
    }
    return value;
}

// The metric value KEDA reports for `trigger` given Prometheus' /api/v1/query `data`
// object: {value} or {error}.
export function kedaMetricValue(trigger, data) {
    let samples;
    if (data.resultType === "vector") {
        samples = data.result.map((r) => r.value[1]);
    } else if (data.resultType === "scalar") {
        samples = [data.result[1]];
    } else {
        return { error: `query returned a ${data.resultType}, KEDA reads vectors and scalars` };
    }
    if (samples.length > 1) {
        return { error: `query returned ${samples.length} elements, KEDA accepts at most one` };
    }
    const value = samples.length === 0 ? NaN : Number(samples[0]);
    if (!Number.isFinite(value)) {
        const what = samples.length === 0 ? "an empty result" : `the value ${samples[0]}`;
        return trigger.ignoreNullValues ? { value: 0 } : { error: `${what} with ignoreNullValues false` };
    }
    return { value };
}
