// deploy/keda/README.md: covers every section of the document operators were promised
// (vendored as tests/deploy/reference/keda-autoscaling-readme.md), its threshold table is the formula's, and what it
// tells operators to run refers to files, names and settings that exist.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import yaml from "js-yaml";

import { MAX_REPLICAS, lagThresholdTable, readmeLagTable } from "../../deploy/keda/lag-threshold-table.mjs";
import { readmeTable, thresholdTable } from "../../deploy/keda/threshold-table.mjs";
import { loadKind } from "./lib/manifests.mjs";
import { codeBlocks, readme, readmeQueries } from "./lib/queries.mjs";
import { deployFile, referenceDir } from "./lib/paths.mjs";

const text = readme();

// "## 📋 Prerequisites" -> "prerequisites"; "### 1. Deploy the Pipeline" -> "deploy the pipeline".
// Only ASCII counts: the seed's emoji arrive mis-decoded (e.g. "üìã").
function headings(markdown) {
    return [...markdown.matchAll(/^#{2,3} (.+)$/gm)].map((m) =>
        m[1].replace(/[^A-Za-z0-9 .-]/g, "").replace(/^\s*\d+\.\s*/, "").trim().toLowerCase());
}

test("every section of the promised document is there", () => {
    const seed = readFileSync(path.join(referenceDir, "keda-autoscaling-readme.md"), "utf8");
    const ours = new Set(headings(text));
    const missing = headings(seed).filter((h) => !ours.has(h));
    assert.deepEqual(missing, []);
});

test("the threshold table is the one the formula generates", () => {
    assert.equal(readmeTable(text), thresholdTable());
});

test("the default threshold in the table is the one the ScaledObject uses", () => {
    const scaledObject = loadKind(deployFile("keda", "scaledobject-pipeline.yaml"), "ScaledObject");
    const queueTrigger = scaledObject.spec.triggers.find((t) => t.metadata.query.includes("pipeline_feedback_queue_depth"));
    const defaultRow = readmeTable(text).split("\n").find((row) => row.includes("**Default**"));
    const threshold = defaultRow.split("|")[4].trim().replaceAll(",", "");
    assert.equal(threshold, queueTrigger.metadata.threshold);
});

test("the lagThreshold table is the one the formula generates, for the store ScaledObject's numbers", () => {
    assert.equal(readmeLagTable(text), lagThresholdTable());
    const scaledObject = loadKind(deployFile("keda", "scaledobject-store.yaml"), "ScaledObject");
    assert.equal(MAX_REPLICAS, scaledObject.spec.maxReplicaCount);
    const lagTrigger = scaledObject.spec.triggers.find((t) => t.type === "nats-jetstream");
    const defaultRow = readmeLagTable(text).split("\n").find((row) => row.includes("**Default**"));
    assert.equal(defaultRow.split("|")[4].trim().replaceAll(",", ""), lagTrigger.metadata.lagThreshold);
});

test("YAML snippets parse, and their triggers are valid for KEDA 2.12+", () => {
    for (const block of codeBlocks(text).filter((b) => b.language === "yaml")) {
        const doc = yaml.load(block.body);
        for (const trigger of doc.triggers ?? []) {
            assert.equal(trigger.metadata.metricName, undefined, "metricName was removed in KEDA 2.12");
            for (const [key, value] of Object.entries(trigger.metadata)) {
                assert.equal(typeof value, "string", `metadata.${key} must be a string`);
            }
        }
    }
});

test("the files it applies or links exist", () => {
    const keda = deployFile("keda");
    const applied = [...text.matchAll(/-f (\S+\.yaml)/g)].map((m) => m[1]);
    const linked = [...text.matchAll(/`(\.\.\/[^`]+)`|\]\((\.\.\/[^)#]+)\)/g)].map((m) => m[1] ?? m[2]);
    assert.ok(applied.length >= 4);
    for (const file of [...applied, ...linked]) {
        assert.ok(existsSync(path.resolve(keda, file)), `${file} does not exist`);
    }
});

test("every MDP_ variable it names is one the host reads", () => {
    // The variables existing deployments set (docs/configuration.md) and the host's config loader.
    const known = new Set(["MDP_METRICS_ENABLE", "MDP_FB_ENABLE_FEEDBACK", "MDP_FB_SCALE_OK", "MDP_FB_SCALE_SOFT",
        "MDP_FB_SCALE_HARD", "MDP_HIGH_WATERMARK_PCT", "MDP_LOW_WATERMARK_PCT", "MDP_LOG_LEVEL", "MDP_HTTP_PORT",
        "MDP_HTTP_BIND_ADDRESS", "MDP_CONFIG", "MDP_FB_PROVIDER_NAME", "MDP_MODE",
        // The sharding contract of the ingest tier (docs/scale-out.md).
        "MDP_SHARD_INDEX", "MDP_SHARD_COUNT"]);
    // MDP_EVENTS is the JetStream stream's name, not a variable.
    const named = text.match(/\bMDP_[A-Z_]*[A-Z]\b/g).filter((n) => !n.startsWith("MDP__") && n !== "MDP_EVENTS");
    for (const name of new Set(named)) {
        assert.ok(known.has(name), `${name} is not a host setting`);
    }
    for (const general of text.match(/\bMDP__[A-Z_]+=/g) ?? []) {
        assert.match(general, /^MDP__[A-Z]+(__[A-Z_]+)+=$/, `${general} does not follow MDP__SECTION__KEY`);
    }
});

test("it gives the contract queries operators already use", () => {
    const queries = readmeQueries(text);
    for (const contract of ['max(pipeline_feedback_queue_depth{source="store_coordinator"})', "max(pipeline_backpressure_state)",
        'pipeline_rate_scale_factor{provider="ibkr"}', "min(pipeline_rate_scale_factor)"]) {
        assert.ok(queries.some((q) => q.includes(contract)), `missing ${contract}`);
    }
});
