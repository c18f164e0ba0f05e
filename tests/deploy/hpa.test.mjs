// The HPA model the KEDA loop test relies on, checked against the arithmetic documented in
// Kubernetes' HPA documentation and its replica calculator (pkg/controller/podautoscaler).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { HpaModel, replicasForMetric, replicasForMetrics } from "./lib/hpa.mjs";
import { hpaBehavior, hpaReplicaBounds, kedaMetricValue, natsJetStreamTriggers, prometheusTriggers } from "./lib/keda.mjs";
import { loadKind } from "./lib/manifests.mjs";
import { deployFile } from "./lib/paths.mjs";

test("AverageValue asks for ceil(value / threshold) outside the 10 % tolerance", () => {
    assert.equal(replicasForMetric({ metricType: "AverageValue", value: 12000, threshold: 5000, currentReplicas: 1 }), 3);
    // 10400 / (5000 x 2) = 1.04: inside the tolerance, no change.
    assert.equal(replicasForMetric({ metricType: "AverageValue", value: 10400, threshold: 5000, currentReplicas: 2 }), 2);
    // A 0/2 gauge with threshold 0.5: 4 replicas while HARD, nothing otherwise.
    assert.equal(replicasForMetric({ metricType: "AverageValue", value: 2, threshold: 0.5, currentReplicas: 1 }), 4);
    assert.equal(replicasForMetric({ metricType: "AverageValue", value: 0, threshold: 0.5, currentReplicas: 4 }), 0);
});

test("Value multiplies the ready pods by value / threshold", () => {
    assert.equal(replicasForMetric({ metricType: "Value", value: 1, threshold: 0.5, currentReplicas: 3 }), 6);
    assert.equal(replicasForMetric({ metricType: "Value", value: 8000, threshold: 5000, currentReplicas: 1 }), 2);
    assert.equal(replicasForMetric({ metricType: "Value", value: 5400, threshold: 5000, currentReplicas: 7 }), 7);
    assert.equal(replicasForMetric({ metricType: "Value", value: 100, threshold: 5000, currentReplicas: 10 }), 1);
    assert.equal(replicasForMetric({ metricType: "Value", value: 0, threshold: 5000, currentReplicas: 10 }), 0);
});

test("several metrics: the largest proposal wins; a failing one blocks scale-down only", () => {
    const queue = { metricType: "Value", threshold: 5000 };
    const hard = { metricType: "Value", threshold: 0.5 };
    assert.equal(replicasForMetrics([{ ...queue, value: 8000 }, { ...hard, value: 1 }], 2), 4);
    assert.equal(replicasForMetrics([{ ...queue, value: 0 }, { ...hard, value: 0 }], 4), 0);
    assert.equal(replicasForMetrics([{ ...queue, value: 0 }, { ...hard, error: "empty" }], 4), null);
    assert.equal(replicasForMetrics([{ ...queue, value: 20000 }, { ...hard, error: "empty" }], 1), 4);
    assert.equal(replicasForMetrics([{ ...queue, error: "empty" }, { ...hard, error: "empty" }], 4), null);
});

test("KEDA reads an empty result as 0 or as an error, as ignoreNullValues says", () => {
    const empty = { resultType: "vector", result: [] };
    assert.deepEqual(kedaMetricValue({ ignoreNullValues: true }, empty), { value: 0 });
    assert.ok(kedaMetricValue({ ignoreNullValues: false }, empty).error);
    const one = { resultType: "vector", result: [{ metric: {}, value: [1, "8123"] }] };
    assert.deepEqual(kedaMetricValue({ ignoreNullValues: false }, one), { value: 8123 });
    const two = { resultType: "vector", result: [one.result[0], one.result[0]] };
    assert.ok(kedaMetricValue({ ignoreNullValues: true }, two).error);
    const nan = { resultType: "vector", result: [{ metric: {}, value: [1, "NaN"] }] };
    assert.deepEqual(kedaMetricValue({ ignoreNullValues: true }, nan), { value: 0 });
});

test("scale-up is paced by the scaleUp policies and clamped to maxReplicas", () => {
    const hpa = new HpaModel({
        minReplicas: 1,
        maxReplicas: 10,
        behavior: {
            scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }] },
        },
    });
    const hard = [{ metricType: "Value", threshold: 0.5, value: 1 }];
    assert.deepEqual([1, 2, 3, 4, 5].map(() => hpa.sync(hard)), [2, 4, 8, 10, 10]);
});

test("scale-down waits for the stabilization window, then halves per period", () => {
    const hpa = new HpaModel({
        minReplicas: 1,
        maxReplicas: 10,
        initialReplicas: 10,
        behavior: {
            scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: "Max", policies: [{ type: "Percent", value: 50, periodSeconds: 30 }] },
        },
    });
    const busy = [{ metricType: "Value", threshold: 5000, value: 5000 }];
    const idle = [{ metricType: "Value", threshold: 5000, value: 0 }];
    assert.equal(hpa.sync(busy), 10);
    // The busy recommendation (10) stays in the 60 s window for three more syncs.
    assert.deepEqual([1, 2, 3].map(() => hpa.sync(idle)), [10, 10, 10]);
    // Then at most 50 % of the count at the start of each 30 s period goes.
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(() => hpa.sync(idle)), [5, 5, 2, 2, 1, 1, 1, 1]);
});

test("failing metrics freeze the replica count", () => {
    const hpa = new HpaModel({ minReplicas: 1, maxReplicas: 10, initialReplicas: 6 });
    const lost = [{ metricType: "Value", threshold: 5000, error: "empty result" }];
    for (let i = 0; i < 40; i++) {
        assert.equal(hpa.sync(lost), 6);
    }
});

