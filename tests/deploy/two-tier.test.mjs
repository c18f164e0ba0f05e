// The two-tier layout under deploy/keda/ (NATS JetStream, ingest StatefulSet, store
// Deployment, its ScaledObject and ServiceMonitor): every document validates against the
// schema the API server would apply, and the pieces agree with each other — names, ports,
// the stream and consumer the configs and the scaler use, the shard count, the ack budget.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";

import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

import { CrdSchema } from "./lib/crd-schema.mjs";
import { hpaReplicaBounds, natsJetStreamTriggers, prometheusTriggers } from "./lib/keda.mjs";
import { loadKind, loadYamlDocuments } from "./lib/manifests.mjs";
import { deployFile, schemaDir } from "./lib/paths.mjs";
import { unscopedSelectors } from "./lib/queries.mjs";

const NAMESPACE = "market-data";
const FILES = {
    nats: deployFile("keda", "nats-jetstream.yaml"),
    ingest: deployFile("keda", "ingest-statefulset.yaml"),
    store: deployFile("keda", "store-deployment.yaml"),
    scaler: deployFile("keda", "scaledobject-store.yaml"),
    monitor: deployFile("keda", "servicemonitor-tiers.yaml"),
};

const nats = { service: loadKind(FILES.nats, "Service"), statefulSet: loadKind(FILES.nats, "StatefulSet") };
const ingest = {
    configMap: loadKind(FILES.ingest, "ConfigMap"),
    service: loadKind(FILES.ingest, "Service"),
    statefulSet: loadKind(FILES.ingest, "StatefulSet"),
};
const store = {
    configMap: loadKind(FILES.store, "ConfigMap"),
    service: loadKind(FILES.store, "Service"),
    deployment: loadKind(FILES.store, "Deployment"),
};
const scaledObject = loadKind(FILES.scaler, "ScaledObject");
const serviceMonitor = loadKind(FILES.monitor, "ServiceMonitor");
const singleService = loadKind(deployFile("keda", "prometheus-servicemonitor.yaml"), "Service");

const ingestConfig = JSON.parse(ingest.configMap.data["mdp.json"]);
const storeConfig = JSON.parse(store.configMap.data["mdp.json"]);
const natsProvider = storeConfig.providers.find((p) => p.plugin === "nats");
const natsSink = ingestConfig.store.sinks.find((s) => s.type === "nats");
const [lagTrigger] = scaledObject.spec.triggers.filter((t) => t.type === "nats-jetstream");

function mdpContainer(workload) {
    return workload.spec.template.spec.containers.find((c) => c.name === "mdp-host");
}

function env(container) {
    return Object.fromEntries(container.env.map((e) => [e.name, e]));
}

