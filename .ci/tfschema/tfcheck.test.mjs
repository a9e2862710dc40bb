// Proves the offline Terraform check catches each kind of mistake: one broken fixture per kind,
// each must yield a finding of that kind (and the good fixture none), at both provider bounds.
//   node --test .ci/tfschema/
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadSchema } from "./schema.mjs";
import { checkDir, DEFAULT_PROVIDERS, MODULES } from "./tfcheck.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.join(here, "fixtures");
const [lower, upper] = DEFAULT_PROVIDERS.map((set) => set.map((p) => loadSchema(path.join(MODULES, p))));

const expected = {
  "unknown-argument": /unknown argument "retention"/,
  "unknown-block": /unknown block "dead_letter_policy"/,
  "missing-required": /missing required argument "topic"/,
  "block-as-argument": /"dead_letter_policy" is a block, written as an argument/,
  "argument-as-block": /"labels" is an argument, written as a block/,
  "computed-only": /"uri" is computed-only/,
  "enum-value": /"type" = "PROTOBUF" is not one of TYPE_UNSPECIFIED, PROTOCOL_BUFFER, AVRO/,
  "bad-reference": /google_pubsub_topic\.t has no attribute "topic_id"/,
};

test("the packages are the provider bounds of terraform/versions.tf", () => {
  const versions = fs.readFileSync(path.join(here, "..", "..", "terraform", "versions.tf"), "utf8");
  const bound = (name) => {
    const m = new RegExp(`${name} = \\{[^}]*version = ">= ([0-9.]+), < ([0-9]+)\\.0"`, "s").exec(versions);
    assert.ok(m, `no bounded version for ${name} in versions.tf`);
    return { lower: m[1], upperMajor: Number(m[2]) };
  };
  const google = bound("google");
  assert.equal(lower[0].version, `${google.lower}.0`, "the lower package is the module's lower bound");
  assert.equal(Number(upper[0].version.split(".")[0]), google.upperMajor - 1, "the upper package is the last major allowed");
  const time = bound("time");
  const timeVersion = upper.find((s) => s.provider === "time").version;
  assert.ok(timeVersion.startsWith("0.") && Number(timeVersion.split(".")[1]) >= Number(time.lower.split(".")[1]));
});

for (const [bounds, schemas] of [["lower", lower], ["upper", upper]]) {
  test(`good fixture passes (${bounds} bound)`, async () => {
    assert.deepEqual(await checkDir(path.join(fixtures, "good"), schemas), []);
  });
  for (const [kind, pattern] of Object.entries(expected)) {
    test(`${kind} fails the check (${bounds} bound)`, async () => {
      const findings = await checkDir(path.join(fixtures, kind), schemas);
      assert.ok(findings.some((f) => pattern.test(f)), `${kind}: ${JSON.stringify(findings)}`);
    });
  }
}

test("a block the lower bound lacks fails there and passes at the upper bound", async () => {
  const dir = path.join(fixtures, "newer-than-lower-bound");
  const atLower = await checkDir(dir, lower);
  assert.ok(atLower.some((f) => /unknown block "automatic_update_policy"/.test(f)), JSON.stringify(atLower));
  assert.deepEqual(await checkDir(dir, upper), []);
});
