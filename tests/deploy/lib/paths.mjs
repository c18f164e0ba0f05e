// Where the deploy tests find the project: the environment CMake passes to ctest
// (tests/deploy/CMakeLists.txt), else the layout around this file, so `node --test` also runs
// by hand from a source checkout.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export const sourceDir = process.env.MDP_SOURCE_DIR ?? path.resolve(here, "../../..");
export const deployDir = path.join(sourceDir, "deploy");
export const testDir = path.resolve(here, "..");
// Upstream material the tests check against, vendored with its source (each folder's README).
export const schemaDir = path.join(testDir, "schemas");
export const referenceDir = path.join(testDir, "reference");

// Build products; undefined when the tests run outside a CMake build.
export const binaryDir = process.env.MDP_BINARY_DIR;
export const hostBinary = process.env.MDP_HOST_BINARY;
export const pluginDir = process.env.MDP_PLUGIN_DIR;

export function deployFile(...parts) {
    return path.join(deployDir, ...parts);
}

// True when the CI variable is set (and not "0"/"false"): then a skip is a failure.
export const ci = !["", "0", "false"].includes(process.env.CI ?? "");

// A node:test `skip` option: `reason` (a string) or false. Under CI a reason throws instead,
// failing the test file, so CI never passes a check it did not run.
export function skipUnlessCi(reason) {
    if (reason && ci) {
        throw new Error(`would skip, but CI is set (a skip is a failure): ${reason}`);
    }
    return reason;
}

// The reason a test needing the build cannot run, or false when it can (node:test skip
// option; under CI a missing build throws, see skipUnlessCi).
export function missingBuild() {
    if (!hostBinary || !existsSync(hostBinary)) {
        return skipUnlessCi(`mdp-host not found (MDP_HOST_BINARY=${hostBinary ?? "unset"}); run this test through ctest`);
    }
    return false;
}
