// Checks Terraform configurations against the providers' real schemas, offline.
//
//   node .ci/tfschema/tfcheck.mjs [--provider-dir DIR]... DIR...
//
// Each DIR is one configuration (a module or an example). Each file is parsed with HCL's own
// parser (@cdktf/hcl2json, Go's hcl compiled to wasm) and every resource and data source is
// checked against each given provider package (default: the google provider at both bounds of
// terraform/versions.tf, plus time and archive): unknown arguments and blocks, missing required
// ones, a block written as an argument or the reverse, computed-only attributes set, values
// outside an enum, and references to resources, attributes, variables, locals, module outputs
// that do not exist. Exit code 1 with one line per finding.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { loadSchema } from "./schema.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `npm ci` put the packages: CI installs them into a cache outside the checkout. */
export const MODULES = process.env.TFSCHEMA_NODE_MODULES || path.join(here, "node_modules");
const require = createRequire(path.join(MODULES, "resolve-from-here.js"));
const hcl = require("@cdktf/hcl2json");

const META = {
  resource: new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"]),
  data: new Set(["count", "for_each", "depends_on", "provider", "lifecycle"]),
};
// Built into Terraform itself: terraform_data (no provider package has it).
const BUILTIN = {
  terraform_data: {
    attrs: {
      input: { required: false, kind: "any" },
      triggers_replace: { required: false, kind: "any" },
      id: { required: false, computedOnly: true, kind: "string" },
      output: { required: false, computedOnly: true, kind: "any" },
    },
    blocks: {},
  },
};

/** Lines of `text` with the form each argument and block was written in, keyed by path. */
export function forms(text) {
  const out = new Map(); // "resource.type.name/a/b" -> Map(name -> "argument" | "block")
  const stack = [];
  let heredoc = null;
  let exprDepth = 0;
  const record = (name, form) => {
    if (!stack.length) return;
    const key = stack.map((f) => f.key).join("/");
    if (!out.has(key)) out.set(key, new Map());
    const m = out.get(key);
    if (!m.has(name)) m.set(name, new Set());
    m.get(name).add(form);
  };
  const balance = (s) => {
    let d = 0;
    let q = false;
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (q) {
        if (c === "\\") i++;
        else if (c === '"') q = false;
      } else if (c === '"') q = true;
      else if (c === "#" || (c === "/" && s[i + 1] === "/")) break;
      else if ("{[(".includes(c)) d++;
      else if ("}])".includes(c)) d--;
    }
    return d;
  };
  for (const raw of text.split("\n")) {
    if (heredoc) {
      if (raw.trim() === heredoc) heredoc = null;
      continue;
    }
    const h = /<<-?([A-Z_]+)\s*$/.exec(raw);
    if (exprDepth > 0) {
      exprDepth += balance(raw);
      if (h) heredoc = h[1];
      continue;
    }
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("//")) continue;
    let m;
    if ((m = /^(resource|data)\s+"([^"]+)"\s+"([^"]+)"\s*\{$/.exec(line)) && stack.length === 0) {
      stack.push({ key: `${m[1]}.${m[2]}.${m[3]}` });
    } else if ((m = /^dynamic\s+"([^"]+)"\s*\{$/.exec(line))) {
      record(m[1], "block");
      stack.push({ key: m[1], dynamic: true });
    } else if (/^content\s*\{$/.test(line) && stack.at(-1)?.dynamic) {
      stack.push({ key: "", transparent: true });
    } else if ((m = /^([A-Za-z_][\w-]*)\s*\{\s*(\})?$/.exec(line))) {
      record(m[1], "block");
      if (!m[2]) stack.push({ key: m[1] });
    } else if ((m = /^([A-Za-z_][\w-]*)\s*\{(.*)\}$/.exec(line))) {
      record(m[1], "block");
    } else if ((m = /^([A-Za-z_][\w-]*)\s*=\s*(.*)$/.exec(line))) {
      record(m[1], "argument");
      exprDepth = balance(m[2]);
      if (h) heredoc = h[1];
    } else if (line === "}") {
      stack.pop();
    }
  }
  // Paths through dynamic "content" frames drop the empty key.
  const fixed = new Map();
  for (const [k, v] of out) fixed.set(k.split("/").filter(Boolean).join("/"), v);
  return fixed;
}

const isObj = (v) => v && typeof v === "object" && !Array.isArray(v);
const isLiteral = (v) => typeof v === "string" && !v.includes("${") && !v.includes("%{");

