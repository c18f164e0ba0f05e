// deploy/docker/Dockerfile without a Docker engine: its build stage's commands are replayed
// on this machine (configure a copy of exactly the sources it COPYs; install this build the
// way it installs), every path the runtime stage copies must come out of that install, and
// the runtime stage's packages must provide every library the binaries link against.
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

import { binaryDir, deployFile, missingBuild, pluginDir, skipUnlessCi, sourceDir } from "./lib/paths.mjs";
import { run } from "./lib/processes.mjs";

const cmake = process.env.MDP_CMAKE_COMMAND ?? "cmake";

// Dockerfile instructions per stage: [{name, base, instructions: [{keyword, args}]}].
function parseDockerfile(text) {
    const logicalLines = text
        .split("\n")
        .filter((line) => !/^\s*#/.test(line))
        .join("\n")
        .replace(/\\\n/g, " ")
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean);
    const stages = [];
    for (const line of logicalLines) {
        const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line);
        if (keyword.toUpperCase() === "FROM") {
            const [, base, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
            stages.push({ name, base, instructions: [] });
        } else {
            stages.at(-1).instructions.push({ keyword: keyword.toUpperCase(), args });
        }
    }
    return stages;
}

// COPY [--from=stage] src... dest  ->  {from, sources, destination}
function parseCopy(args) {
    const words = args.split(/\s+/);
    const from = words[0].startsWith("--from=") ? words.shift().slice("--from=".length) : null;
    const destination = words.pop();
    return { from, sources: words, destination };
}

// The shell commands of a stage's RUN instructions, split at `&&`.
function runCommands(stage) {
    return stage.instructions.filter((i) => i.keyword === "RUN").flatMap((i) => i.args.split("&&").map((c) => c.trim()));
}

const dockerfile = parseDockerfile(readFileSync(deployFile("docker", "Dockerfile"), "utf8"));
const buildStage = dockerfile.find((s) => s.name === "build");
const runtimeStage = dockerfile.at(-1);
const instructions = (stage, keyword) => stage.instructions.filter((i) => i.keyword === keyword);

describe("the image's shape", () => {
    test("a multi-stage Debian 12 build", () => {
        assert.ok(buildStage, "no stage named build");
        assert.ok(dockerfile.length >= 2);
        for (const stage of dockerfile) assert.match(stage.base, /^debian:12(-slim)?$/);
    });

    test("the runtime stage runs as a numeric non-root user and exposes 8000", () => {
        const [user] = instructions(runtimeStage, "USER").map((i) => i.args);
        assert.match(user, /^[1-9][0-9]*(:[0-9]+)?$/, "a numeric uid lets runAsNonRoot verify it");
        assert.deepEqual(instructions(runtimeStage, "EXPOSE").map((i) => i.args), ["8000"]);
    });

    test("the runtime stage starts mdp-host from the paths it copied", () => {
        const copied = instructions(runtimeStage, "COPY").map((i) => parseCopy(i.args).destination);
        const [entrypoint] = JSON.parse(instructions(runtimeStage, "ENTRYPOINT")[0].args);
        assert.ok(copied.includes(entrypoint), `ENTRYPOINT ${entrypoint} is not copied in`);
        const configEnv = instructions(runtimeStage, "ENV").map((i) => /^MDP_CONFIG=(\S+)$/.exec(i.args)).find(Boolean);
        assert.ok(configEnv, "MDP_CONFIG names the default config");
        assert.ok(copied.includes(configEnv[1]), `MDP_CONFIG ${configEnv[1]} is not copied in`);
    });
});

