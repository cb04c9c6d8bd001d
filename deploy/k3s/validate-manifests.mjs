// Validates Kubernetes manifests offline against the Kubernetes API's JSON schemas, as the npm package
// kubernetes-models ships them (one compiled validator per API type), with the machine's Node.js.
//
//   node deploy/k3s/validate-manifests.mjs [--models DIR] [--json] FILE.yaml... | -
//
// DIR is where `npm install kubernetes-models yaml` put node_modules (scripts/install-test-deps.sh, component k8s:
// /opt/edgemigrate/k8s-models). "-" reads one multi-document YAML stream from stdin (e.g. `kustomize build`).
// Every document must be an object with apiVersion, kind and metadata.name, of a type the schemas know, and valid
// against its schema (types, required fields, enums, formats). kustomization.yaml is not a Kubernetes object: render
// it with kustomize and validate the output. Exit 0 when everything is valid, 1 otherwise; --json prints
// [{ source, apiVersion, kind, name, namespace, object }] for every document on stdout (messages go to stderr).
// Not checked: unknown fields (the upstream schemas allow them), and anything only an API server knows (admission,
// quotas, whether referenced Secrets or images exist).
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const args = process.argv.slice(2);
let models = process.env.EDGEMIGRATE_K8S_MODELS ?? "/opt/edgemigrate/k8s-models";
let json = false;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--models") models = args[++i];
  else if (args[i] === "--json") json = true;
  else inputs.push(args[i]);
}

const modules = join(models, "node_modules");
if (!existsSync(join(modules, "kubernetes-models", "package.json")) || !existsSync(join(modules, "yaml", "package.json"))) {
  console.error(`kubernetes-models and yaml are not installed under ${modules}: run scripts/install-test-deps.sh (component k8s) as root`);
  process.exit(2);
}
if (inputs.length === 0) {
  console.error("usage: node validate-manifests.mjs [--models DIR] [--json] FILE.yaml... | -");
  process.exit(2);
}

const YAML = await import(pathToFileURL(join(modules, "yaml", "dist", "index.js")).href);
const version = JSON.parse(readFileSync(join(modules, "kubernetes-models", "package.json"), "utf8")).version;

// apiVersion "apps/v1", kind "DaemonSet" -> kubernetes-models/apps/v1/DaemonSet.js (core group: v1/Service.js).
async function modelOf(apiVersion, kind) {
  const file = join(modules, "kubernetes-models", ...apiVersion.split("/"), `${kind}.js`);
  if (!/^[A-Za-z0-9.\/-]+$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind) || !existsSync(file)) return null;
  const module = await import(pathToFileURL(file).href);
  return module[kind] ?? null;
}

let problems = 0;
const summary = [];
for (const input of inputs) {
  const source = input === "-" ? "stdin" : input;
  const text = input === "-" ? readFileSync(0, "utf8") : readFileSync(input, "utf8");
  const documents = YAML.parseAllDocuments(text);
  let index = 0;
  for (const document of documents) {
    index++;
    const where = `${source}#${index}`;
    if (document.errors.length > 0) {
      problems++;
      console.error(`${where}: YAML: ${document.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const object = document.toJS();
    if (object === null || object === undefined) continue; // an empty document (e.g. after a trailing ---)
    if (typeof object !== "object" || Array.isArray(object)) {
      problems++;
      console.error(`${where}: not a Kubernetes object (a ${Array.isArray(object) ? "list" : typeof object})`);
      continue;
    }
    const { apiVersion, kind } = object;
    const name = object.metadata?.name;
    if (typeof apiVersion !== "string" || typeof kind !== "string" || typeof name !== "string") {
      problems++;
      console.error(`${where}: apiVersion, kind and metadata.name are required`);
      continue;
    }
    const Model = await modelOf(apiVersion, kind);
    if (Model === null) {
      problems++;
      console.error(`${where}: ${apiVersion} ${kind} ${name}: no schema for this type in kubernetes-models ${version}`);
      continue;
    }
    try {
      new Model(object).validate();
      console.error(`${where}: ${apiVersion} ${kind} ${name}: valid`);
    } catch (error) {
      problems++;
      console.error(`${where}: ${apiVersion} ${kind} ${name}: ${error.message}`);
    }
    summary.push({ source: where, apiVersion, kind, name, namespace: object.metadata?.namespace ?? null, object });
  }
}

if (json) console.log(JSON.stringify(summary));
console.error(problems === 0
  ? `${summary.length} objects valid against the Kubernetes schemas (kubernetes-models ${version})`
  : `${problems} problem(s) in ${summary.length} objects (kubernetes-models ${version})`);
process.exit(problems === 0 ? 0 : 1);
