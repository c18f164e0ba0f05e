// A real Prometheus (Debian's `prometheus`) on loopback for a test: temp config and TSDB,
// one static scrape job every second, instant queries over its HTTP API.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { BackgroundProcess, eventually } from "./processes.mjs";

export class PrometheusServer {
    // `job`: the job name; `target`: "127.0.0.1:PORT"; `labels`: added to every series, the
    // way prometheus-operator adds namespace/pod/service to a ServiceMonitor's targets. Or
    // `targets`: [{target, labels}] for several pods of one job.
    static async start({ job, target, labels = {}, targets = [{ target, labels }] }) {
        const server = new PrometheusServer();
        server.dir = mkdtempSync(path.join(os.tmpdir(), "mdp-prometheus-"));
        const config = [
            "global:",
            "  scrape_interval: 1s",
            "  scrape_timeout: 900ms",
            "  evaluation_interval: 1s",
            "scrape_configs:",
            `  - job_name: ${JSON.stringify(job)}`,
            "    static_configs:",
            ...targets.flatMap((t) => [`      - targets: [${JSON.stringify(t.target)}]`,
                `        labels: ${JSON.stringify(t.labels ?? {})}`]),
            "",
        ].join("\n");
        const configFile = path.join(server.dir, "prometheus.yml");
        writeFileSync(configFile, config);
        server.process = new BackgroundProcess("prometheus", "prometheus", [
            `--config.file=${configFile}`,
            `--storage.tsdb.path=${path.join(server.dir, "tsdb")}`,
            // Port 0: Prometheus binds a free port itself and logs the address it got, so no
            // other test can take the port between a probe and the bind.
            "--web.listen-address=127.0.0.1:0",
            "--log.level=info",
        ]);
        await eventually("Prometheus to be ready", async () => {
            if (server.process.exited) throw new Error(`prometheus exited\n${server.process.tail()}`);
            const listening = /msg="Listening on" address=127\.0\.0\.1:(\d+)/.exec(server.process.output);
            if (!listening) return false;
            server.port = Number(listening[1]);
            return (await fetch(`${server.url}/-/ready`)).ok;
        });
        return server;
    }

    get url() {
        return `http://127.0.0.1:${this.port}`;
    }

    // The `data` of /api/v1/query for `expr` now (the way KEDA asks); throws on a query error.
    async query(expr) {
        const params = new URLSearchParams({ query: expr, time: String(Date.now() / 1000) });
        const response = await fetch(`${this.url}/api/v1/query?${params}`);
        const body = await response.json();
        if (body.status !== "success") {
            throw new Error(`query ${expr}: ${body.errorType}: ${body.error}`);
        }
        return body.data;
    }

    // The single value of a one-element vector result, or null when the result is empty.
    async value(expr) {
        const data = await this.query(expr);
        if (data.resultType === "scalar") return Number(data.result[1]);
        if (data.result.length > 1) throw new Error(`query ${expr}: ${data.result.length} elements, expected one`);
        return data.result.length === 0 ? null : Number(data.result[0].value[1]);
    }

    async targetHealth() {
        const body = await (await fetch(`${this.url}/api/v1/targets`)).json();
        return body.data.activeTargets.map((t) => t.health);
    }

    async stop() {
        await this.process?.stop("SIGTERM");
        rmSync(this.dir, { recursive: true, force: true });
    }
}
