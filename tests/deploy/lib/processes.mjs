// Child processes for the deploy tests, and the port mdp-host reports it bound.
import { spawn, spawnSync } from "node:child_process";

// Runs `command` to completion; {status, stdout, stderr, output}.
export function run(command, args, options = {}) {
    const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
    if (result.error) {
        throw new Error(`${command} could not run: ${result.error.message}`);
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

// A long-running child whose output is kept for failure messages.
export class BackgroundProcess {
    constructor(name, command, args, options = {}) {
        this.name = name;
        this.output = "";
        this.exited = null;
        this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], ...options });
        const keep = (chunk) => {
            this.output += chunk.toString();
            if (this.output.length > 1_000_000) this.output = this.output.slice(-500_000);
        };
        this.child.stdout.on("data", keep);
        this.child.stderr.on("data", keep);
        this.exitPromise = new Promise((resolve) => {
            this.child.on("exit", (code, signal) => {
                this.exited = { code, signal };
                resolve(this.exited);
            });
            this.child.on("error", (error) => {
                this.output += `\n${error.message}`;
                this.exited = { code: null, signal: null, error };
                resolve(this.exited);
            });
        });
    }

    signal(name) {
        if (!this.exited) this.child.kill(name);
    }

    // Sends `signalName` and waits up to `timeoutMs` for the exit; SIGKILL after that.
    async stop(signalName = "SIGTERM", timeoutMs = 20000) {
        if (this.exited) return this.exited;
        this.child.kill(signalName);
        const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
        const exit = await this.exitPromise;
        clearTimeout(timer);
        return exit;
    }

    tail(chars = 4000) {
        return `--- ${this.name} output (last ${chars} chars) ---\n${this.output.slice(-chars)}`;
    }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls `probe` (async, returns a truthy value when done) every `intervalMs` for at most
// `timeoutMs`; returns the value or throws with `what` and the last probe error.
export async function eventually(what, probe, { timeoutMs = 30000, intervalMs = 250 } = {}) {
    const deadline = Date.now() + timeoutMs;
    let lastError;
    for (;;) {
        try {
            const value = await probe();
            if (value) return value;
        } catch (error) {
            lastError = error;
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${lastError.message}` : ""}`);
        }
        await sleep(intervalMs);
    }
}

// The port mdp-host bound, from its "http: listening on ADDRESS:PORT" line (text or JSON
// log), or null while the line has not appeared.
export function listeningPort(output) {
    const match = /http: listening on [^\s"]*:(\d+)/.exec(output);
    return match ? Number(match[1]) : null;
}
