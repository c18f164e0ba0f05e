// The ConfigMap's mdp.json is a configuration mdp-host accepts, with the environment the
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
