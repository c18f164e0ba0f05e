#!/usr/bin/env node
// Generates the "Example Scenarios" table of README.md from the tuning formula
//     threshold = store_capacity x target_utilization
// and the HPA's 10 % tolerance (metricType Value: the busiest pod's queue depth is held
// between 0.9 x and 1.1 x the threshold).
//
//   node threshold-table.mjs           print the table
//   node threshold-table.mjs --write   replace the table in README.md (between its markers)
//   node threshold-table.mjs --check   exit 1 when README.md's table differs
import path from "node:path";
import { fileURLToPath } from "node:url";

import { readmeSection, runTableCommand } from "./readme-table.mjs";

export const HIGH_WATERMARK_PCT = 80;  // backpressure default: HARD from 80 % of capacity
export const TOLERANCE_PCT = 10;       // Kubernetes HPA default tolerance

export const SCENARIOS = [
    { name: "High Throughput", capacity: 10000, utilizationPct: 80, notes: "Fewest pods, deep queues; scales late" },
    { name: "Balanced", capacity: 10000, utilizationPct: 50, notes: "**Default**" },
    { name: "Low Latency", capacity: 10000, utilizationPct: 20, notes: "Short queues, more pods; scales early" },
    { name: "Large Store", capacity: 50000, utilizationPct: 60, notes: "Needs `MDP__STORE__QUEUE_CAPACITY=50000`" },
];

// Integer arithmetic throughout: the table must not show 5500.000000000001.
export function thresholdFor({ capacity, utilizationPct }) {
    return (capacity * utilizationPct) / 100;
}

function scaleOutAbove(threshold) {
    return (threshold * (100 + TOLERANCE_PCT)) / 100;
}

function scaleInBelow(threshold) {
    return (threshold * (100 - TOLERANCE_PCT)) / 100;
}

function withSeparators(n) {
    return Number.isInteger(n) ? n.toLocaleString("en-US") : String(n);
}

function hardNote(scenario, threshold) {
    const hardAt = (scenario.capacity * HIGH_WATERMARK_PCT) / 100;
    return scaleOutAbove(threshold) >= hardAt ? `; queue trigger fires only once HARD (>= ${withSeparators(hardAt)})` : "";
}

export function thresholdTable(scenarios = SCENARIOS) {
    const rows = [
        "| Scenario | Store Capacity | Target Util | Threshold | Scales out above | Scales in below | Notes |",
        "|----------|----------------|-------------|-----------|------------------|-----------------|-------|",
    ];
    for (const s of scenarios) {
        const threshold = thresholdFor(s);
        rows.push(
            `| **${s.name}** | ${withSeparators(s.capacity)} | ${s.utilizationPct}% | ${withSeparators(threshold)} ` +
                `| ${withSeparators(scaleOutAbove(threshold))} | ${withSeparators(scaleInBelow(threshold))} ` +
                `| ${s.notes}${hardNote(s, threshold)} |`,
        );
    }
    return rows.join("\n") + "\n";
}

// The table README.md currently shows between its markers.
export function readmeTable(readmeText) {
    return readmeSection(readmeText, "threshold-table", "threshold-table.mjs");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    runTableCommand(process.argv.slice(2),
        { name: "threshold-table", script: "threshold-table.mjs", table: thresholdTable(), what: "threshold table" });
}
