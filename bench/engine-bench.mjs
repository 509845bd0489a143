/**
 * What the engine benchmarks share: the floor programs, the per-process sampler, reading the stored
 * state, and an engine wrapper that writes CPU profiles. Used by bench/deploy.mjs (the goals) and
 * bench/engine-variants.mjs (where the engine's time goes).
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";

const require = createRequire(import.meta.url);
const { fleetShape } = require("./fleet.cjs");

/**
 * The floor: as many no-op dynamic resources as the fleet has, one statement each like the fleet
 * program (so that compiling and running the program costs the same), with a tiny provider.
 */
export function floorProgram(count, revision = 0) {
  const lines = [
    'import * as pulumi from "@pulumi/pulumi";',
    "",
    "const provider: pulumi.dynamic.ResourceProvider = {",
    "  async create(inputs) {",
    "    return { id: `noop-${inputs.i}`, outs: inputs };",
    "  },",
    "  async update(_id, _olds, news) {",
    "    return { outs: news };",
    "  },",
    "};",
    "class Noop extends pulumi.dynamic.Resource {",
    "  constructor(name: string, props: Record<string, unknown>) {",
    '    super(provider, name, props, {}, "floor", "Noop");',
    "  }",
    "}",
    "export const ids: Record<string, unknown> = {};",
  ];
  for (let i = 0; i < count; i++) {
    const v = revision > 0 && i % 10 === 0 ? revision : 0;
    lines.push(`{ const r = new Noop("noop-${i}", { i: ${i}, v: ${v} }); ids["noop-${i}"] = r.id; }`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The fleet's resources with nothing of ours behind them: the same kinds, counts and (by default)
 * the same stored shape as bench/fleet.cjs produces (inputs, outputs, dependencies of links on plans
 * and products, the Polar links' secret output, a `__provider` module as long as ours), served by a
 * no-op provider. Each knob takes one feature away, so that a run of several attributes the engine's
 * cost of the fleet to the features of its stored shape:
 *
 * - `props: "fleet" | "min"`: our inputs and outputs, or only `{ i, v }` like the floor;
 * - `deps`: links take their plan's / product's id as an output (a dependency), or a literal;
 * - `secret`: Polar links have a `clientSecret` output made secret by `additionalSecretOutputs`;
 * - `providerBytes`: the length of the `__provider` module stored twice in every resource (ours:
 *   about 645; the module is padded with a comment).
 *
 * Returns the program (`index`) and the provider (`noop`, to be written as noop.js next to it).
 */
export function noopFleetProgram(
  n,
  { props = "fleet", deps = true, secret = true, providerBytes = 645 } = {},
) {
  const s = fleetShape(n);
  const uuid = "6568230e-72c4-41d6-8174-4a90377a9d5e";
  const item = {
    defaultQuantity: 1,
    maxQuantity: null,
    minQuantity: null,
    pricePlanId: "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b",
    productId: "ad8f1c2c-3b1c-4b0a-8b0a-0b0b0b0b0b0b",
    quantityEditable: false,
  };
  // Our inputs per kind (as stored) and the outputs our providers add to them (from a fleet's state).
  const kinds = {
    Plan: {
      extra: {
        createdAt: "2026-12-02T09:51:17Z",
        currency: "EUR",
        planId: uuid,
        status: "active",
        tierIds: Object.fromEntries(Array.from({ length: 10 }, (_, t) => [`T${t}`, uuid])),
      },
    },
    CoreapiLink: {
      extra: {
        linkId: uuid,
        url: "http://127.0.0.1:32889/fynn/checkout-link/xx-co-0-0/cart",
        createdAt: "2026-12-02T09:51:17Z",
        stateVersion: 1,
        organizationId: uuid,
      },
    },
    FynnLink: {
      extra: {
        linkId: uuid,
        url: "http://127.0.0.1:32889/fynn/checkout/xx-fy-0",
        createdAt: "2026-12-02T09:51:17Z",
        stateVersion: 1,
      },
    },
    Product: {
      extra: {
        createdAt: "2026-12-02T09:51:16.981Z",
        isArchived: false,
        modifiedAt: null,
        organizationId: uuid,
        priceIds: [uuid],
        productId: uuid,
        stateVersion: 1,
      },
    },
    PolarLink: {
      extra: {
        clientSecret: "polar_cl_jd9SLHisBbxPqMy1dpXP1jbDaRG3FEHkZpdvV0KgSts",
        createdAt: "2026-12-02T09:51:17.204Z",
        linkId: uuid,
        modifiedAt: null,
        organizationId: uuid,
        stateVersion: 1,
        url: "http://127.0.0.1:32889/polar/v1/checkout-links/polar_cl_jd9SLHisBbxPqMy1dpXP1jbDaRG3FEHkZpdvV0KgSts/redirect",
      },
    },
  };
  // The no-op provider lives in noop.js next to the program (the provider process runs in the project
  // folder); each kind's `__provider` module loads it and is padded to `providerBytes`.
  const extras = Object.fromEntries(
    Object.entries(kinds).map(([k, v]) => [
      k,
      props === "fleet" ? v.extra : k === "PolarLink" && secret ? { clientSecret: "x" } : {},
    ]),
  );
  const noop = `var extras = ${JSON.stringify(extras)};
module.exports = function (kind) {
  var extra = extras[kind];
  return {
    create: async function (inputs) { return { id: require("crypto").randomUUID(), outs: Object.assign({}, inputs, extra) }; },
    update: async function (_id, _olds, news) { return { outs: Object.assign({}, news, extra) }; },
  };
};
`;
  const module = (kind) => {
    const text = `exports.handler = function () { return require(require("path").join(process.cwd(), "noop.js"))(${JSON.stringify(kind)}); };\n`;
    return text.length >= providerBytes ? text : `${text}//${"-".repeat(providerBytes - text.length - 3)}\n`;
  };
  const lines = [
    'import * as pulumi from "@pulumi/pulumi";',
    "",
    "class Noop extends pulumi.CustomResource {",
    "  constructor(kind: string, module: string, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {",
    '    super("pulumi-nodejs:dynamic/floor:" + kind, name, { ...props, __provider: module }, opts);',
    "  }",
    "}",
    ...Object.keys(kinds).map((k) => `const ${k}Module = ${JSON.stringify(module(k))};`),
    "export const links: Record<string, unknown> = {};",
  ];
  const idOf = (v) => (deps ? `${v}.id` : JSON.stringify(uuid));
  const inputs = (i, fleetProps) => (props === "fleet" ? fleetProps : `{ i: ${i}, v: 0 }`);
  const secretOpts = secret ? ', { additionalSecretOutputs: ["clientSecret"] }' : "";
  let i = 0;
  const perPlan = Math.ceil(s.coreapiLinks / s.plans);
  for (let p = 0; p < s.plans; p++) {
    const tiers = Math.min(perPlan, s.coreapiLinks - p * perPlan);
    if (tiers <= 0) break;
    const tierList = JSON.stringify(
      Array.from({ length: tiers }, (_, t) => ({
        commitmentPeriod: null,
        downgradeable: true,
        items: [item],
        name: `T${t}`,
        upgradeable: true,
      })),
    );
    lines.push(
      `const plan${p} = new Noop("Plan", PlanModule, "plan-${p}", ${inputs(i++, `{ activate: true, adoptionKey: "plan-${p}", code: "xx-plan-${p}", description: null, name: "Plan ${p}", tiers: ${tierList} }`)});`,
    );
    for (let t = 0; t < tiers; t++) {
      const fleetProps = `{ adoptionKey: "co-${p}-${t}", couponsAllowed: false, planId: ${idOf(`plan${p}`)}, planTierId: ${deps ? `plan${p}.id.apply((x) => x + "T${t}")` : JSON.stringify(uuid)}, slug: "xx-co-${p}-${t}", metadata: {} }`;
      const minProps = deps ? `{ i: ${i}, v: 0, planId: ${idOf(`plan${p}`)} }` : `{ i: ${i}, v: 0 }`;
      lines.push(
        `{ const l = new Noop("CoreapiLink", CoreapiLinkModule, "co-${p}-${t}", ${props === "fleet" ? fleetProps : minProps}); links["co-${p}-${t}"] = l.id; }`,
      );
      i++;
    }
  }
  for (let f = 0; f < s.fynnLinks; f++) {
    const fleetProps = `{ adoptionKey: "fy-${f}", items: [{ productId: "${uuid}", pricePlanId: "${uuid}", quantity: 1 }], slug: "xx-fy-${f}", metadata: {} }`;
    lines.push(
      `{ const l = new Noop("FynnLink", FynnLinkModule, "fy-${f}", ${inputs(i++, fleetProps)}); links["fy-${f}"] = l.id; }`,
    );
  }
  for (let p = 0; p < s.polarProducts; p++) {
    lines.push(
      `const po${p} = new Noop("Product", ProductModule, "po-${p}", ${inputs(i++, `{ adoptionKey: "po-${p}", metadata: {}, name: "xx product ${p}", prices: [{ amount: ${1000 + p}, currency: "usd", type: "fixed" }], recurringInterval: "month", recurringIntervalCount: 1, visibility: "public" }`)});`,
    );
  }
  for (let l = 0; l < s.polarLinks; l++) {
    const po = `po${l % s.polarProducts}`;
    const fleetProps = `{ adoptionKey: "pl-${l}", allowDiscountCodes: true, label: "xx-pl-${l}", metadata: {}, products: [${idOf(po)}], requireBillingAddress: false }`;
    const minProps = deps ? `{ i: ${i}, v: 0, products: [${idOf(po)}] }` : `{ i: ${i}, v: 0 }`;
    lines.push(
      `{ const l = new Noop("PolarLink", PolarLinkModule, "pl-${l}", ${props === "fleet" ? fleetProps : minProps}${secretOpts}); links["pl-${l}"] = l.id; }`,
    );
    i++;
  }
  return { index: `${lines.join("\n")}\n`, noop };
}

/**
 * Peak VmHWM (MB) and CPU seconds (user + system) of this process's descendants whose command line
 * matches each pattern, sampled every 200 ms until stopped. CPU is summed over the processes seen,
 * at their last sample, so it shows where an operation's work went (engine, language host,
 * provider).
 */
export function procSampler(patterns) {
  const tick = 100; // USER_HZ on Linux
  const peak = Object.fromEntries(Object.keys(patterns).map((k) => [k, 0]));
  const cpu = new Map(); // pid -> [name, seconds]
  const sample = () => {
    // Only this process's descendants (the engine, and the language host and providers it starts):
    // other users' engines, programs and providers on the same machine have the same command lines.
    const procs = [];
    for (const pid of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        procs.push({ pid, fields: stat.slice(stat.lastIndexOf(")") + 2).split(" ") });
      } catch {
        // gone meanwhile
      }
    }
    const parent = new Map(procs.map((p) => [p.pid, p.fields[1]]));
    const mine = (pid) => {
      for (let p = parent.get(pid), hops = 0; p && hops < 64; p = parent.get(p), hops++)
        if (Number(p) === process.pid) return true;
      return false;
    };
    for (const { pid, fields } of procs) {
      if (!mine(pid)) continue;
      let cmd;
      let status;
      try {
        cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
        status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
      } catch {
        continue;
      }
      const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const seconds = (Number(fields[11]) + Number(fields[12])) / tick;
      for (const [name, re] of Object.entries(patterns)) {
        if (!re.test(cmd)) continue;
        peak[name] = Math.max(peak[name], hwm);
        cpu.set(pid, [name, seconds]);
        break;
      }
    }
  };
  const timer = setInterval(sample, 200);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const cpuSeconds = Object.fromEntries(Object.keys(patterns).map((k) => [k, 0]));
      for (const [name, seconds] of cpu.values()) cpuSeconds[name] += seconds;
      return {
        rssMb: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 1024)])),
        cpuSeconds: Object.fromEntries(
          Object.entries(cpuSeconds).map(([k, v]) => [k, Math.round(v * 10) / 10]),
        ),
      };
    },
  };
}