test("Value counts only ready pods: with none ready it asks for none", () => {
    assert.equal(replicasForMetric({ metricType: "Value", value: 1, threshold: 0.5, currentReplicas: 4, readyReplicas: 4 }), 8);
    assert.equal(replicasForMetric({ metricType: "Value", value: 1, threshold: 0.5, currentReplicas: 4, readyReplicas: 1 }), 2);
    assert.equal(replicasForMetric({ metricType: "Value", value: 1, threshold: 0.5, currentReplicas: 4, readyReplicas: 0 }), 0);
});

test("a store outage never scales the pipeline down through the readiness probe the Deployment ships", () => {
    const scaledObject = loadKind(deployFile("keda", "scaledobject-pipeline.yaml"), "ScaledObject");
    const deployment = loadKind(deployFile("keda", "deployment-pipeline.yaml"), "Deployment");
    const probe = deployment.spec.template.spec.containers.find((c) => c.name === "mdp-host").readinessProbe.httpGet.path;
    // What each endpoint answers while the store cannot write (tests/http: host_backpressure_test
    // drives a real host into this state; readiness_test pins the rules).
    const passesDuringOutage = { "/ready": false, "/started": true };
    assert.ok(probe in passesDuringOutage, `unknown readiness endpoint ${probe}`);

    // Every pod's queue is full and every provider HARD for 15 minutes (60 syncs).
    const outage = prometheusTriggers(scaledObject).map((t) => ({
        metricType: t.metricType,
        threshold: t.threshold,
        value: t.query.includes("pipeline_feedback_queue_depth") ? 10000 : 1,
    }));
    const replay = (endpoint) => {
        const hpa = new HpaModel({ ...hpaReplicaBounds(scaledObject), behavior: hpaBehavior(scaledObject), initialReplicas: 4 });
        return Array.from({ length: 60 }, () =>
            hpa.sync(outage, { readyReplicas: passesDuringOutage[endpoint] ? hpa.replicas : 0 }));
    };
    const shipped = replay(probe);
    assert.ok(Math.min(...shipped) >= 4, `the outage scaled the pipeline down: ${shipped.join(" ")}`);
    assert.equal(shipped.at(-1), hpaReplicaBounds(scaledObject).maxReplicas, "the outage scales out to the maximum");
    // The failure the shipped probe avoids: probing /ready, the pods fall out of the ready count
    // and the HPA scales down to the minimum once the stabilization window has passed.
    const probingReady = replay("/ready");
    assert.equal(probingReady.at(-1), hpaReplicaBounds(scaledObject).minReplicas, probingReady.join(" "));
});

test("AverageValue ignores readiness: a total over the tier asks for ceil(value / threshold)", () => {
    for (const readyReplicas of [0, 2, 8]) {
        assert.equal(replicasForMetric({ metricType: "AverageValue", value: 60000, threshold: 5000, currentReplicas: 8, readyReplicas }), 12);
    }
});

describe("the store tier's ScaledObject during a store stall with every store pod not ready", () => {
    const scaledObject = loadKind(deployFile("keda", "scaledobject-store.yaml"), "ScaledObject");
    const [lag] = natsJetStreamTriggers(scaledObject);
    const [queue] = prometheusTriggers(scaledObject);
    const bounds = hpaReplicaBounds(scaledObject);

    // 15 minutes (60 syncs) of a stalled store from 6 replicas, none of them ready. `lagAt(sync)`
    // is the consumer's lag: nothing is acknowledged while the store is down, so it never falls.
    // `queueReading`: what KEDA reports for the queue-depth trigger (its query returns no data
    // while a store sink is unhealthy, an error with ignoreNullValues "false").
    function stall({ lagAt, queueReading, lagMetricType = lag.metricType }) {
        const hpa = new HpaModel({ ...bounds, behavior: hpaBehavior(scaledObject), initialReplicas: 6 });
        return Array.from({ length: 60 }, (_, sync) => hpa.sync([
            { metricType: lagMetricType, threshold: lag.threshold, value: lagAt(sync) },
            { metricType: queue.metricType, threshold: queue.threshold, ...queueReading },
        ], { readyReplicas: 0 }));
    }
    const failing = { error: "empty result: a store sink is unhealthy" };

    test("ingest keeps publishing: the lag grows and the tier scales out to the maximum", () => {
        const replicas = stall({ lagAt: (sync) => 1000 + 800 * 15 * sync, queueReading: failing });
        assert.ok(replicas.every((r, i) => r >= (replicas[i - 1] ?? 6)), replicas.join(" "));
        assert.equal(replicas.at(-1), bounds.maxReplicas);
    });

    test("after the close nothing arrives and the lag is small: the count still holds", () => {
        const replicas = stall({ lagAt: () => 2000, queueReading: failing });
        assert.deepEqual(new Set(replicas), new Set([6]), replicas.join(" "));
    });

    test("what the choices prevent: a Value lag trigger, or a queue trigger that reads 0, scales down", () => {
        // Lag as Value multiplies the ready pods (0) by lag / threshold: it proposes 0.
        const valueLag = stall({ lagAt: (sync) => 1000 + 800 * 15 * sync, queueReading: { value: 0 }, lagMetricType: "Value" });
        assert.equal(valueLag.at(-1), bounds.minReplicas, valueLag.join(" "));
        // Without the sink-health gate the queue trigger reads a value, and a small lag lets the
        // HPA scale the stalled tier down after the stabilization window.
        const ungated = stall({ lagAt: () => 2000, queueReading: { value: 10000 } });
        assert.equal(ungated.at(-1), bounds.minReplicas, ungated.join(" "));
    });
});
