#!/usr/bin/env node
// Generates the "Sizing lagThreshold" table of README.md from the formula
//     lagThreshold = replica_drain_rate x target_drain_time
// (messages per second one store replica stores, and how long a replica's share of the lag
// may take to drain). The nats-jetstream trigger is AverageValue: the HPA asks for
// ceil(lag / lagThreshold) replicas once lag / (lagThreshold x replicas) leaves [0.9, 1.1].
//
//   node lag-threshold-table.mjs           print the table
//   node lag-threshold-table.mjs --write   replace the table in README.md (between its markers)
//   node lag-threshold-table.mjs --check   exit 1 when README.md's table differs
import path from "node:path";
import { fileURLToPath } from "node:url";

import { readmeSection, runTableCommand } from "./readme-table.mjs";

export const TOLERANCE_PCT = 10;  // Kubernetes HPA default tolerance
export const EXAMPLE_LAG = 100000;  // a market-open backlog, in messages
export const MAX_REPLICAS = 10;  // maxReplicaCount of scaledobject-store.yaml

export const SCENARIOS = [
    { name: "Fast drain", drainPerSecond: 1000, drainSeconds: 2, notes: "More pods per backlog; shortest delay to PostgreSQL" },
    { name: "Balanced", drainPerSecond: 1000, drainSeconds: 5, notes: "**Default**" },
    { name: "Patient", drainPerSecond: 1000, drainSeconds: 30, notes: "Fewest pods; a backlog may wait 30 s per replica" },
    { name: "Large messages", drainPerSecond: 250, drainSeconds: 5, notes: "Few symbols, many events per message" },
];

export function lagThresholdFor({ drainPerSecond, drainSeconds }) {
    return drainPerSecond * drainSeconds;
}

function withSeparators(n) {
    return n.toLocaleString("en-US");
}

export function lagThresholdTable(scenarios = SCENARIOS) {
    const rows = [
        "| Scenario | Drain per replica (msg/s) | Target drain | lagThreshold | 1 → 2 replicas above | Replicas for a lag of 100,000 | Notes |",
        "|----------|---------------------------|--------------|--------------|----------------------|-------------------------------|-------|",
    ];
    for (const s of scenarios) {
        const threshold = lagThresholdFor(s);
        const wanted = Math.ceil(EXAMPLE_LAG / threshold);
        const replicas = wanted > MAX_REPLICAS ? `${wanted} (capped at ${MAX_REPLICAS})` : String(wanted);
        rows.push(
            `| **${s.name}** | ${withSeparators(s.drainPerSecond)} | ${s.drainSeconds} s | ${withSeparators(threshold)} ` +
                `| ${withSeparators((threshold * (100 + TOLERANCE_PCT)) / 100)} | ${replicas} | ${s.notes} |`,
        );
    }
    return rows.join("\n") + "\n";
}

// The table README.md currently shows between its markers.
export function readmeLagTable(readmeText) {
    return readmeSection(readmeText, "lag-threshold-table", "lag-threshold-table.mjs");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    runTableCommand(process.argv.slice(2),
        { name: "lag-threshold-table", script: "lag-threshold-table.mjs", table: lagThresholdTable(), what: "lagThreshold table" });
}