/** The median of some numbers (the mean of the two middle ones for an even count). */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The environment of every benchmarked engine run: a fresh PULUMI_HOME holding a file backend, and
 * the settings `checkout-links` runs with. `profilePrefix` turns on profiling (see profilingRoot);
 * `extra` adds or overrides variables (a variant's engine settings).
 */
export function benchEnv(home, profilePrefix, extra = {}) {
  return {
    PULUMI_CONFIG_PASSPHRASE: "bench",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${home}`,
    PULUMI_PARALLEL_DIFF: "true",
    // As `checkout-links` runs programs: transpiled, not type-checked (the project's tsc does that).
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    ...(profilePrefix ? { PCL_PROFILE_PREFIX: profilePrefix } : {}),
    ...extra,
  };
}

export function storedState(backendDir) {
  const root = path.join(backendDir, ".pulumi", "stacks");
  const files = fs
    .readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".json"));
  return JSON.parse(fs.readFileSync(path.join(root, files[0]), "utf8"));
}

/**
 * An engine root whose bin/pulumi runs the real one with `--profiling $PCL_PROFILE_PREFIX-<op>` for
 * the operations (the Automation API has no way to pass extra flags); the plugins are links.
 */
export function profilingRoot(realRoot, dir) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-profiling-engine-"));
  fs.mkdirSync(path.join(root, "bin"));
  for (const f of fs.readdirSync(path.join(realRoot, "bin")))
    if (f !== "pulumi") fs.symlinkSync(path.join(realRoot, "bin", f), path.join(root, "bin", f));
  const shim = `#!/bin/sh
case "$1" in
  up|preview|refresh|destroy) exec ${JSON.stringify(path.join(realRoot, "bin/pulumi"))} "$@" --profiling "$PCL_PROFILE_PREFIX-$1" ;;
  *) exec ${JSON.stringify(path.join(realRoot, "bin/pulumi"))} "$@" ;;
esac
`;
  fs.writeFileSync(path.join(root, "bin/pulumi"), shim, { mode: 0o755 });
  fs.mkdirSync(dir, { recursive: true });
  return root;
}
