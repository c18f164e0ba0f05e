// The KEDA loop end to end: a real Prometheus scrapes a real mdp-host every second; the
// store is stalled for real (another process holds an exclusive lock on the SQLite sink's
// database); the triggers, thresholds and replica bounds are read from
// deploy/keda/scaledobject-pipeline.yaml and evaluated the way KEDA does (lib/keda.mjs),
// and the replica count follows the HPA's rules (lib/hpa.mjs) on a virtual 15 s clock.
// Asserted: idle stays at minReplicaCount; scale-up while stalled; the count holds while
// Prometheus has lost the target; back to minReplicaCount once the stall clears and the
// queue drains. The store tier's gated queue trigger fails while the sink does. The queries of
// the README, the dashboard and the alerts run here too.
// One host and one Prometheus serve every case (they take seconds to start); each case
// establishes the state it needs itself (stall(), scaledUp(), unstall() do nothing when it
// is already there), so a case also runs alone and a failed one does not mislead the next.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { HpaModel } from "./lib/hpa.mjs";
import { hpaBehavior, hpaReplicaBounds, kedaMetricValue, prometheusTriggers } from "./lib/keda.mjs";
import { containerEnvironment, loadKind } from "./lib/manifests.mjs";
import { deployFile, hostBinary, missingBuild, pluginDir } from "./lib/paths.mjs";
import { BackgroundProcess, eventually, listeningPort } from "./lib/processes.mjs";
import { PrometheusServer } from "./lib/prometheus.mjs";
import { KUBE_STATE_METRIC, alertExpressions, dashboardQueries, metricNames, needsCluster, readmeQueries } from "./lib/queries.mjs";

const NAMESPACE = "market-data";
const STORE_PLUGIN_METRIC_PREFIX = "mdp_plugin_nats_";
const scaledObject = loadKind(deployFile("keda", "scaledobject-pipeline.yaml"), "ScaledObject");
const deploymentFile = deployFile("keda", "deployment-pipeline.yaml");
const configMap = loadKind(deploymentFile, "ConfigMap");
const container = loadKind(deploymentFile, "Deployment").spec.template.spec.containers.find((c) => c.name === "mdp-host");
const triggers = prometheusTriggers(scaledObject);
const bounds = hpaReplicaBounds(scaledObject);
const skip = missingBuild();

// The ConfigMap's store and backpressure settings (the threshold assumes its queue capacity)
// with this machine's paths, and two synthetic instances fast enough to fill the queue in
// seconds; one is named "ibkr" because the README's rate-scale query asks for that instance.
function hostConfig(dir) {
    const shipped = JSON.parse(configMap.data["mdp.json"]);
    return {
        plugin_path: [pluginDir],
        http: { enabled: true, bind_address: "127.0.0.1", port: 0 },
        logging: { level: "info", format: "text" },
        store: { ...shipped.store, sinks: [{ type: "sqlite", name: "main", path: path.join(dir, "mdp.sqlite") }] },
        backpressure: shipped.backpressure,
        providers: [
            { name: "ibkr", plugin: "synthetic", config: { symbols: ["AAPL", "MSFT", "SPY", "QQQ"], rate_per_symbol: 1000, seed: 1 } },
            { name: "synthetic", plugin: "synthetic", config: { symbols: ["EURUSD"], rate_per_symbol: 500, seed: 2 } },
        ],
    };
}

