// The store tier's two scaling inputs, read from live processes the way KEDA reads them: a real
// nats-server with JetStream, an ingest host and two store hosts running the shipped
// ConfigMaps of deploy/keda/ (addresses and paths made local; the store hosts write SQLite
// instead of PostgreSQL), and a real Prometheus scraping both store hosts with the labels the
// ServiceMonitor gives them. The lag of the nats-jetstream trigger comes from the server's
// /jsz?consumers=true (num_pending + num_ack_pending of the shipped consumer), the queue
// trigger from the shipped query; both go through the HPA model (lib/hpa.mjs).
// Asserted: both store hosts share the consumer and Prometheus sees both; with the tier
// keeping up, the lag stays below the activation threshold and the model stays at one
// replica; with the tier stalled (both store hosts frozen) the lag grows, the model scales
// up on it alone while the queue trigger has lost its targets, and never scales down; after
// the stall the lag drains to 0.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { HpaModel } from "./lib/hpa.mjs";
import { hpaBehavior, hpaReplicaBounds, kedaMetricValue, natsJetStreamTriggers, prometheusTriggers } from "./lib/keda.mjs";
import { containerEnvironment, loadKind } from "./lib/manifests.mjs";
import { deployFile, hostBinary, missingBuild, pluginDir, skipUnlessCi } from "./lib/paths.mjs";
import { BackgroundProcess, eventually, listeningPort, run } from "./lib/processes.mjs";
import { PrometheusServer } from "./lib/prometheus.mjs";
import { alertExpressions, dashboardQueries, metricNames } from "./lib/queries.mjs";

const scaledObject = loadKind(deployFile("keda", "scaledobject-store.yaml"), "ScaledObject");
const storeFile = deployFile("keda", "store-deployment.yaml");
const ingestFile = deployFile("keda", "ingest-statefulset.yaml");
const [lagTrigger] = natsJetStreamTriggers(scaledObject);
const [queueTrigger] = prometheusTriggers(scaledObject);
const bounds = hpaReplicaBounds(scaledObject);
const natsServer = ["/usr/sbin/nats-server", "/usr/bin/nats-server"].find((candidate) =>
    run("test", ["-x", candidate]).status === 0);
const skip = missingBuild() || (natsServer ? false : skipUnlessCi("nats-server is not installed (Debian package nats-server)"));

// A shipped ConfigMap's mdp.json with this machine's plugin directory, HTTP on a free loopback
// port, and every nats address pointing at the test server.
function localConfig(file, natsUrl, patch) {
    const config = JSON.parse(loadKind(file, "ConfigMap").data["mdp.json"]);
    config.plugin_path = [pluginDir];
    config.http = { ...config.http, bind_address: "127.0.0.1", port: 0 };
    config.logging = { level: "info", format: "text" };
    for (const sink of config.store.sinks) {
        if (sink.type === "nats") sink.servers = [natsUrl];
    }
    for (const provider of config.providers) {
        if (provider.plugin === "nats") provider.config.servers = [natsUrl];
    }
    return patch(config);
}

async function startHost(name, dir, config, container) {
    const configFile = path.join(dir, `${name}.json`);
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    const host = new BackgroundProcess(name, hostBinary, ["--config", configFile], {
        env: containerEnvironment(container, { MDP_HTTP_PORT: "0", MDP_HTTP_BIND_ADDRESS: "127.0.0.1" }),
    });
    await eventually(`${name} to serve /health`, async () => {
        if (host.exited) throw new Error(`${name} exited ${JSON.stringify(host.exited)}\n${host.tail()}`);
        host.port = listeningPort(host.output);
        return host.port !== null && (await fetch(`http://127.0.0.1:${host.port}/health`)).ok;
    });
    return host;
}