/** Checks one configuration directory against one provider schema set. */
export async function checkDir(dir, schemas) {
  const findings = [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".tf")).sort();
  const docs = [];
  for (const f of files) {
    const file = path.join(dir, f);
    const text = fs.readFileSync(file, "utf8");
    try {
      docs.push({ file, text, json: await hcl.parse(file, text), forms: forms(text) });
    } catch (e) {
      findings.push(`${file}: HCL does not parse: ${e.message}`);
    }
  }
  const declared = { resource: new Map(), data: new Map(), variable: new Set(), local: new Set(), module: new Map(), output: new Set() };
  for (const d of docs) {
    for (const kind of ["resource", "data"]) {
      for (const [type, named] of Object.entries(d.json[kind] || {})) {
        for (const name of Object.keys(named)) declared[kind].set(`${type}.${name}`, type);
      }
    }
    for (const v of Object.keys(d.json.variable || {})) declared.variable.add(v);
    for (const o of Object.keys(d.json.output || {})) declared.output.add(o);
    for (const l of d.json.locals || []) for (const k of Object.keys(l)) declared.local.add(k);
    for (const [name, bodies] of Object.entries(d.json.module || {})) declared.module.set(name, bodies[0]);
  }

  const schemaOf = (kind, type) => {
    for (const s of schemas) {
      const b = kind === "resource" ? s.resources[type] : s.dataSources[type];
      if (b) return b;
    }
    return kind === "resource" ? BUILTIN[type] : undefined;
  };

  const checkBody = (where, body, schema, formMap, formKey, meta) => {
    const written = formMap.get(formKey) || new Map();
    const dynamicNames = new Set(Object.keys(body.dynamic || {}));
    for (const [key, value] of Object.entries(body)) {
      if (key === "dynamic") continue;
      if (meta && meta.has(key)) continue;
      const how = written.get(key) || new Set();
      const attr = schema.attrs[key];
      const blk = schema.blocks[key];
      if (!attr && !blk) {
        findings.push(`${where}: unknown ${how.has("block") ? "block" : "argument"} "${key}"`);
        continue;
      }
      if (attr) {
        if (how.has("block") || (Array.isArray(value) && value.length && value.every(isObj) && !["array", "any"].includes(attr.kind))) {
          findings.push(`${where}: "${key}" is an argument, written as a block (use ${key} = ...)`);
          continue;
        }
        if (attr.computedOnly) findings.push(`${where}: "${key}" is computed-only (read it, do not set it)`);
        if (attr.enum && isLiteral(value) && !attr.enum.includes(value)) {
          findings.push(`${where}: "${key}" = "${value}" is not one of ${attr.enum.join(", ")}`);
        }
        continue;
      }
      if (blk.computedOnly) {
        findings.push(`${where}: "${key}" is a computed-only block (read it, do not set it)`);
        continue;
      }
      if (how.has("argument") || !Array.isArray(value) || !value.every(isObj)) {
        findings.push(`${where}: "${key}" is a block, written as an argument (use ${key} { ... })`);
        continue;
      }
      if (!blk.list && value.length > 1) findings.push(`${where}: block "${key}" may appear only once`);
      for (const inner of value) checkBody(`${where}.${key}`, inner, blk.block, formMap, `${formKey}/${key}`, null);
    }
    for (const [k, a] of Object.entries(schema.attrs)) {
      if (a.required && !(k in body)) findings.push(`${where}: missing required argument "${k}"`);
    }
    for (const [k, b] of Object.entries(schema.blocks)) {
      if (b.required && !(k in body) && !dynamicNames.has(k)) findings.push(`${where}: missing required block "${k}"`);
    }
    for (const [k, dyn] of Object.entries(body.dynamic || {})) {
      const blk = schema.blocks[k];
      if (!blk) {
        findings.push(`${where}: unknown block "${k}" (dynamic)`);
        continue;
      }
      for (const d of dyn) for (const c of d.content || []) checkBody(`${where}.${k}`, c, blk.block, formMap, `${formKey}/${k}`, null);
    }
  };

  // References: every expression string, through HCL's own traversal finder.
  const strings = [];
  const collect = (v, where) => {
    if (typeof v === "string" && v.includes("${")) strings.push({ v, where });
    else if (Array.isArray(v)) v.forEach((x) => collect(x, where));
    else if (isObj(v)) for (const [k, x] of Object.entries(v)) collect(x, `${where}.${k}`);
  };
  const checkRef = (ref, where) => {
    const parts = ref.split(".").filter((p) => !/^(\d+|".*"|\*)$/.test(p));
    const [root] = parts;
    if (root === "var") {
      if (!declared.variable.has(parts[1])) findings.push(`${where}: reference to undeclared variable var.${parts[1]}`);
      return;
    }
    if (root === "local") {
      if (!declared.local.has(parts[1])) findings.push(`${where}: reference to undeclared local.${parts[1]}`);
      return;
    }
    if (root === "module") {
      const mod = declared.module.get(parts[1]);
      if (!mod) {
        findings.push(`${where}: reference to undeclared module.${parts[1]}`);
        return;
      }
      const outputs = moduleOutputs(dir, mod.source);
      if (outputs && parts[2] && !outputs.has(parts[2])) findings.push(`${where}: module.${parts[1]} has no output "${parts[2]}"`);
      return;
    }
    if (["each", "count", "path", "self", "terraform"].includes(root)) return;
    const kind = root === "data" ? "data" : "resource";
    const rest = root === "data" ? parts.slice(1) : parts;
    if (rest.length < 2) return;
    const addr = `${rest[0]}.${rest[1]}`;
    if (!declared[kind].has(addr)) {
      // A for-expression or dynamic iterator variable, not a resource.
      if (!schemaOf(kind, rest[0])) return;
      findings.push(`${where}: reference to undeclared ${kind === "data" ? "data." : ""}${addr}`);
      return;
    }
    let schema = schemaOf(kind, rest[0]);
    if (!schema) return;
    for (const seg of rest.slice(2)) {
      if (schema.attrs[seg]) return; // attribute: anything below is its value (maps, lists)
      const b = schema.blocks[seg];
      if (!b) {
        findings.push(`${where}: ${kind === "data" ? "data." : ""}${addr} has no attribute "${rest.slice(2).join(".")}"`);
        return;
      }
      schema = b.block;
    }
  };

  for (const d of docs) {
    for (const kind of ["resource", "data"]) {
      for (const [type, named] of Object.entries(d.json[kind] || {})) {
        for (const [name, bodies] of Object.entries(named)) {
          const where = `${path.relative(process.cwd(), d.file)}: ${kind === "data" ? "data." : ""}${type}.${name}`;
          const schema = schemaOf(kind, type);
          if (!schema) {
            findings.push(`${where}: unknown ${kind === "data" ? "data source" : "resource type"} ${type}`);
          } else {
            for (const body of bodies) checkBody(where, body, schema, d.forms, `${kind}.${type}.${name}`, META[kind]);
          }
          collect(bodies, where);
        }
      }
    }
    for (const top of ["output", "locals", "module", "variable"]) collect(d.json[top], `${path.relative(process.cwd(), d.file)}: ${top}`);
  }
  for (const s of strings) {
    let refs;
    try {
      refs = await hcl.getReferencesInExpression("main.tf", s.v);
    } catch (e) {
      findings.push(`${s.where}: expression does not parse: ${s.v}`);
      continue;
    }
    for (const r of refs) checkRef(r.value, s.where);
  }
  return [...new Set(findings)];
}

