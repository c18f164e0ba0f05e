// The HPA model the KEDA loop test relies on, checked against the arithmetic documented in
// Kubernetes' HPA documentation and its replica calculator (pkg/controller/podautoscaler).
import assert from "node:assert/strict";
import { test } from "node:test";

import { HpaModel, replicasForMetric, replicasForMetrics } from "./lib/hpa.mjs";
import { hpaBehavior, hpaReplicaBounds, kedaMetricValue, prometheusTriggers } from "./lib/keda.mjs";
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