describe("the store tier's scaling inputs from live hosts and nats-server", { skip }, () => {
    let dir;
    let nats;
    let monitorPort;
    let ingest;
    const stores = [];
    let prometheus;
    const hpa = new HpaModel({ ...bounds, behavior: hpaBehavior(scaledObject) });

    // The consumer's lag exactly as the nats-jetstream scaler reads it.
    async function lag() {
        const jsz = await (await fetch(`http://127.0.0.1:${monitorPort}/jsz?consumers=true`)).json();
        for (const account of jsz.account_details ?? []) {
            for (const stream of account.stream_detail ?? []) {
                if (stream.name !== lagTrigger.stream) continue;
                for (const consumer of stream.consumer_detail ?? []) {
                    if (consumer.name === lagTrigger.consumer) return consumer.num_pending + consumer.num_ack_pending;
                }
            }
        }
        return null;
    }

    async function readings() {
        const lagValue = await lag();
        return [lagValue === null ? { ...lagTrigger, error: "the consumer is missing on /jsz" } : { ...lagTrigger, value: lagValue },
            { ...queueTrigger, ...kedaMetricValue(queueTrigger, await prometheus.query(queueTrigger.query)) }];
    }

    before(async () => {
        dir = mkdtempSync(path.join(os.tmpdir(), "mdp-store-tier-"));
        nats = new BackgroundProcess("nats-server", natsServer,
            ["-js", "-sd", path.join(dir, "nats"), "-a", "127.0.0.1", "-p", "-1", "-m", "-1"]);
        let natsPort;
        await eventually("nats-server to be ready", () => {
            if (nats.exited) throw new Error(nats.tail());
            natsPort = /Listening for client connections on 127\.0\.0\.1:(\d+)/.exec(nats.output)?.[1];
            monitorPort = /Starting http monitor on 127\.0\.0\.1:(\d+)/.exec(nats.output)?.[1];
            return nats.output.includes("Server is ready") && natsPort && monitorPort;
        });
        const natsUrl = `nats://127.0.0.1:${natsPort}`;
        const ingestContainer = loadKind(ingestFile, "StatefulSet").spec.template.spec.containers[0];
        const storeContainer = loadKind(storeFile, "Deployment").spec.template.spec.containers[0];
        // Faster than shipped, so a stall builds a lag of several lagThresholds within seconds.
        ingest = await startHost("ingest", dir, localConfig(ingestFile, natsUrl, (config) => {
            config.providers.find((p) => p.name === "synthetic").config.rate_per_symbol = 2000;
            return config;
        }), ingestContainer);
        for (const index of [0, 1]) {
            stores.push(await startHost(`store-${index}`, dir, localConfig(storeFile, natsUrl, (config) => {
                config.store.sinks = [{ type: "sqlite", name: "main", path: path.join(dir, `store-${index}.sqlite`) }];
                return config;
            }), storeContainer));
        }
        prometheus = await PrometheusServer.start({
            job: "mdp-pipeline",
            targets: stores.map((store, index) => ({
                target: `127.0.0.1:${store.port}`,
                labels: { namespace: "market-data", service: "mdp-store", pod: `mdp-store-${index}` },
            })),
        });
        await eventually("Prometheus to scrape both store hosts", async () =>
            (await prometheus.targetHealth()).filter((health) => health === "up").length === 2);
    });

    after(async () => {
        for (const store of stores) store.signal("SIGCONT");
        await prometheus?.stop();
        for (const host of [ingest, ...stores]) await host?.stop("SIGTERM", 20000);
        await nats?.stop("SIGTERM", 5000);
        if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test("both store hosts share the consumer, Prometheus sees both, and a tier that keeps up stays at one replica", async () => {
        await eventually("both store hosts to store events", async () => {
            const stored = await Promise.all(stores.map(async (store) =>
                (await (await fetch(`http://127.0.0.1:${store.port}/api/v1/status`)).json()).sinks[0].events_stored));
            return stored.every((count) => count > 0);
        }, { timeoutMs: 60000 });
        const [lagReading, queueReading] = await readings();
        assert.ok(lagReading.value !== null, "the consumer exists on /jsz");
        assert.ok(lagReading.value < lagTrigger.activationThreshold, `lag ${lagReading.value} while keeping up`);
        assert.ok(Number.isFinite(queueReading.value), `the shipped queue query answers: ${JSON.stringify(queueReading)}`);
        for (let sync = 0; sync < 4; sync++) hpa.sync(await readings());
        assert.equal(hpa.replicas, bounds.minReplicas);
    });

    test("the store tier's plugin metrics the dashboard and alerts read are exposed by the store hosts", async () => {
        const queries = [...dashboardQueries("market-data").map((q) => q.expr), ...alertExpressions().map((a) => a.expr)];
        const names = new Set(queries.flatMap((expr) => metricNames(expr)).filter((name) => name.startsWith("mdp_plugin_")));
        assert.ok(names.size > 0, "the dashboard reads the nats provider's own metrics");
        for (const name of names) {
            await eventually(`${name} in Prometheus from both store hosts`, async () =>
                (await prometheus.query(`count(${name}{service="mdp-store"})`)).result[0]?.value[1] === "2");
        }
    });

    test("a stalled store tier: the lag grows, the lag trigger alone scales up, and nothing scales down", async () => {
        const before = await lag();
        for (const store of stores) store.signal("SIGSTOP");
        try {
            // The ingest host keeps publishing; nothing is fetched or acknowledged.
            await eventually("the lag to grow past one replica's lagThreshold", async () =>
                (await lag()) > lagTrigger.threshold + before, { timeoutMs: 120000, intervalMs: 1000 });
            await eventually("Prometheus to lose both frozen store hosts", async () =>
                (await prometheus.targetHealth()).every((health) => health === "down"), { timeoutMs: 30000 });
            let previous = hpa.replicas;
            for (let sync = 0; sync < 4; sync++) {
                const current = await readings();
                // The queue trigger fails (its targets are gone), so the lag alone drives the HPA.
                assert.ok(current[1].error !== undefined, `the queue trigger still answers: ${JSON.stringify(current[1])}`);
                assert.ok(current[0].value > lagTrigger.threshold, `lag ${current[0].value}`);
                const replicas = hpa.sync(current);
                assert.ok(replicas >= previous, `scaled down to ${replicas} during the stall: ${JSON.stringify(current)}`);
                previous = replicas;
            }
            assert.ok(hpa.replicas > bounds.minReplicas, `scaled up on the lag: ${hpa.replicas}`);
        } finally {
            for (const store of stores) store.signal("SIGCONT");
        }
        await eventually("the lag to drain once the store hosts run again", async () => {
            const value = await lag();
            return value !== null && value < lagTrigger.activationThreshold;
        }, { timeoutMs: 120000, intervalMs: 1000 });
    });
});
