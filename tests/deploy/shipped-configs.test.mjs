// Every JSON config the project ships validates against docs/config.schema.json (with the
// bundled plugins' own schemas for their `config` objects), checked by a real JSON Schema
// validator, as an editor would: config/*.json, plugins/*/demo/*.json, the ConfigMaps'
// mdp.json (single Deployment and both tiers), and the ```json examples in docs/*.md and the READMEs.
//
// A Markdown example is a whole host config unless the line before its fence says otherwise:
//   <!-- json: provider -->    one entry of "providers" (validated inside a config)
//   <!-- json: not-config -->  JSON that is not a config (an HTTP reply, a stored record)
import Ajv from "ajv";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

import { loadKind } from "./lib/manifests.mjs";
import { deployFile, sourceDir } from "./lib/paths.mjs";

const BUNDLED_PLUGINS = ["synthetic", "ibkr", "replay", "nats"];

function readJson(file) {
    return JSON.parse(readFileSync(file, "utf8"));
}

function hostConfigValidator() {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const plugin of BUNDLED_PLUGINS) {
        // The host schema refers to each plugin schema by its path relative to docs/.
        ajv.addSchema(readJson(path.join(sourceDir, "plugins", plugin, "config.schema.json")),
            `../plugins/${plugin}/config.schema.json`);
    }
    return ajv.compile(readJson(path.join(sourceDir, "docs", "config.schema.json")));
}

const validate = hostConfigValidator();

function schemaErrors(config) {
    return validate(config) ? [] : validate.errors.map((e) => `${e.instancePath || "(top level)"} ${e.message}` +
        (e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""));
}

function jsonFiles(directory) {
    return readdirSync(directory).filter((f) => f.endsWith(".json")).map((f) => path.join(directory, f));
}

// ```json blocks of a Markdown file: [{kind, body, line}].
function jsonExamples(file) {
    const lines = readFileSync(file, "utf8").split("\n");
    const examples = [];
    for (let index = 0; index < lines.length; ++index) {
        if (lines[index].trim() !== "```json") continue;
        const marker = /^<!-- json: ([a-z-]+) -->$/.exec(lines[index - 1]?.trim() ?? "");
        const end = lines.indexOf("```", index + 1);
        assert.ok(end > index, `${file}:${index + 1}: unterminated code block`);
        examples.push({ kind: marker?.[1] ?? "config", body: lines.slice(index + 1, end).join("\n"), line: index + 1 });
        index = end;
    }
    return examples;
}

function markdownFiles() {
    const docs = readdirSync(path.join(sourceDir, "docs")).filter((f) => f.endsWith(".md"))
        .map((f) => path.join(sourceDir, "docs", f));
    const readmes = readdirSync(path.join(sourceDir, "plugins"))
        .map((p) => path.join(sourceDir, "plugins", p, "README.md")).filter(existsSync);
    return [path.join(sourceDir, "README.md"), ...docs, ...readmes];
}

describe("the schema itself", () => {
    test("rejects what the loader rejects: an unknown key at each level names it", () => {
        const config = {
            store: { sinks: [{ type: "sqlite", path: "x.sqlite", jorunal_mode: "WAL" }] },
            providers: [{ name: "s", plugin: "synthetic", config: { symbols: ["A"], rate_per_symbl: 1 } }],
        };
        const errors = schemaErrors(config).join("\n");
        assert.match(errors, /jorunal_mode/);
        assert.match(errors, /rate_per_symbl/);
        assert.deepEqual(schemaErrors({ htpp: {} }), ["(top level) must NOT have additional properties (htpp)"]);
    });
});

describe("shipped config files", () => {
    const files = [...jsonFiles(path.join(sourceDir, "config")),
        ...BUNDLED_PLUGINS.flatMap((p) => {
            const demo = path.join(sourceDir, "plugins", p, "demo");
            return existsSync(demo) ? jsonFiles(demo) : [];
        })];
    assert.ok(files.length >= 3);
    for (const file of files) {
        test(path.relative(sourceDir, file), () => {
            assert.deepEqual(schemaErrors(readJson(file)), []);
        });
    }

    // The plugins' every-key fixtures (their C++ tests prove each plugin accepts them).
    for (const [plugin, fixture] of [["synthetic", "tests/plugins/fixtures/synthetic-every-key.config.json"],
        ["ibkr", "tests/ibkr/fixtures/ibkr-every-key.config.json"],
        ["replay", "tests/plugins/fixtures/replay-every-key.config.json"],
        ["nats", "tests/nats/fixtures/nats-every-key.config.json"]]) {
        test(`${fixture} as the config of a "${plugin}" provider`, () => {
            const config = readJson(path.join(sourceDir, fixture));
            assert.deepEqual(schemaErrors({ providers: [{ name: plugin, plugin, config }] }), []);
            // The fixture sets every top-level key its schema names (the C++ tests prove the
            // plugin accepts each of them).
            const schema = readJson(path.join(sourceDir, "plugins", plugin, "config.schema.json"));
            assert.deepEqual(Object.keys(config).sort(), Object.keys(schema.properties).sort());
        });
    }

    for (const manifest of ["deployment-pipeline.yaml", "ingest-statefulset.yaml", "store-deployment.yaml"]) {
        test(`the ConfigMap's mdp.json in deploy/keda/${manifest}`, () => {
            const configMap = loadKind(deployFile("keda", manifest), "ConfigMap");
            assert.deepEqual(schemaErrors(JSON.parse(configMap.data["mdp.json"])), []);
        });
    }
});

describe("JSON examples in the docs and READMEs", () => {
    let configs = 0;
    for (const file of markdownFiles()) {
        for (const example of jsonExamples(file)) {
            const where = `${path.relative(sourceDir, file)}:${example.line}`;
            if (example.kind === "not-config") continue;
            test(`${where} (${example.kind})`, () => {
                const value = JSON.parse(example.body);
                if (example.kind === "config") {
                    assert.deepEqual(schemaErrors(value), []);
                } else if (example.kind === "provider") {
                    assert.deepEqual(schemaErrors({ providers: [value] }), []);
                } else {
                    assert.fail(`unknown example kind "${example.kind}" (config, provider or not-config)`);
                }
            });
            configs += 1;
        }
    }
    test("there are examples to check", () => assert.ok(configs >= 4, `only ${configs} config examples found`));
});
