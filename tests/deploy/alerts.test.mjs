// deploy/prometheus/alerts.yaml: its rule groups pass `promtool check rules`, and
// `promtool test rules` (alerts.promtool-test.yaml) shows each alert firing on the failure it
// names, after its `for` duration, and staying quiet on a healthy pipeline.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import yaml from "js-yaml";

import { loadKind } from "./lib/manifests.mjs";
import { deployFile, testDir } from "./lib/paths.mjs";

const rule = loadKind(deployFile("prometheus", "alerts.yaml"), "PrometheusRule");
const workDir = mkdtempSync(path.join(os.tmpdir(), "mdp-alerts-"));
after(() => rmSync(workDir, { recursive: true, force: true }));

function writeRuleGroups(groups) {
    const file = path.join(workDir, "mdp-alerts.rules.yaml");
    writeFileSync(file, yaml.dump({ groups }));
    return file;
}

function promtool(...args) {
    const result = spawnSync("promtool", args, { cwd: workDir, encoding: "utf8" });
    assert.ok(!result.error, `promtool could not run: ${result.error?.message}`);
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

test("promtool check rules accepts the rule groups", () => {
    const { status, output } = promtool("check", "rules", writeRuleGroups(rule.spec.groups));
    assert.equal(status, 0, output);
    const alertCount = rule.spec.groups.flatMap((g) => g.rules).length;
    assert.match(output, new RegExp(`SUCCESS: ${alertCount} rules found`));
});

test("the alerts an on-call person needs are there, each with severity, summary and description", () => {
    const alerts = rule.spec.groups.flatMap((g) => g.rules);
    const names = alerts.map((a) => a.alert);
    for (const needed of ["MdpBackpressureHardSustained", "MdpProviderFailed", "MdpSinkWriteErrors",
        "MdpStoreQueueNearCapacity", "MdpTargetDown", "MdpStoreLagHigh", "MdpStoreRedeliveries", "MdpStoreScalerFailing"]) {
        assert.ok(names.includes(needed), `missing ${needed}`);
    }
    for (const alert of alerts) {
        assert.ok(["critical", "warning"].includes(alert.labels?.severity), `${alert.alert}: severity`);
        assert.ok(alert.annotations?.summary && alert.annotations?.description, `${alert.alert}: annotations`);
    }
});

test("promtool test rules: every alert fires when it should and only then", () => {
    writeRuleGroups(rule.spec.groups);
    const tests = path.join(workDir, "alerts.promtool-test.yaml");
    copyFileSync(path.join(testDir, "alerts.promtool-test.yaml"), tests);
    const { status, output } = promtool("test", "rules", tests);
    assert.equal(status, 0, output);
    assert.match(output, /SUCCESS/);
});

test("promtool test rules fails when an alert loses its for: duration (the unit tests bite)", () => {
    const weakened = structuredClone(rule.spec.groups);
    for (const r of weakened.flatMap((g) => g.rules)) {
        if (r.alert === "MdpBackpressureHardSustained") delete r.for;
    }
    writeRuleGroups(weakened);
    const tests = path.join(workDir, "alerts.promtool-test.yaml");
    copyFileSync(path.join(testDir, "alerts.promtool-test.yaml"), tests);
    const { status, output } = promtool("test", "rules", tests);
    assert.notEqual(status, 0, output);
});

test("MdpStoreLagHigh's bound is lagThreshold x maxReplicaCount of the store ScaledObject", () => {
    const scaledObject = loadKind(deployFile("keda", "scaledobject-store.yaml"), "ScaledObject");
    const lagThreshold = Number(scaledObject.spec.triggers.find((t) => t.type === "nats-jetstream").metadata.lagThreshold);
    const alert = rule.spec.groups.flatMap((g) => g.rules).find((r) => r.alert === "MdpStoreLagHigh");
    const bound = Number(/>\s*(\d+)\s*$/.exec(alert.expr)[1]);
    assert.equal(bound, lagThreshold * scaledObject.spec.maxReplicaCount);
    assert.match(alert.expr, /scaledObject="mdp-store-scaler"/);
});
