// The PromQL an operator is given: the README's query blocks and trigger snippets, the
// dashboard's panel targets (with Grafana's variables filled in as Grafana would), the alert
// expressions. The KEDA loop test runs them all against a real Prometheus.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

import { loadKind } from "./manifests.mjs";
import { deployFile } from "./paths.mjs";

// Metrics only kube-state-metrics exports: no data without a cluster.
export const KUBE_STATE_METRIC = /\bkube_[a-z_]+/;

// Queries that return data only in a cluster, not from the one mdp-host the KEDA loop test
// scrapes (as job mdp-pipeline, service mdp-pipeline): kube-state-metrics, the KEDA
// operator's own metrics, and the two-tier layout's Services.
const CLUSTER_ONLY = /\b(?:kube|keda)_[a-z_]+|service\s*=~?\s*"mdp-(?:ingest|store)/;

export function needsCluster(expr) {
    return CLUSTER_ONLY.test(expr);
}

// Fenced code blocks of a Markdown text: [{language, body}].
export function codeBlocks(markdown) {
    const blocks = [];
    const fence = /^```([a-z]*)\n([\s\S]*?)^```$/gm;
    for (let match; (match = fence.exec(markdown)) !== null;) {
        blocks.push({ language: match[1], body: match[2] });
    }
    return blocks;
}

export function readme() {
    return readFileSync(deployFile("keda", "README.md"), "utf8");
}

// Every query in the README: lines of ```promql blocks, `query:` values of ```yaml blocks.
export function readmeQueries(markdown = readme()) {
    const queries = [];
    for (const block of codeBlocks(markdown)) {
        if (block.language === "promql") {
            queries.push(...block.body.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#")));
        }
        if (block.language === "yaml") {
            const doc = yaml.load(block.body);
            for (const trigger of (doc?.triggers ?? []).filter((t) => t.metadata?.query)) {
                queries.push(trigger.metadata.query.trim());
            }
        }
    }
    return queries;
}

export function dashboard() {
    return JSON.parse(readFileSync(deployFile("grafana", "mdp-dashboard.json"), "utf8"));
}

// Grafana's substitutions for the dashboard's variables.
export function dashboardQueries(namespace, board = dashboard()) {
    return board.panels.flatMap((panel) =>
        panel.targets.map((t) => ({
            panel: panel.title,
            expr: t.expr.replaceAll("$namespace", namespace).replaceAll("$__rate_interval", "1m"),
        })),
    );
}

// The metric selectors of an expression that do not match on `namespace` (a metric name
// without braces counts as unscoped): empty when every series it reads is this install's.
export function unscopedSelectors(expr) {
    const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const selectors = code.matchAll(/\b((?:pipeline|feedback|mdp|process|kube)_[a-z0-9_]*|up)\b(\{[^}]*\})?/g);
    return [...selectors].filter((m) => !/\bnamespace\s*=/.test(m[2] ?? "")).map((m) => m[0]);
}

export function alertExpressions() {
    const rule = loadKind(deployFile("prometheus", "alerts.yaml"), "PrometheusRule");
    return rule.spec.groups.flatMap((g) => g.rules).map((r) => ({ alert: r.alert, expr: r.expr }));
}

// Metric names an expression reads: identifiers with mdp's, Prometheus' or kube-state-metrics'
// prefixes outside string literals, histogram series reduced to their family.
export function metricNames(expr) {
    const code = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    const names = code.match(/\b(?:(?:pipeline|feedback|mdp|process|kube)_[a-z0-9_]*|up)\b/g) ?? [];
    return [...new Set(names.map((n) => n.replace(/_(bucket|sum|count)$/, "")))];
}