describe("KEDA scales mdp on its Prometheus metrics", { skip }, () => {
    let dir;
    let prometheus;
    let host;
    let lockHolder;
    let hostPort;
    const hpa = new HpaModel({ ...bounds, behavior: hpaBehavior(scaledObject) });
    const history = [];

    // What KEDA reports for each trigger right now: [{...trigger, value} | {...trigger, error}].
    async function readTriggers(overrides = {}) {
        return Promise.all(
            triggers.map(async (trigger) => {
                const t = { ...trigger, ...overrides };
                return { ...t, ...kedaMetricValue(t, await prometheus.query(t.query)) };
            }),
        );
    }

    async function hpaSync(model = hpa, overrides = {}) {
        const readings = await readTriggers(overrides);
        const replicas = model.sync(readings);
        if (model === hpa) history.push({ replicas, readings: readings.map((r) => r.value ?? r.error) });
        return replicas;
    }

    const explain = () => `HPA history: ${JSON.stringify(history.slice(-12))}\n${host?.tail(3000)}`;

    const isStalled = () => lockHolder !== undefined && !lockHolder.exited;

    // Another process holds an exclusive lock on the SQLite database until unstall(); returns
    // once Prometheus sees HARD backpressure.
    async function stall() {
        if (!isStalled()) {
            lockHolder = new BackgroundProcess("sqlite3", "sqlite3", [path.join(dir, "mdp.sqlite")]);
            lockHolder.child.stdin.write(".timeout 10000\nBEGIN EXCLUSIVE;\nSELECT 'lock' || 'ed';\n");
            await eventually("sqlite3 to hold the exclusive lock", () => {
                if (lockHolder.exited) throw new Error(lockHolder.tail());
                return lockHolder.output.includes("locked");
            });
        }
        await eventually("HARD backpressure in Prometheus", async () => (await prometheus.value("max(pipeline_backpressure_state)")) === 2,
            { timeoutMs: 60000 });
    }

    // Stalled, and the model scaled up to maxReplicaCount.
    async function scaledUp() {
        await stall();
        for (let sync = 0; sync < 30 && hpa.replicas < bounds.maxReplicas; sync++) await hpaSync();
        assert.equal(hpa.replicas, bounds.maxReplicas, explain());
    }

    // The lock released (the queue then drains on its own).
    async function unstall() {
        if (isStalled()) {
            lockHolder.child.stdin.end("COMMIT;\n.quit\n");
            await lockHolder.exitPromise;
        }
    }

    before(async () => {
        dir = mkdtempSync(path.join(os.tmpdir(), "mdp-keda-loop-"));
        const configFile = path.join(dir, "mdp.json");
        writeFileSync(configFile, JSON.stringify(hostConfig(dir), null, 2));
        host = new BackgroundProcess("mdp-host", hostBinary, ["--config", configFile], {
            // The Deployment's environment, with the listener on loopback and port 0: the host
            // binds a free port and logs it (no probe that another test could race).
            env: containerEnvironment(container, { MDP_HTTP_PORT: "0", MDP_HTTP_BIND_ADDRESS: "127.0.0.1" }),
        });
        await eventually("mdp-host to serve /health", async () => {
            if (host.exited) throw new Error(`mdp-host exited ${JSON.stringify(host.exited)}\n${host.tail()}`);
            hostPort = listeningPort(host.output);
            return hostPort !== null && (await fetch(`http://127.0.0.1:${hostPort}/health`)).ok;
        });
        prometheus = await PrometheusServer.start({
            job: "mdp-pipeline",
            target: `127.0.0.1:${hostPort}`,
            labels: { namespace: NAMESPACE, pod: "mdp-pipeline-0", service: "mdp-pipeline" },
        });
        await eventually("Prometheus to scrape mdp-host", async () => (await prometheus.targetHealth())[0] === "up");
        await eventually("the queue depth to reach Prometheus", async () => (await prometheus.value(triggers[0].query)) !== null);
    });

    after(async () => {
        lockHolder?.stop("SIGKILL");
        host?.signal("SIGCONT");
        await host?.stop("SIGKILL", 5000);
        await prometheus?.stop();
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test("the ScaledObject gives the loop something to check", () => {
        assert.ok(triggers.length >= 2, "two prometheus triggers");
        assert.deepEqual(bounds, { minReplicas: 1, maxReplicas: 10 });
    });

    test("idle: every trigger reads a value and the pipeline stays at minReplicaCount", async () => {
        for (let sync = 0; sync < 4; sync++) {
            assert.equal(await hpaSync(), bounds.minReplicas, explain());
        }
        for (const reading of history.at(-1).readings) assert.equal(typeof reading, "number", explain());
    });

    test("the store stalls: HARD backpressure, and KEDA scales up to maxReplicaCount", async () => {
        await stall();

        const replicas = [];
        for (let sync = 0; sync < 8; sync++) replicas.push(await hpaSync());
        assert.ok(replicas[0] > bounds.minReplicas, `the first sync while stalled scales up\n${explain()}`);
        assert.equal(replicas.at(-1), bounds.maxReplicas, explain());
        for (let i = 1; i < replicas.length; i++) assert.ok(replicas[i] >= replicas[i - 1], explain());
        // Both triggers ask for more: the queue is past threshold, the HARD indicator is 1.
        const [depth, hardIndicator] = history.at(-1).readings;
        assert.ok(depth > triggers[0].threshold * 1.1, explain());
        assert.equal(hardIndicator, 1, explain());
    });

    test("while stalled, every query operators are given runs, and mdp's return data", async () => {
        await stall();
        const exposed = new Set(
            [...(await (await fetch(`http://127.0.0.1:${hostPort}/metrics`)).text()).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]),
        );
        const queries = [
            ...readmeQueries().map((expr) => ({ where: "README", expr })),
            ...dashboardQueries(NAMESPACE).map((q) => ({ where: `dashboard "${q.panel}"`, expr: q.expr })),
        ];
        for (const { where, expr } of queries) {
            const data = await prometheus.query(expr);
            if (!needsCluster(expr)) {
                assert.ok(data.result.length > 0, `${where}: ${expr} returned no data`);
            }
        }
        for (const { where, expr } of [...queries, ...alertExpressions().map((a) => ({ where: a.alert, expr: a.expr }))]) {
            await prometheus.query(expr);  // parses and evaluates
            for (const name of metricNames(expr)) {
                // The store tier's plugin metrics come from store hosts: store-tier-loop.test.mjs.
                if (!KUBE_STATE_METRIC.test(name) && name !== "up" && !name.startsWith(STORE_PLUGIN_METRIC_PREFIX)) {
                    assert.ok(exposed.has(name), `${where}: ${expr} reads ${name}, which mdp-host does not expose`);
                }
            }
        }
    });

    test("Prometheus loses the target: the replica count holds instead of collapsing", async () => {
        await scaledUp();  // so that holding is not the same as sitting at the minimum
        const before = hpa.replicas;
        host.signal("SIGSTOP");
        try {
            await eventually("the target to go down and its series to go stale", async () =>
                (await prometheus.targetHealth())[0] === "down" && (await prometheus.value(triggers[0].query)) === null,
            { timeoutMs: 30000 });
            // Longer than the scale-down stabilization window: nothing moves.
            for (let sync = 0; sync < 30; sync++) {
                assert.equal(await hpaSync(), before, explain());
            }
            for (const reading of history.at(-1).readings) assert.equal(typeof reading, "string", `errors, not values\n${explain()}`);
            // The same outage read with ignoreNullValues "true" looks like an idle pipeline.
            const lenient = new HpaModel({ ...bounds, behavior: hpaBehavior(scaledObject), initialReplicas: before });
            for (let sync = 0; sync < 30; sync++) await hpaSync(lenient, { ignoreNullValues: true });
            assert.equal(lenient.replicas, bounds.minReplicas);
        } finally {
            host.signal("SIGCONT");
        }
        await eventually("the target to be back", async () => (await prometheus.value(triggers[0].query)) !== null, { timeoutMs: 30000 });
    });

    test("the stall clears: the queue drains, backpressure returns to OK, replicas return to minReplicaCount", async () => {
        await scaledUp();
        await unstall();
        const lowWatermark = await prometheus.value('max(mdp_store_queue_watermark{watermark="low"})');
        await eventually("backpressure OK and the queue below the low watermark", async () =>
            (await prometheus.value("max(pipeline_backpressure_state)")) === 0 &&
            (await prometheus.value(triggers[0].query)) <= lowWatermark,
        { timeoutMs: 60000 });

        // The HARD trigger reads 0 (not "no data"), so it cannot pin the replica count.
        const readings = await readTriggers();
        for (const reading of readings) assert.equal(typeof reading.value, "number", `${reading.query}: ${reading.error}`);
        assert.equal(readings[1].value, 0);

        let replicas = hpa.replicas;
        for (let sync = 0; sync < 60 && replicas > bounds.minReplicas; sync++) replicas = await hpaSync();
        assert.equal(replicas, bounds.minReplicas, explain());
    });

    test("the store scaler's gated queue trigger: the depth while the sink is healthy, an error while it fails", async () => {
        // scaledobject-store.yaml's queue-depth trigger, on this host (scraped as service
        // mdp-pipeline here, where the store tier's pods are service mdp-store).
        const [storeQueue] = prometheusTriggers(loadKind(deployFile("keda", "scaledobject-store.yaml"), "ScaledObject"));
        const trigger = { ...storeQueue, query: storeQueue.query.replaceAll('service="mdp-store"', 'service="mdp-pipeline"') };
        await stall();
        await eventually("the sink to report its failed writes", async () =>
            (await prometheus.value('min(mdp_sink_healthy{namespace="market-data"})')) === 0, { timeoutMs: 30000 });
        const failing = kedaMetricValue(trigger, await prometheus.query(trigger.query));
        assert.ok(failing.error, `an error (the HPA then never scales down), not ${JSON.stringify(failing)}`);
        await unstall();
        await eventually("the sink healthy again", async () =>
            (await prometheus.value('min(mdp_sink_healthy{namespace="market-data"})')) === 1, { timeoutMs: 60000 });
        const healthy = kedaMetricValue(trigger, await prometheus.query(trigger.query));
        assert.equal(typeof healthy.value, "number", JSON.stringify(healthy));
    });

    test("SIGTERM drains the queue into the sink and exits 0 with nothing lost", async () => {
        await unstall();
        const exit = await host.stop("SIGTERM", 40000);
        assert.deepEqual(exit, { code: 0, signal: null }, host.tail());
        const summaryLine = host.output.split("\n").find((line) => line.includes("mdp-summary "));
        assert.ok(summaryLine, host.tail());
        const summary = JSON.parse(summaryLine.slice(summaryLine.indexOf("mdp-summary ") + "mdp-summary ".length));
        assert.equal(summary.not_stored, 0);
        const published = Object.values(summary.providers).reduce((sum, p) => sum + p.published, 0);
        assert.equal(summary.sinks.main.stored, published);
    });
});