describe("the build stage works from what it copies", { skip: missingBuild() }, () => {
    let workDir;
    let staging;
    const installCommand = runCommands(buildStage).find((c) => /cmake --install/.test(c));
    const destdir = /DESTDIR=(\S+)/.exec(installCommand)[1];
    const prefix = /--prefix (\S+)/.exec(installCommand)[1];

    before(() => {
        workDir = mkdtempSync(path.join(os.tmpdir(), "mdp-image-"));
        staging = path.join(workDir, "install");
        // The build stage's install, on this build: DESTDIR=<staging><destdir>.
        const { status, output } = run(cmake, ["--install", binaryDir, "--prefix", prefix], {
            env: { ...process.env, DESTDIR: path.join(staging, destdir) },
        });
        assert.equal(status, 0, output);
    });
    after(() => rmSync(workDir, { recursive: true, force: true }));

    test("every COPY from the build context exists in the source tree", () => {
        for (const copy of instructions(buildStage, "COPY").map((i) => parseCopy(i.args))) {
            assert.equal(copy.from, null);
            for (const source of copy.sources) {
                assert.ok(existsSync(path.join(sourceDir, source)), `COPY ${source}: not in the source tree`);
            }
        }
    });

    test("the copied sources alone configure with the build stage's cmake command", () => {
        const sources = path.join(workDir, "src");
        for (const copy of instructions(buildStage, "COPY").map((i) => parseCopy(i.args))) {
            for (const source of copy.sources) {
                const target = path.join(sources, copy.destination === "./" ? path.basename(source) : copy.destination);
                cpSync(path.join(sourceDir, source), target, { recursive: true });
            }
        }
        const configure = runCommands(buildStage).find((c) => c.startsWith("cmake -S"));
        const args = configure.split(/\s+/).slice(1);
        const { status, output } = run(cmake, args, { cwd: sources });
        assert.equal(status, 0, output);
        // Files installed straight from the sources (configs, headers) must be among the copies
        // too; the generated install scripts name each one by its absolute path.
        const buildDir = path.join(sources, args[args.indexOf("-B") + 1]);
        for (const script of installScripts(buildDir)) {
            for (const [, file] of readFileSync(script, "utf8").matchAll(/"([^"]+)"/g)) {
                if (file.startsWith(sources + "/") && !file.startsWith(buildDir + "/")) {
                    assert.ok(existsSync(file), `${path.relative(sources, file)} is installed but not copied into the build stage`);
                }
            }
        }
    });

    test("every path the runtime stage copies from the build stage is installed", () => {
        const copies = instructions(runtimeStage, "COPY").map((i) => parseCopy(i.args)).filter((c) => c.from === "build");
        assert.ok(copies.length >= 3);
        for (const copy of copies) {
            for (const source of copy.sources) {
                const installed = path.join(staging, source);
                assert.ok(existsSync(installed), `COPY --from=build ${source}: the install does not produce it`);
                if (statSync(installed).isDirectory()) {
                    assert.ok(readdirSync(installed).length > 0, `${source} is empty`);
                }
            }
        }
    });

    test("the bundled plugins are all in the one plugin directory", () => {
        const installedPlugins = readdirSync(path.join(staging, destdir, prefix, "lib", "mdp", "plugins"));
        const builtPlugins = readdirSync(pluginDir).filter((f) => /^mdp_.*\.so$/.test(f));
        assert.ok(installedPlugins.includes("mdp_synthetic.so"));
        assert.deepEqual(installedPlugins.filter((f) => f.endsWith(".so")).sort(), builtPlugins.sort());
    });

    test("the installed default config is valid and names the image's plugin directory", () => {
        const installedConfig = path.join(staging, destdir, prefix, "etc", "mdp", "mdp.json");
        const config = JSON.parse(readFileSync(installedConfig, "utf8"));
        assert.deepEqual(config.plugin_path, [path.posix.join(prefix, "lib", "mdp", "plugins")]);
        // Checked with the staged binary and plugins: only the install root differs.
        config.plugin_path = [path.join(staging, destdir, prefix, "lib", "mdp", "plugins")];
        const checked = path.join(workDir, "mdp.json");
        writeFileSync(checked, JSON.stringify(config));
        const { status, output } = run(path.join(staging, destdir, prefix, "bin", "mdp-host"), ["--config", checked, "--check-config"]);
        assert.equal(status, 0, output);
    });

    test("the runtime packages provide every library the binaries link against", () => {
        const aptInstall = runCommands(runtimeStage).find((c) => /apt-get install/.test(c));
        const runtimePackages = new Set(aptInstall.split(/\s+/).filter((w) => /^[a-z0-9][a-z0-9.+-]+$/.test(w)));
        // In every debian:12-slim image (apt itself depends on them).
        const basePackages = new Set(["libc6", "libgcc-s1", "libstdc++6"]);
        // A sanitizer build of the suite (scripts/test-sanitizers.sh) links the sanitizer
        // runtimes; the image's build stage never uses a sanitizer build type.
        const sanitizerRuntime = /^lib(asan|ubsan|tsan|lsan)[0-9]+$/;
        const root = path.join(staging, destdir, prefix);
        const pluginsDir = path.join(root, "lib", "mdp", "plugins");
        const binaries = [path.join(root, "bin", "mdp-host"), ...readdirSync(pluginsDir).map((f) => path.join(pluginsDir, f))];
        const needs = binaries.flatMap((binary) => linkedLibraries(binary).map((library) => ({ binary, ...library })));
        const owners = owningPackages(needs.map((n) => n.file));
        for (const { binary, name, file } of needs) {
            const pkg = owners.get(file);
            assert.ok(pkg, `${path.basename(binary)}: ${name} (${file}) belongs to no Debian package`);
            if (sanitizerRuntime.test(pkg)) {
                continue;
            }
            assert.ok(runtimePackages.has(pkg) || basePackages.has(pkg),
                `${path.basename(binary)} needs ${name} from ${pkg}, which the runtime stage does not install`);
        }
    });

    test("the systemd unit verifies and runs the installed host with the installed config", {
        skip: skipUnlessCi(run("sh", ["-c", "command -v systemd-analyze"]).status === 0 ? false : "systemd-analyze is not installed (Debian package systemd)"),
    }, () => {
        const unit = readFileSync(deployFile("systemd", "mdp-host.service"), "utf8");
        const execs = [...unit.matchAll(/^Exec\w+=(\S+)/gm)].map((m) => m[1]);
        assert.ok(execs.length >= 2);
        const configEnv = /^Environment=MDP_CONFIG=(\S+)$/m.exec(unit);
        assert.ok(configEnv, "the unit names the config through MDP_CONFIG");
        for (const file of [...execs, configEnv[1]]) {
            assert.ok(existsSync(path.join(staging, destdir, file)), `${file} is not installed`);
        }
        // systemd-analyze checks keys and executables on this machine's paths: the installed
        // files are under the staging directory instead of /.
        const staged = path.join(workDir, "mdp-host.service");
        writeFileSync(staged, unit.replaceAll(`${prefix}/`, `${path.join(staging, destdir, prefix)}/`));
        const { status, stderr } = run("systemd-analyze", ["verify", staged]);
        assert.equal(status, 0, stderr);
        assert.equal(stderr.trim(), "", "no unknown keys or other warnings");
        const drainSeconds = 30;  // store.shutdown_drain_timeout_ms default
        assert.ok(Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)[1]) > drainSeconds, "the stop timeout outlasts the drain");
    });
});

