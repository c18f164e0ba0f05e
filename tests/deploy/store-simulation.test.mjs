// A trading day through the store tier's shipped ScaledObject (lib/store-tier-model.mjs has
// the model and its assumptions): the market-open burst is absorbed and its backlog drained,
// the replica count never flaps within the scale-down stabilization window, a store outage
// never scales the tier down (with every pod counted not ready), maxReplicaCount holds, and
// the tier returns to minReplicaCount after the close. The committed chart in docs/ is the
// one this replay renders.
import assert from "node:assert/strict";
import { test } from "node:test";

import { hpaBehavior, hpaReplicaBounds } from "./lib/keda.mjs";
import { TRADING_DAY, simulateStoreTier, simulationTable } from "./lib/store-tier-model.mjs";
import { committedChart, renderChart, storeScaledObject } from "./store-simulation.mjs";

const scaledObject = storeScaledObject();
const rows = simulateStoreTier(scaledObject);
const bounds = hpaReplicaBounds(scaledObject);
const day = TRADING_DAY;
const burstEnd = day.openAt + day.burstSeconds;
const outageEnd = day.outageAt + day.outageSeconds;
// The stated drain bound: the backlog the open builds is gone within 60 s after the burst.
const DRAIN_BOUND_SECONDS = 60;

const during = (from, to) => rows.filter((r) => r.t > from && r.t <= to);

test("the replay, as a table (one row a minute)", () => {
    console.log(simulationTable(rows));
    assert.equal(rows.length, day.endAt / 15);
});

test("maxReplicaCount and minReplicaCount hold at every sync", () => {
    for (const row of rows) {
        assert.ok(row.replicas >= bounds.minReplicas && row.replicas <= bounds.maxReplicas, JSON.stringify(row));
    }
    assert.equal(Math.max(...rows.map((r) => r.replicas)), bounds.maxReplicas, "the burst needs the maximum");
});

test(`the backlog built at the open drains within ${DRAIN_BOUND_SECONDS} s after the burst`, () => {
    const peak = Math.max(...during(day.openAt, burstEnd).map((r) => r.backlog));
    assert.ok(peak > 0, "the burst outruns the tier at first (otherwise this proves nothing)");
    const drained = during(day.openAt, day.outageAt).find((r) => r.t > day.openAt && r.backlog === 0 && r.load > 0);
    assert.ok(drained, "the backlog never drained before the outage");
    assert.ok(drained.t <= burstEnd + DRAIN_BOUND_SECONDS, `drained at ${drained.t} s, burst ended at ${burstEnd} s`);
    for (const row of during(burstEnd + DRAIN_BOUND_SECONDS, day.outageAt)) {
        assert.equal(row.backlog, 0, JSON.stringify(row));
    }
});

test("no oscillation: the count never reverses direction within the stabilization window", () => {
    const windowSeconds = hpaBehavior(scaledObject).scaleDown.stabilizationWindowSeconds;
    assert.ok(windowSeconds >= 300);
    const changes = rows.slice(1).map((r, i) => ({ t: r.t, direction: Math.sign(r.replicas - rows[i].replicas) }))
        .filter((c) => c.direction !== 0);
    assert.ok(changes.length > 0);
    for (let i = 1; i < changes.length; i++) {
        if (changes[i].direction !== changes[i - 1].direction) {
            assert.ok(changes[i].t - changes[i - 1].t >= windowSeconds,
                `reversal at ${changes[i - 1].t} s and ${changes[i].t} s: ${JSON.stringify(changes)}`);
        }
    }
});

test("the store outage never scales the tier down, though no pod is ready during it", () => {
    const outage = during(day.outageAt, outageEnd);
    assert.ok(outage.every((r) => r.storeDown && r.ready === 0));
    const before = rows.find((r) => r.t === day.outageAt).replicas;
    let previous = before;
    for (const row of [...outage, ...during(outageEnd, outageEnd + 60)]) {
        assert.ok(row.replicas >= previous, `the count fell during the outage: ${JSON.stringify(row)}`);
        previous = row.replicas;
    }
    // The backlog of the outage drains within a minute of the store's return.
    assert.ok(during(outageEnd + 60, day.closeAt).every((r) => r.backlog === 0));
});

test("after the close the tier returns to minReplicaCount", () => {
    assert.equal(rows.at(-1).replicas, bounds.minReplicas);
    assert.equal(rows.at(-1).backlog, 0);
});

test("the chart in docs/ is the one this replay renders (regenerate: node tests/deploy/store-simulation.mjs --write)", () => {
    assert.equal(committedChart(), renderChart(rows),
        "docs/store-scaling-simulation.svg is stale: run `node tests/deploy/store-simulation.mjs --write`");
});
