// deploy/grafana/mdp-dashboard.json: importable (data source as an import input), with the
// five panels of the promised document plus throughput, drops and the store tier's, laid out
// without overlap.
// Its queries run against a real Prometheus in keda-loop.test.mjs.
import assert from "node:assert/strict";
import { test } from "node:test";

import { dashboard } from "./lib/queries.mjs";

const board = dashboard();
const panel = (title) => {
    const found = board.panels.find((p) => p.title === title);
    assert.ok(found, `no panel "${title}"`);
    return found;
};

test("importable: the data source is an import input every query uses", () => {
    assert.deepEqual(board.__inputs.map((i) => [i.name, i.type, i.pluginId]), [["DS_PROMETHEUS", "datasource", "prometheus"]]);
    assert.ok(board.uid && board.title && Number.isInteger(board.schemaVersion));
    for (const p of board.panels) {
        assert.equal(p.datasource.uid, "${DS_PROMETHEUS}", p.title);
        assert.ok(p.targets.length > 0, p.title);
        for (const t of p.targets) {
            assert.equal(t.datasource.uid, "${DS_PROMETHEUS}", `${p.title} ${t.refId}`);
            assert.ok(t.expr.trim(), `${p.title} ${t.refId}`);
        }
    }
});

test("queue depth: a time series of the contract metric", () => {
    const p = panel("Queue depth");
    assert.equal(p.type, "timeseries");
    assert.ok(p.targets.some((t) => t.expr.includes('pipeline_feedback_queue_depth{source="store_coordinator"')));
});

test("backpressure state: a gauge from 0 to 2 with OK/SOFT/HARD", () => {
    const p = panel("Backpressure state");
    assert.equal(p.type, "gauge");
    assert.deepEqual([p.fieldConfig.defaults.min, p.fieldConfig.defaults.max], [0, 2]);
    assert.deepEqual(Object.values(p.fieldConfig.defaults.mappings[0].options).map((o) => o.text), ["OK", "SOFT", "HARD"]);
    assert.match(p.targets[0].expr, /pipeline_backpressure_state/);
});

test("rate scale: a gauge from 0 to 1", () => {
    const p = panel("Rate scale");
    assert.equal(p.type, "gauge");
    assert.deepEqual([p.fieldConfig.defaults.min, p.fieldConfig.defaults.max], [0, 1]);
    assert.match(p.targets[0].expr, /pipeline_rate_scale_factor/);
});

test("pod count: a stat panel", () => {
    assert.equal(panel("Pod count").type, "stat");
});

test("HPA target vs current: replicas on one axis, metric and target on the other", () => {
    const p = panel("HPA target vs current");
    assert.equal(p.type, "timeseries");
    const exprs = p.targets.map((t) => t.expr).join("\n");
    assert.match(exprs, /status_current_replicas/);
    assert.match(exprs, /status_desired_replicas/);
    assert.match(exprs, /spec_target_metric/);
    const rightAxis = p.fieldConfig.overrides.flatMap((o) => o.properties).filter((prop) => prop.id === "custom.axisPlacement");
    assert.deepEqual(rightAxis.map((prop) => prop.value), ["right"]);
});

test("throughput and drops", () => {
    assert.match(panel("Throughput").targets.map((t) => t.expr).join(), /mdp_events_published_total/);
    assert.match(panel("Throughput").targets.map((t) => t.expr).join(), /mdp_events_stored_total/);
    assert.match(panel("Drops").targets.map((t) => t.expr).join(), /mdp_events_dropped_total/);
});

test("panel ids are unique and panels do not overlap on the 24-column grid", () => {
    const ids = board.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    const cells = new Set();
    for (const { title, gridPos: g } of board.panels) {
        assert.ok(g.x >= 0 && g.x + g.w <= 24, `${title} is wider than the grid`);
        for (let x = g.x; x < g.x + g.w; x++) {
            for (let y = g.y; y < g.y + g.h; y++) {
                assert.ok(!cells.has(`${x},${y}`), `${title} overlaps another panel at ${x},${y}`);
                cells.add(`${x},${y}`);
            }
        }
    }
});

test("store tier: the consumer lag as KEDA reads it, and delivered/stored/nakked of the store pods", () => {
    const lag = panel("Store tier: consumer lag");
    assert.equal(lag.type, "timeseries");
    const lagExprs = lag.targets.map((t) => t.expr).join("\n");
    assert.match(lagExprs, /keda_scaler_metrics_value\{[^}]*scaledObject="mdp-store-scaler"[^}]*scaler="natsJetStreamScaler"/);
    assert.match(lagExprs, /exported_namespace="\$namespace"/);
    assert.match(lagExprs, /horizontalpodautoscaler="keda-hpa-mdp-store-scaler"/);
    const flow = panel("Store tier: delivered, stored, nakked").targets.map((t) => t.expr).join("\n");
    for (const metric of ["mdp_events_published_total", "mdp_events_stored_total", "mdp_events_dropped_total"]) {
        assert.match(flow, new RegExp(`${metric}\\{[^}]*service="mdp-store"`), metric);
    }
    assert.match(flow, /keda_scaler_detail_errors_total\{[^}]*scaledObject="mdp-store-scaler"/);
});
