// Loading the YAML manifests under deploy/ as plain objects.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

export function loadYamlDocuments(file) {
    return yaml.loadAll(readFileSync(file, "utf8")).filter((doc) => doc !== null && doc !== undefined);
}

// The one document of `kind` in `file` (fails when there is none or more than one).
export function loadKind(file, kind) {
    const matches = loadYamlDocuments(file).filter((doc) => doc.kind === kind);
    if (matches.length !== 1) {
        throw new Error(`${file}: expected exactly one ${kind}, found ${matches.length}`);
    }
    return matches[0];
}

// The environment `container` (a Deployment's container spec) gives mdp-host: this process's
// environment without its own MDP_* variables, plus the container's literal values (those
// from Secrets do not exist here, as when the Secret is absent), plus `overrides`.
export function containerEnvironment(container, overrides = {}) {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("MDP_")));
    for (const variable of container.env ?? []) {
        if (variable.value !== undefined) env[variable.name] = variable.value;
    }
    return { ...env, ...overrides };
}