function selects(selector, labels) {
    return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

// "10Gi" -> bytes (the quantities these manifests use).
function quantityBytes(text) {
    const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(text);
    assert.ok(match, `unsupported quantity ${text}`);
    return Number(match[1]) * 1024 ** (["Ki", "Mi", "Gi", "Ti"].indexOf(match[2]) + 1);
}

const everyDocument = Object.values(FILES).flatMap((file) => loadYamlDocuments(file));

describe("every two-tier manifest validates against its schema", () => {
    const models = { ConfigMap, Service, StatefulSet, Deployment, ScaledObject, ServiceMonitor };
    for (const doc of everyDocument) {
        test(`${doc.kind} ${doc.metadata.name} against the kubernetes-models schema`, () => {
            assert.doesNotThrow(() => new models[doc.kind](doc).validate());
        });
    }

    for (const [doc, file] of [[scaledObject, "keda.sh_scaledobjects.yaml"],
        [serviceMonitor, "monitoring.coreos.com_servicemonitors.yaml"]]) {
        test(`${doc.kind} ${doc.metadata.name} against ${file}`, () => {
            assert.deepEqual(new CrdSchema(path.join(schemaDir, file)).errors(doc), []);
        });
    }

    test("the files hold only the documents the README lists", () => {
        const kinds = (file) => loadYamlDocuments(file).map((d) => d.kind);
        assert.deepEqual(kinds(FILES.nats), ["Service", "StatefulSet"]);
        assert.deepEqual(kinds(FILES.ingest), ["ConfigMap", "Service", "StatefulSet"]);
        assert.deepEqual(kinds(FILES.store), ["ConfigMap", "Service", "Deployment"]);
        assert.deepEqual(kinds(FILES.scaler), ["ScaledObject"]);
        assert.deepEqual(kinds(FILES.monitor), ["ServiceMonitor"]);
    });

    test("the CRD check rejects a numeric lagThreshold (it is not vacuous)", () => {
        const numeric = structuredClone(scaledObject);
        numeric.spec.triggers.find((t) => t.type === "nats-jetstream").metadata.lagThreshold = 5000;
        assert.notDeepEqual(new CrdSchema(path.join(schemaDir, "keda.sh_scaledobjects.yaml")).errors(numeric), []);
    });
});

describe("the two-tier manifests fit together", () => {
    test("all live in the market-data namespace, under their own names", () => {
        for (const doc of everyDocument) {
            assert.equal(doc.metadata.namespace, NAMESPACE, `${doc.kind} ${doc.metadata.name}`);
            assert.ok(!["mdp-pipeline", "mdp-pipeline-scaler", "mdp-pipeline-config"].includes(doc.metadata.name),
                `${doc.kind} ${doc.metadata.name} takes a name of the single-Deployment layout`);
        }
    });

    test("each Service selects its workload's pods and targets a named container port", () => {
        for (const [service, workload] of [[nats.service, nats.statefulSet], [ingest.service, ingest.statefulSet],
            [store.service, store.deployment]]) {
            const template = workload.spec.template;
            assert.ok(selects(workload.spec.selector.matchLabels, template.metadata.labels), workload.metadata.name);
            assert.ok(selects(service.spec.selector, template.metadata.labels), service.metadata.name);
            const ports = template.spec.containers.flatMap((c) => c.ports);
            for (const port of service.spec.ports) {
                assert.ok(ports.some((p) => p.name === port.targetPort), `${service.metadata.name}: no port ${port.targetPort}`);
            }
        }
    });

    test("no tier pod is selected by the single-Deployment Service", () => {
        for (const workload of [nats.statefulSet, ingest.statefulSet, store.deployment]) {
            assert.ok(!selects(singleService.spec.selector, workload.spec.template.metadata.labels), workload.metadata.name);
        }
    });

    test("the StatefulSets are governed by their headless Services", () => {
        for (const [service, statefulSet] of [[nats.service, nats.statefulSet], [ingest.service, ingest.statefulSet]]) {
            assert.equal(statefulSet.spec.serviceName, service.metadata.name);
            assert.equal(service.spec.clusterIP, "None");
        }
    });

    test("NATS: JetStream on a PersistentVolumeClaim, monitoring on 8222", () => {
        const container = nats.statefulSet.spec.template.spec.containers[0];
        assert.ok(container.args.includes("--jetstream"));
        assert.ok(container.args.includes("--http_port=8222"));
        const storeDir = container.args.find((a) => a.startsWith("--store_dir=")).split("=")[1];
        const mount = container.volumeMounts.find((m) => m.mountPath === storeDir);
        assert.ok(mount, `no volume at ${storeDir}`);
        const claim = nats.statefulSet.spec.volumeClaimTemplates.find((c) => c.metadata.name === mount.name);
        assert.ok(claim, `${mount.name} is not a volumeClaimTemplate`);
        assert.deepEqual(nats.service.spec.ports.map((p) => [p.name, p.port]), [["client", 4222], ["monitor", 8222]]);
    });

    test("the stream's max_bytes fits the NATS volume", () => {
        const claim = nats.statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage;
        assert.ok(natsSink.max_bytes > 0 && natsSink.max_bytes < quantityBytes(claim),
            `max_bytes ${natsSink.max_bytes} does not fit ${claim}`);
    });

    test("both tiers connect to the NATS Service's client port", () => {
        const url = `nats://${nats.service.metadata.name}.${NAMESPACE}.svc.cluster.local:4222`;
        assert.deepEqual(natsSink.servers, [url]);
        assert.deepEqual(natsProvider.config.servers, [url]);
    });

    test("the sink writes the stream the store tier reads and the scaler watches", () => {
        assert.equal(natsSink.stream, natsProvider.config.stream);
        assert.equal(lagTrigger.metadata.stream, natsProvider.config.stream);
        assert.ok(natsProvider.config.filter_subject.startsWith(`${natsSink.subject_prefix}.`));
    });

    test("the scaler watches the store tier's shared consumer on the monitoring port", () => {
        assert.equal(lagTrigger.metadata.consumer, natsProvider.config.consumer);
        assert.equal(lagTrigger.metadata.account, "$G");
        assert.equal(lagTrigger.metadata.natsServerMonitoringEndpoint,
            `${nats.service.metadata.name}.${NAMESPACE}.svc.cluster.local:8222`);
        for (const [key, value] of Object.entries(lagTrigger.metadata)) {
            assert.equal(typeof value, "string", `metadata.${key}`);
        }
    });

    test("the ScaledObject targets the store Deployment, whose replica count it owns", () => {
        assert.equal(scaledObject.metadata.name, "mdp-store-scaler");
        assert.deepEqual(scaledObject.spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: "mdp-store" });
        assert.equal(store.deployment.spec.replicas, undefined);
    });

    test("the ack budget lets every replica KEDA may run fetch", () => {
        // max_ack_pending counts unacknowledged messages across all replicas: below
        // maxReplicaCount x fetch_batch x 4 the last replicas would sit idle.
        const { maxReplicas } = hpaReplicaBounds(scaledObject);
        const { max_ack_pending: maxAckPending, fetch_batch: fetchBatch } = natsProvider.config;
        assert.ok(maxAckPending >= maxReplicas * fetchBatch * 4,
            `max_ack_pending ${maxAckPending} < ${maxReplicas} x ${fetchBatch} x 4`);
    });

    test("ingest shards: MDP_SHARD_COUNT equals replicas, MDP_SHARD_INDEX is the pod index", () => {
        const variables = env(mdpContainer(ingest.statefulSet));
        assert.equal(variables.MDP_SHARD_COUNT.value, String(ingest.statefulSet.spec.replicas));
        assert.equal(variables.MDP_SHARD_INDEX.valueFrom.fieldRef.fieldPath, "metadata.labels['apps.kubernetes.io/pod-index']");
        assert.equal(ingest.statefulSet.spec.podManagementPolicy, "Parallel");
    });

    test("each tier mounts its ConfigMap where its arguments say", () => {
        for (const [configMap, workload] of [[ingest.configMap, ingest.statefulSet], [store.configMap, store.deployment]]) {
            const podSpec = workload.spec.template.spec;
            const container = mdpContainer(workload);
            const volume = podSpec.volumes.find((v) => v.configMap?.name === configMap.metadata.name);
            assert.ok(volume, `${workload.metadata.name}: no volume from ${configMap.metadata.name}`);
            const mount = container.volumeMounts.find((m) => m.name === volume.name);
            const configArg = container.args[container.args.indexOf("--config") + 1];
            assert.equal(path.posix.dirname(configArg), mount.mountPath);
            assert.ok(path.posix.basename(configArg) in configMap.data);
        }
    });

    test("mdp tiers: readiness on /started, liveness on /health, grace beyond the drain, secrets from Secrets", () => {
        for (const [configMap, workload] of [[ingest.configMap, ingest.statefulSet], [store.configMap, store.deployment]]) {
            const container = mdpContainer(workload);
            const name = workload.metadata.name;
            assert.equal(container.readinessProbe.httpGet.path, "/started", name);
            assert.equal(container.livenessProbe.httpGet.path, "/health", name);
            const drainSeconds = JSON.parse(configMap.data["mdp.json"]).store.shutdown_drain_timeout_ms / 1000;
            assert.ok(workload.spec.template.spec.terminationGracePeriodSeconds > drainSeconds, name);
            assert.equal(container.securityContext.readOnlyRootFilesystem, true, name);
            for (const variable of container.env.filter((e) => /TOKEN|PASSWORD/.test(e.name))) {
                assert.equal(variable.value, undefined, `${name}: ${variable.name} in the manifest`);
                assert.ok(variable.valueFrom.secretKeyRef, `${name}: ${variable.name}`);
            }
        }
        assert.ok(!/password/i.test(store.configMap.data["mdp.json"]), "the store config carries no password");
    });

    test("the tiers' ServiceMonitor scrapes both tiers as job mdp-pipeline, not the single Service", () => {
        const jobLabel = serviceMonitor.spec.jobLabel;
        for (const service of [ingest.service, store.service]) {
            assert.ok(selects(serviceMonitor.spec.selector.matchLabels, service.metadata.labels), service.metadata.name);
            assert.equal(service.metadata.labels[jobLabel], "mdp-pipeline", service.metadata.name);
            assert.ok(service.spec.ports.some((p) => p.name === serviceMonitor.spec.endpoints[0].port));
        }
        assert.ok(!selects(serviceMonitor.spec.selector.matchLabels, singleService.metadata.labels));
    });
});

describe("the store scaler", () => {
    test("a nats-jetstream lag trigger with AverageValue: the lag is a total over the tier", () => {
        const [lag] = natsJetStreamTriggers(scaledObject);
        assert.equal(lag.metricType, "AverageValue");
        assert.ok(lag.threshold > 0 && lag.activationThreshold < lag.threshold);
    });

    test("a queue-depth trigger on the store pods, scoped, that fails while a store sink is unhealthy", () => {
        const [queue] = prometheusTriggers(scaledObject);
        assert.equal(queue.metricType, "Value");
        assert.equal(queue.ignoreNullValues, false);
        assert.match(queue.query, /pipeline_feedback_queue_depth\{[^}]*service="mdp-store"/);
        assert.match(queue.query, /unless on\(\) \(min\(mdp_sink_healthy\{[^}]*service="mdp-store"[^}]*\}\) == 0\)/);
        assert.deepEqual(unscopedSelectors(queue.query), []);
    });

    test("no fallback: failing metrics hold the replica count", () => {
        assert.equal(scaledObject.spec.fallback, undefined);
    });
});