// Every cmake_install.cmake under `dir`.
function installScripts(dir) {
    return readdirSync(dir, { recursive: true })
        .filter((f) => path.basename(f) === "cmake_install.cmake")
        .map((f) => path.join(dir, f));
}

// The shared libraries `binary` names (ELF NEEDED) with the files they resolve to here.
function linkedLibraries(binary) {
    const needed = [...run("objdump", ["-p", binary]).stdout.matchAll(/NEEDED\s+(\S+)/g)].map((m) => m[1]);
    // "libx.so.1 => /path/libx.so.1 (0x..)", and the loader as "/path/ld-linux... (0x..)".
    const resolved = new Map(run("ldd", [binary]).stdout.split("\n").flatMap((line) => {
        const linked = /^\s*(\S+) => (\/\S+)/.exec(line);
        if (linked) return [[linked[1], linked[2]]];
        const loader = /^\s*(\/\S+) \(0x/.exec(line);
        return loader ? [[path.basename(loader[1]), loader[1]]] : [];
    }));
    return needed.map((name) => {
        assert.ok(resolved.has(name), `${binary}: ${name} does not resolve`);
        return { name, file: resolved.get(name) };
    });
}

// file -> Debian package, in one dpkg query. dpkg knows a file by the path its package
// installed, which on a merged-/usr system may be the /lib or the /usr/lib spelling.
function owningPackages(files) {
    const spellings = (file) => [file, file.replace(/^\/usr\/lib/, "/lib"), file.replace(/^\/lib/, "/usr/lib")];
    const unique = [...new Set(files.flatMap(spellings))];
    const found = new Map();
    for (const line of run("dpkg", ["-S", ...unique]).stdout.split("\n")) {
        const match = /^([^:\s]+)(?::\S+)?: (\/\S+)$/.exec(line);
        if (match) found.set(match[2], match[1]);
    }
    return new Map(files.map((file) => [file, spellings(file).map((f) => found.get(f)).find(Boolean)]));
}