const outputsCache = new Map();
function moduleOutputs(dir, source) {
  if (typeof source !== "string" || !source.startsWith(".")) return null;
  const mdir = path.resolve(dir, source);
  if (outputsCache.has(mdir)) return outputsCache.get(mdir);
  const names = new Set();
  for (const f of fs.readdirSync(mdir).filter((x) => x.endsWith(".tf"))) {
    for (const m of fs.readFileSync(path.join(mdir, f), "utf8").matchAll(/^output\s+"([^"]+)"/gm)) names.add(m[1]);
  }
  outputsCache.set(mdir, names);
  return names;
}

/** The provider packages checked by default: google at both bounds, then time and archive. */
export const DEFAULT_PROVIDERS = [
  ["google-lower", "time", "archive"],
  ["google-upper", "time", "archive"],
];

async function main(argv) {
  const dirs = [];
  const sets = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--providers") sets.push(argv[++i].split(","));
    else dirs.push(argv[i]);
  }
  if (!dirs.length) {
    console.error("usage: tfcheck.mjs [--providers pkg,pkg]... DIR...");
    process.exit(2);
  }
  let failed = 0;
  for (const set of sets.length ? sets : DEFAULT_PROVIDERS) {
    const schemas = set.map((p) => loadSchema(path.join(MODULES, p)));
    const label = schemas.map((s) => `${s.provider} ${s.version}`).join(", ");
    for (const dir of dirs) {
      const findings = await checkDir(dir, schemas);
      for (const f of findings) console.log(`tfcheck [${label}] ${f}`);
      console.log(`tfcheck [${label}] ${dir}: ${findings.length ? findings.length + " finding(s)" : "ok"}`);
      failed += findings.length;
    }
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2));
}
