// Replays the trading day of lib/store-tier-model.mjs through the shipped store ScaledObject
// and prints the table, or with --write regenerates the committed chart:
//   node tests/deploy/store-simulation.mjs            # the table
//   node tests/deploy/store-simulation.mjs --write    # docs/store-scaling-simulation.svg
// store-simulation.test.mjs fails when the committed chart is not what this renders.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { loadKind } from "./lib/manifests.mjs";
import { deployFile, sourceDir } from "./lib/paths.mjs";
import { simulationChart } from "./lib/simulation-chart.mjs";
import { TRADING_DAY, simulateStoreTier, simulationTable } from "./lib/store-tier-model.mjs";

export const CHART_FILE = path.join(sourceDir, "docs", "store-scaling-simulation.svg");

export function storeScaledObject() {
    return loadKind(deployFile("keda", "scaledobject-store.yaml"), "ScaledObject");
}

export function renderChart(rows, day = TRADING_DAY) {
    return simulationChart(rows, {
        endSeconds: day.endAt,
        burst: { from: day.openAt, to: day.openAt + day.burstSeconds },
        outage: { from: day.outageAt, to: day.outageAt + day.outageSeconds },
        title: "Store tier under deploy/keda/scaledobject-store.yaml: open burst (10x), session, 2-min store outage, close",
    });
}

export function committedChart() {
    return readFileSync(CHART_FILE, "utf8");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const rows = simulateStoreTier(storeScaledObject());
    if (process.argv.includes("--write")) {
        writeFileSync(CHART_FILE, renderChart(rows));
        console.log(`wrote ${path.relative(sourceDir, CHART_FILE)}`);
    } else {
        console.log(simulationTable(rows));
    }
}
