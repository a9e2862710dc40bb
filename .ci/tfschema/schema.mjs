// Reads a provider's resource and data-source schemas from a cdktf prebuilt provider package.
//
// The packages are generated from `terraform providers schema -json`, and their jsii metadata
// (.jsii) keeps what the check needs: every config struct property links to its registry anchor
// (the Terraform name), says whether it is optional, and whether its type is a nested struct
// (a block) or a primitive/collection (an argument); the description keeps "Possible values:
// [...]" for enums; the OutputReference classes list computed-only attributes (getters without
// an `...Input` twin and without a config property).
import fs from "node:fs";
import path from "node:path";

const REGISTRY =
  /Represents a \{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/([a-z0-9-]+)\/([0-9.]+)\/docs\/(resources|data-sources)\/([a-z0-9_]+) ([a-z0-9_]+)\}/;
const ANCHOR = /Docs at Terraform Registry: \{@link https:\/\/registry\.terraform\.io\/[^#]+#([a-zA-Z0-9_]+) /;
const ENUM = /Possible values: \[([^\]]*)\]/;

/** camelCase getter name to its Terraform attribute name. */
function snake(name) {
  return name.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/** The schema of every resource and data source in the package at `dir`. */
export function loadSchema(dir) {
  const jsii = JSON.parse(fs.readFileSync(path.join(dir, ".jsii"), "utf8"));
  const types = jsii.types;
  const memo = new Map();
  let provider = null;
  let version = null;

  const structOf = (type) => {
    if (!type) return null;
    if (type.fqn && types[type.fqn] && types[type.fqn].datatype) return { fqn: type.fqn, list: false };
    if (type.union) {
      for (const t of type.union.types) {
        const c = t.collection;
        if (c && c.kind === "array" && c.elementtype.fqn && types[c.elementtype.fqn]?.datatype) {
          return { fqn: c.elementtype.fqn, list: true };
        }
      }
    }
    if (type.collection && type.collection.kind === "array" && types[type.collection.elementtype.fqn]?.datatype) {
      return { fqn: type.collection.elementtype.fqn, list: true };
    }
    return null;
  };

  const kindOf = (type) => {
    if (type.primitive) return type.primitive;
    if (type.collection) return type.collection.kind; // array | map
    if (type.union) {
      const inner = type.union.types.find((t) => t.fqn !== "cdktf.IResolvable");
      return inner ? kindOf(inner) : "any";
    }
    return "any";
  };

  /** Computed-only attributes and blocks read from an OutputReference / resource class. */
  const computedOf = (classFqn, configNames) => {
    const out = { attrs: {}, blocks: {} };
    const cls = types[classFqn];
    if (!cls || !cls.properties) return out;
    const names = new Set(cls.properties.map((p) => p.name));
    for (const p of cls.properties) {
      if (!p.immutable || p.static || p.name.endsWith("Input") || names.has(p.name + "Input")) continue;
      if (configNames.has(p.name)) continue;
      if (["fqn", "friendlyUniqueId", "terraformResourceType", "internalValue"].includes(p.name)) continue;
      const tf = snake(p.name);
      const ref = p.type.fqn && types[p.type.fqn];
      if (ref && ref.kind === "class" && /(OutputReference|List|Map)$/.test(p.type.fqn)) {
        let inner = p.type.fqn;
        if (/List$|Map$/.test(inner)) {
          const get = (ref.methods || []).find((m) => m.name === "get");
          inner = get?.returns?.type?.fqn || inner;
        }
        out.blocks[tf] = { block: blockOf(null, inner), list: /List$/.test(p.type.fqn), computedOnly: true };
      } else {
        out.attrs[tf] = { required: false, computedOnly: true, kind: kindOf(p.type) };
      }
    }
    return out;
  };

  /** A block schema from its config struct (may be null: computed-only) and output class. */
  function blockOf(structFqn, outputFqn) {
    const key = structFqn + "|" + outputFqn;
    if (memo.has(key)) return memo.get(key);
    const block = { attrs: {}, blocks: {} };
    memo.set(key, block);
    const configNames = new Set();
    const struct = structFqn ? types[structFqn] : null;
    for (const p of struct?.properties || []) {
      configNames.add(p.name);
      const m = ANCHOR.exec(p.docs?.remarks || "");
      const tf = m ? m[1] : snake(p.name);
      const nested = structOf(p.type);
      if (nested) {
        const out = types[nested.fqn + "OutputReference"] ? nested.fqn + "OutputReference" : null;
        block.blocks[tf] = { block: blockOf(nested.fqn, out), list: nested.list, required: !p.optional };
      } else {
        const e = ENUM.exec(p.docs?.summary || "");
        const values = e ? [...e[1].matchAll(/"([^"]*)"/g)].map((x) => x[1]) : null;
        block.attrs[tf] = {
          required: !p.optional,
          computedOnly: false,
          kind: kindOf(p.type),
          enum: values && values.length ? values : null,
        };
      }
    }
    if (outputFqn) {
      const computed = computedOf(outputFqn, configNames);
      for (const [k, v] of Object.entries(computed.attrs)) if (!block.attrs[k] && !block.blocks[k]) block.attrs[k] = v;
      for (const [k, v] of Object.entries(computed.blocks)) if (!block.attrs[k] && !block.blocks[k]) block.blocks[k] = v;
    }
    return block;
  }

  const resources = {};
  const dataSources = {};
  for (const [fqn, t] of Object.entries(types)) {
    if (t.kind !== "class") continue;
    const m = REGISTRY.exec(t.docs?.summary || "");
    if (!m) continue;
    provider = m[1];
    version = m[2];
    const config = t.initializer?.parameters?.find((p) => p.name === "config")?.type?.fqn;
    const block = blockOf(config, fqn);
    (m[3] === "resources" ? resources : dataSources)[m[5]] = block;
  }
  return { provider, version, resources, dataSources };
}
