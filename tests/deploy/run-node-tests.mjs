// ctest entry point for the deploy tests: runs the given test files under `node --test`, or
// skips (exit 77, SKIP_RETURN_CODE in CMakeLists.txt) with the command that installs the
// npm dependencies when they are missing. With CI set a skip is a failure (exit 1): CI must
// never pass a check it did not run.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const ci = !["", "0", "false"].includes(process.env.CI ?? "");
if (!existsSync(path.join(here, "node_modules", "js-yaml"))) {
    const reason = "tests/deploy/node_modules is missing; run `npm ci --prefix tests/deploy` first";
    console.log(ci ? `FAILED (CI is set, a skip is a failure): ${reason}` : `SKIPPED: ${reason}`);
    process.exit(ci ? 1 : 77);
}
const files = process.argv.slice(2).map((f) => path.join(here, f));
const result = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...files], { stdio: "inherit", cwd: here });
process.exit(result.status ?? 1);
