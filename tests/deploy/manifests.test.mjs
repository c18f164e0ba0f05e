// The Kubernetes manifests under deploy/: each validates against the schema the API server
// would apply (Kubernetes' own for core kinds, the CRDs vendored in tests/deploy/schemas/ for KEDA and
// prometheus-operator kinds), and they fit together (labels, selectors, ports, names) and
// keep the names and settings existing clusters depend on.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { Deployment } from "kubernetes-models/apps/v1";
import { ConfigMap, Service } from "kubernetes-models/v1";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1";
import { PrometheusRule, ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";

import { CrdSchema } from "./lib/crd-schema.mjs";
import { loadKind, loadYamlDocuments } from "./lib/manifests.mjs";
import { deployFile, schemaDir, sourceDir } from "./lib/paths.mjs";
import { alertExpressions, dashboard, readme, readmeQueries, unscopedSelectors } from "./lib/queries.mjs";

const NAMESPACE = "market-data";
const DEPLOYMENT_FILE = deployFile("keda", "deployment-pipeline.yaml");
const SCALED_OBJECT_FILE = deployFile("keda", "scaledobject-pipeline.yaml");
const SERVICE_MONITOR_FILE = deployFile("keda", "prometheus-servicemonitor.yaml");
const ALERTS_FILE = deployFile("prometheus", "alerts.yaml");

const deployment = loadKind(DEPLOYMENT_FILE, "Deployment");
const configMap = loadKind(DEPLOYMENT_FILE, "ConfigMap");
const service = loadKind(SERVICE_MONITOR_FILE, "Service");
const serviceMonitor = loadKind(SERVICE_MONITOR_FILE, "ServiceMonitor");
const scaledObject = loadKind(SCALED_OBJECT_FILE, "ScaledObject");
const prometheusRule = loadKind(ALERTS_FILE, "PrometheusRule");
const podSpec = deployment.spec.template.spec;
const container = podSpec.containers.find((c) => c.name === "mdp-host");

function crd(file) {
    return new CrdSchema(path.join(schemaDir, file));
}

// True when every key/value of `selector` is among `labels`.
function selects(selector, labels) {
    return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

describe("every manifest validates against its schema", () => {
    const crdDocuments = [
        [scaledObject, "keda.sh_scaledobjects.yaml"],
        [serviceMonitor, "monitoring.coreos.com_servicemonitors.yaml"],
        [prometheusRule, "monitoring.coreos.com_prometheusrules.yaml"],
    ];
    for (const [doc, file] of crdDocuments) {
        test(`${doc.kind} ${doc.metadata.name} against ${file}`, () => {
            assert.deepEqual(crd(file).errors(doc), []);
        });
    }

    const models = [
        [deployment, Deployment],
        [configMap, ConfigMap],
        [service, Service],
        [scaledObject, ScaledObject],
        [serviceMonitor, ServiceMonitor],
        [prometheusRule, PrometheusRule],
    ];
    for (const [doc, Model] of models) {
        test(`${doc.kind} ${doc.metadata.name} against the kubernetes-models schema`, () => {
            assert.doesNotThrow(() => new Model(doc).validate());
        });
    }

    test("the files hold only the documents the README lists", () => {
        const kinds = (file) => loadYamlDocuments(file).map((d) => d.kind);
        assert.deepEqual(kinds(DEPLOYMENT_FILE), ["ConfigMap", "Deployment"]);
        assert.deepEqual(kinds(SCALED_OBJECT_FILE), ["ScaledObject"]);
        assert.deepEqual(kinds(SERVICE_MONITOR_FILE), ["Service", "ServiceMonitor"]);
        assert.deepEqual(kinds(ALERTS_FILE), ["PrometheusRule"]);
    });

    test("the validators reject what the API server would reject", () => {
        // Guards the checks above against passing vacuously.
        const numericThreshold = structuredClone(scaledObject);
        numericThreshold.spec.triggers[0].metadata.threshold = 5000;
        assert.notDeepEqual(crd("keda.sh_scaledobjects.yaml").errors(numericThreshold), []);
        const stringPort = structuredClone(deployment);
        stringPort.spec.template.spec.containers[0].ports[0].containerPort = "8000";
        assert.throws(() => new Deployment(stringPort).validate());
        const badInterval = structuredClone(serviceMonitor);
        badInterval.spec.endpoints[0].interval = "15 seconds";
        assert.notDeepEqual(crd("monitoring.coreos.com_servicemonitors.yaml").errors(badInterval), []);
    });
});

describe("the manifests fit together", () => {
    test("all live in the market-data namespace", () => {
        for (const doc of [deployment, configMap, service, serviceMonitor, scaledObject, prometheusRule]) {
            assert.equal(doc.metadata.namespace, NAMESPACE, `${doc.kind} ${doc.metadata.name}`);
        }
    });

    test("the Deployment's selector matches its own pod template", () => {
        assert.ok(selects(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels));
    });

    test("the Service selects the Deployment's pods and targets the named container port", () => {
        assert.ok(selects(service.spec.selector, deployment.spec.template.metadata.labels));
        const servicePort = service.spec.ports.find((p) => p.name === "http");
        const containerPort = container.ports.find((p) => p.name === servicePort.targetPort);
        assert.ok(containerPort, `no container port named ${servicePort.targetPort}`);
        assert.equal(servicePort.port, 8000);
        assert.equal(containerPort.containerPort, 8000);
    });

    test("the ServiceMonitor selects the Service and scrapes one of its ports", () => {
        assert.ok(selects(serviceMonitor.spec.selector.matchLabels, service.metadata.labels));
        assert.ok(serviceMonitor.spec.namespaceSelector.matchNames.includes(service.metadata.namespace));
        for (const endpoint of serviceMonitor.spec.endpoints) {
            assert.ok(service.spec.ports.some((p) => p.name === endpoint.port), `no Service port ${endpoint.port}`);
        }
    });

    test("the ScaledObject targets the Deployment", () => {
        const target = scaledObject.spec.scaleTargetRef;
        assert.equal(target.apiVersion ?? "apps/v1", "apps/v1");
        assert.equal(target.kind ?? "Deployment", "Deployment");
        assert.equal(target.name, deployment.metadata.name);
        assert.equal(scaledObject.metadata.namespace, deployment.metadata.namespace);
    });

    test("the Deployment mounts the ConfigMap's config where its arguments say", () => {
        const volume = podSpec.volumes.find((v) => v.configMap?.name === configMap.metadata.name);
        assert.ok(volume, "no volume from the ConfigMap");
        const mount = container.volumeMounts.find((m) => m.name === volume.name);
        const configArg = container.args[container.args.indexOf("--config") + 1];
        assert.equal(path.posix.dirname(configArg), mount.mountPath);
        assert.ok(path.posix.basename(configArg) in configMap.data);
    });

    test("the config's writable paths are on writable volumes (the root filesystem is read-only)", () => {
        const config = JSON.parse(configMap.data["mdp.json"]);
        const writableMounts = container.volumeMounts.filter((m) => !m.readOnly).map((m) => m.mountPath);
        for (const sink of config.store.sinks.filter((s) => s.path)) {
            assert.ok(
                writableMounts.some((dir) => sink.path.startsWith(dir + "/")),
                `sink ${sink.name} writes ${sink.path}, outside ${writableMounts.join(", ")}`,
            );
        }
    });

    test("the image tag is the project version", () => {
        const version = /project\(mdp VERSION ([0-9.]+)/.exec(readFileSync(path.join(sourceDir, "CMakeLists.txt"), "utf8"))[1];
        assert.equal(container.image, `mdp-host:${version}`);
    });
});

describe("the Deployment keeps the contract and runs safely", () => {
    test("name, label, port and probes", () => {
        assert.equal(deployment.metadata.name, "mdp-pipeline");
        assert.equal(deployment.spec.template.metadata.labels.app, "mdp-pipeline");
        assert.deepEqual(container.ports, [{ name: "http", containerPort: 8000, protocol: "TCP" }]);
        assert.equal(container.livenessProbe.httpGet.path, "/health");
        assert.equal(container.livenessProbe.httpGet.port, "http");
        // /started, not /ready: a store outage must not shrink the HPA's ready-pod count.
        assert.equal(container.readinessProbe.httpGet.path, "/started");
        assert.equal(container.readinessProbe.httpGet.port, "http");
    });

    test("Prometheus scrape annotations name the metrics port and path", () => {
        const annotations = deployment.spec.template.metadata.annotations;
        assert.equal(annotations["prometheus.io/scrape"], "true");
        assert.equal(annotations["prometheus.io/port"], "8000");
        assert.equal(annotations["prometheus.io/path"], "/metrics");
    });

    test("secrets come from a Secret, never from the manifest", () => {
        const token = container.env.find((e) => e.name === "MDP_ADMIN_TOKEN");
        assert.equal(token.value, undefined);
        assert.ok(token.valueFrom.secretKeyRef.optional, "the pod must start without the Secret");
    });

    test("metrics and feedback are switched on through MDP_* variables", () => {
        const env = Object.fromEntries(container.env.map((e) => [e.name, e.value]));
        assert.equal(env.MDP_METRICS_ENABLE, "true");
        assert.equal(env.MDP_FB_ENABLE_FEEDBACK, "true");
        assert.equal(env.MDP_HTTP_PORT, String(container.ports[0].containerPort));
        for (const name of Object.keys(env)) {
            assert.match(name, /^MDP_/);
        }
    });

    test("resources as the previous deployment had them", () => {
        assert.deepEqual(container.resources, {
            requests: { cpu: "500m", memory: "512Mi" },
            limits: { cpu: "2", memory: "2Gi" },
        });
    });

    test("non-root, read-only root filesystem, no privilege escalation, no capabilities", () => {
        assert.equal(podSpec.securityContext.runAsNonRoot, true);
        assert.ok(podSpec.securityContext.runAsUser > 0);
        const sc = container.securityContext;
        assert.equal(sc.readOnlyRootFilesystem, true);
        assert.equal(sc.allowPrivilegeEscalation, false);
        assert.deepEqual(sc.capabilities.drop, ["ALL"]);
        assert.equal(sc.capabilities.add, undefined);
    });

    test("the termination grace period outlasts the shutdown drain", () => {
        const config = JSON.parse(configMap.data["mdp.json"]);
        const drainSeconds = (config.store.shutdown_drain_timeout_ms ?? 30000) / 1000;
        assert.ok(podSpec.terminationGracePeriodSeconds > drainSeconds,
            `terminationGracePeriodSeconds ${podSpec.terminationGracePeriodSeconds} <= drain ${drainSeconds} s`);
    });

    test("the replica count is left to the autoscaler", () => {
        assert.equal(deployment.spec.replicas, undefined);
    });
});

describe("the Service and ServiceMonitor keep the contract", () => {
    test("Service mdp-pipeline port http 8000", () => {
        assert.equal(service.metadata.name, "mdp-pipeline");
        assert.deepEqual(service.spec.ports.map((p) => [p.name, p.port]), [["http", 8000]]);
    });

    test("ServiceMonitor mdp-pipeline: port http, /metrics, every 15 s, 10 s timeout", () => {
        assert.equal(serviceMonitor.metadata.name, "mdp-pipeline");
        assert.deepEqual(serviceMonitor.spec.endpoints, [{ port: "http", path: "/metrics", interval: "15s", scrapeTimeout: "10s" }]);
    });

    test("ServiceMonitor keeps the labels a Prometheus Operator may select it by", () => {
        assert.equal(serviceMonitor.metadata.labels.app, "mdp-pipeline");
        assert.equal(serviceMonitor.metadata.labels.prometheus, "kube-prometheus");
    });
});

describe("the ScaledObject keeps the contract", () => {
    const triggers = scaledObject.spec.triggers;

    test("name, replica bounds and intervals", () => {
        assert.equal(scaledObject.metadata.name, "mdp-pipeline-scaler");
        const { minReplicaCount, maxReplicaCount, pollingInterval, cooldownPeriod } = scaledObject.spec;
        assert.deepEqual({ minReplicaCount, maxReplicaCount, pollingInterval, cooldownPeriod },
            { minReplicaCount: 1, maxReplicaCount: 10, pollingInterval: 15, cooldownPeriod: 60 });
    });

    test("prometheus triggers with string metadata and no metricName", () => {
        assert.ok(triggers.length >= 2);
        for (const trigger of triggers) {
            assert.equal(trigger.type, "prometheus");
            assert.equal(trigger.metadata.metricName, undefined, "metricName was removed in KEDA 2.12");
            assert.equal(trigger.metadata.serverAddress, "http://prometheus.monitoring.svc.cluster.local:9090");
            for (const [key, value] of Object.entries(trigger.metadata)) {
                assert.equal(typeof value, "string", `metadata.${key}`);
            }
            assert.ok(["AverageValue", "Value"].includes(trigger.metricType ?? "AverageValue"));
        }
    });

    test("a queue-depth trigger with threshold 5000 and a HARD-backpressure trigger", () => {
        const queue = triggers.find((t) => t.metadata.query.trim() ===
            'max(pipeline_feedback_queue_depth{namespace="market-data", source="store_coordinator"})');
        assert.ok(queue, "no trigger on the queue-depth query");
        assert.equal(queue.metadata.threshold, "5000");
        const hard = triggers.find((t) => /pipeline_backpressure_state/.test(t.metadata.query) && /==\s*bool\s+2/.test(t.metadata.query));
        assert.ok(hard, "no trigger on HARD backpressure that reads 0 when not HARD");
    });

    test("no fallback: failing metrics hold the replica count (README: why a fallback adds nothing)", () => {
        // KEDA before 2.18 ignores fallback on Value triggers, and from 2.18 a static fallback
        // could scale a busy pipeline down during a metrics outage.
        assert.equal(scaledObject.spec.fallback, undefined);
        for (const trigger of triggers) {
            assert.equal(trigger.metadata.ignoreNullValues, "false", "an empty result must be an error, not 0");
        }
    });
});

describe("every query is scoped to the install's namespace", () => {
    // One Prometheus may scrape several mdp installs; an unscoped selector lets one install's
    // series drive another's scaling, alerts or panels.
    test("the selector check itself flags an unscoped series and passes a scoped one", () => {
        assert.deepEqual(unscopedSelectors('max(pipeline_backpressure_state) == bool 2'), ["pipeline_backpressure_state"]);
        assert.deepEqual(unscopedSelectors('rate(mdp_x_total{provider="a"}[1m])'), ['mdp_x_total{provider=""}']);
        assert.deepEqual(unscopedSelectors('max(up{job="j", namespace="n"})'), []);
    });

    test("the ScaledObject's triggers", () => {
        for (const trigger of scaledObject.spec.triggers) {
            assert.deepEqual(unscopedSelectors(trigger.metadata.query), [], trigger.metadata.query);
        }
    });

    test("the alerts", () => {
        for (const { alert, expr } of alertExpressions()) {
            assert.deepEqual(unscopedSelectors(expr), [], alert);
        }
    });

    test("the dashboard's panels (through its namespace variable)", () => {
        for (const panel of dashboard().panels) {
            for (const target of panel.targets) {
                assert.deepEqual(unscopedSelectors(target.expr), [], `${panel.title}: ${target.expr}`);
            }
        }
    });

    test("the README's queries, but for the unscoped contract queries it lists as such", () => {
        const contract = new Set(['max(pipeline_feedback_queue_depth{source="store_coordinator"})',
            "max(pipeline_backpressure_state)", 'pipeline_rate_scale_factor{provider="ibkr"}',
            "min(pipeline_rate_scale_factor)"]);
        for (const query of readmeQueries(readme()).filter((q) => !contract.has(q))) {
            assert.deepEqual(unscopedSelectors(query), [], query);
        }
    });
});
