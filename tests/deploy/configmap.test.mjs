// The ConfigMap's mdp.json (and the two-tier layout's) is a configuration mdp-host accepts, with the environment the
// Deployment gives the container: `mdp-host --check-config` (which also creates each
// provider to validate its plugin config) and `--check-sinks` (opens each sink).
// Only the image's paths are mapped onto this machine: plugin_path to the build's plugin
// directory (the image installs the same plugins), sink files into a temp dir.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";

import { containerEnvironment, loadKind } from "./lib/manifests.mjs";
import { deployFile, hostBinary, missingBuild, pluginDir } from "./lib/paths.mjs";
import { run } from "./lib/processes.mjs";

const DEPLOYMENT_FILE = deployFile("keda", "deployment-pipeline.yaml");
const configMap = loadKind(DEPLOYMENT_FILE, "ConfigMap");
const deployment = loadKind(DEPLOYMENT_FILE, "Deployment");
const container = deployment.spec.template.spec.containers.find((c) => c.name === "mdp-host");
const skip = missingBuild();
let workDir;

before(() => {
    workDir = mkdtempSync(path.join(os.tmpdir(), "mdp-configmap-"));
});
after(() => rmSync(workDir, { recursive: true, force: true }));

function configOnThisMachine(mutate = () => {}) {
    const config = JSON.parse(configMap.data["mdp.json"]);
    assert.deepEqual(config.plugin_path, ["/usr/local/lib/mdp/plugins"], "the image's plugin directory");
    config.plugin_path = [pluginDir];
    for (const sink of config.store.sinks) {
        if (sink.path) sink.path = path.join(workDir, path.basename(sink.path));
    }
    mutate(config);
    const file = path.join(workDir, "mdp.json");
    writeFileSync(file, JSON.stringify(config, null, 2));
    return file;
}

function checkConfig(file, ...extra) {
    return run(hostBinary, ["--config", file, "--check-config", ...extra], { env: containerEnvironment(container) });
}

test("mdp-host --check-config accepts the ConfigMap", { skip }, () => {
    const { status, output } = checkConfig(configOnThisMachine());
    assert.equal(status, 0, output);
});

test("mdp-host --check-config --check-sinks opens its sinks", { skip }, () => {
    const { status, output } = checkConfig(configOnThisMachine(), "--check-sinks");
    assert.equal(status, 0, output);
});

test("the same check rejects a broken provider config, naming the JSON path", { skip }, () => {
    const file = configOnThisMachine((config) => {
        config.providers[0].config.rate_per_symbol = "x";
    });
    const { status, output } = checkConfig(file);
    assert.equal(status, 2, output);
    assert.match(output, /providers\[0\]\.config\.rate_per_symbol/);
});

// The two-tier layout's ConfigMaps, with each workload's environment (the ingest shard's index
// and count as the StatefulSet sets them for pod 1). --check-config creates each provider, so
// the nats provider validates its keys; --check-sinks would need NATS and PostgreSQL, which the
// nats and postgres areas' own tests run for real.
const TIERS = [
    { file: "ingest-statefulset.yaml", kind: "StatefulSet", env: { MDP_SHARD_INDEX: "1" } },
    { file: "store-deployment.yaml", kind: "Deployment", env: {} },
];

function tierCheck(tier, mutate = () => {}) {
    const tierMap = loadKind(deployFile("keda", tier.file), "ConfigMap");
    const workload = loadKind(deployFile("keda", tier.file), tier.kind);
    const tierContainer = workload.spec.template.spec.containers.find((c) => c.name === "mdp-host");
    const config = JSON.parse(tierMap.data["mdp.json"]);
    assert.deepEqual(config.plugin_path, ["/usr/local/lib/mdp/plugins"], "the image's plugin directory");
    config.plugin_path = [pluginDir];
    mutate(config);
    const file = path.join(workDir, tier.file.replace(".yaml", ".json"));
    writeFileSync(file, JSON.stringify(config, null, 2));
    return run(hostBinary, ["--config", file, "--check-config"], { env: containerEnvironment(tierContainer, tier.env) });
}

for (const tier of TIERS) {
    test(`mdp-host --check-config accepts the ConfigMap in ${tier.file}`, { skip }, () => {
        const { status, output } = tierCheck(tier);
        assert.equal(status, 0, output);
    });
}

test("the store tier's check rejects a broken nats provider config, naming the JSON path", { skip }, () => {
    const { status, output } = tierCheck(TIERS[1], (config) => {
        config.providers[0].config.max_ack_pending = 0;
    });
    assert.equal(status, 2, output);
    assert.match(output, /providers\[0\]\.config\.max_ack_pending/);
});

test("the disabled ibkr instance's config is valid too, once enabled", { skip }, () => {
    const file = configOnThisMachine((config) => {
        const ibkr = config.providers.find((p) => p.plugin === "ibkr");
        assert.ok(ibkr, "the ConfigMap carries an ibkr instance to switch on");
        assert.equal(ibkr.enabled, false);
        ibkr.enabled = true;
    });
    const { status, output } = checkConfig(file);
    assert.equal(status, 0, output);
});
