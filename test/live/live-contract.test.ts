/**
 * The live contract suite: create, read, update and delete of every resource type through the
 * providers, against a real account when the environment names one and against the embedded
 * emulator otherwise (so the suite's own code runs in every test run). `npm run test:live` runs it
 * alone; see README "Checking against a real account".
 *
 * Everything it makes carries this run's tag (`cl-live-<run>` in codes, slugs, names and labels, and
 * Polar metadata `cl_live_run`), and whatever a failed step left is deleted in
 * `afterAll`, which fails the suite when it cannot remove something and names it.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../emulator/index";
import { CheckoutLinkProvider as CoreapiLinkProvider } from "../../provider/coreapi/checkoutLink";
import { PlanProvider } from "../../provider/coreapi/plan";
import { FynnCheckoutLinkProvider } from "../../provider/fynn/checkoutLink";
import { CheckoutLinkProvider as PolarLinkProvider } from "../../provider/polar/checkoutLink";
import { ProductProvider } from "../../provider/polar/product";
import { fynnProductWithPrices } from "../fixtures/emulator-setup";
import { type LiveTarget, liveTargets } from "./targets";

const run = `cl-live-${randomBytes(3).toString("hex")}`;
const targets = liveTargets(process.env);

// Providers take and give the engine's untyped property bags.
type Props = Record<string, any>;

interface Provider {
  configure(req: {
    config: { get(k: string): string | undefined; require(k: string): string };
  }): Promise<void>;
  check(
    olds: Props,
    news: Props,
  ): Promise<{ inputs?: Props; failures?: { property: string; reason: string }[] }>;
  diff(id: string, olds: Props, news: Props): Promise<{ changes?: boolean; replaces?: string[] }>;
  create(inputs: Props): Promise<{ id: string; outs?: Props }>;
  read(id: string, props: Props): Promise<{ id?: string; props?: Props }>;
  update(id: string, olds: Props, news: Props): Promise<{ outs?: Props }>;
  delete(id: string, props: Props): Promise<void>;
}

let emulator: Emulator | undefined;
/** Objects made and not yet deleted, newest last: `afterAll` removes what a failed step left. */
const made: { what: string; provider: Provider; id: string; props: Props }[] = [];

function configured<P extends Provider>(provider: P, target: LiveTarget): P {
  const cfg: Record<string, string> = {
    [`checkout-links:${target.backend}.token`]: target.token,
    [`checkout-links:${target.backend}.baseUrl`]: target.baseUrl,
  };
  void provider.configure({
    config: {
      get: (k) => cfg[k],
      require: (k) => {
        const v = cfg[k];
        if (v === undefined) throw new Error(`missing config ${k}`);
        return v;
      },
    },
  });
  return provider;
}

async function checked(p: Provider, news: Props): Promise<Props> {
  const res = await p.check({}, news);
  expect(res.failures ?? []).toEqual([]);
  return res.inputs as Props;
}

/**
 * One resource type's whole life: create, read back unchanged, update in place, read the update
 * back, delete, and read it as gone.
 */
async function lifecycle(
  what: string,
  p: Provider,
  args: Props,
  change: Props,
  key: string,
): Promise<{ id: string; outs: Props }> {
  const inputs = await checked(p, args);
  const created = await p.create(inputs);
  expect(created.id, `${what}: create returns the vendor's id`).toMatch(/\S/);
  const outs = created.outs as Props;
  const entry = { what, provider: p, id: created.id, props: outs };
  made.push(entry);

  const read = await p.read(created.id, outs);
  expect(read.id, `${what}: read finds what create made`).toBe(created.id);
  expect(read.props?.[key], `${what}: read returns ${key} as created`).toEqual(outs[key]);

  const newInputs = await checked(p, { ...args, ...change });
  const diff = await p.diff(created.id, outs, newInputs);
  expect(diff.changes, `${what}: the change shows in the diff`).toBe(true);
  expect(diff.replaces ?? [], `${what}: the change updates in place`).toEqual([]);
  const updated = await p.update(created.id, outs, newInputs);
  const after = updated.outs as Props;
  // The changed arguments as check defaulted them are what the vendor must now hold.
  for (const k of Object.keys(change)) expect(after[k], `${what}: ${k} updated`).toEqual(newInputs[k]);
  entry.props = after;
  const reread = await p.read(created.id, after);
  for (const k of Object.keys(change)) {
    expect(reread.props?.[k], `${what}: ${k} read back`).toEqual(newInputs[k]);
  }
  return { id: created.id, outs: after };
}

async function remove(what: string): Promise<void> {
  const at = made.findIndex((m) => m.what === what);
  const entry = made[at];
  if (entry === undefined) throw new Error(`${what} was not made`);
  await entry.provider.delete(entry.id, entry.props);
  made.splice(at, 1);
  const gone = await entry.provider.read(entry.id, entry.props);
  expect(gone.id, `${what}: read after delete says gone`).toBe("");
}

beforeAll(async () => {
  if (targets.some((t) => !t.live)) emulator = await startEmulator({ port: 0 });
  for (const t of targets) {
    if (!t.live) {
      const emu = emulator as Emulator;
      t.baseUrl = emu.baseUrls[t.backend];
      t.token = t.backend === "polar" ? "polar_oat_demo_acme" : "api_demo_acme";
    }
    // Which account each backend runs against, so a run against a real one says so.
    console.info(`live contract: ${t.backend} against ${t.live ? t.baseUrl : "the embedded emulator"}`);
  }
  const fynn = targets.find((t) => t.backend === "fynn") as LiveTarget;
  if (!fynn.live) {
    const ids = await fynnProductWithPrices(emulator as Emulator, fynn.token, `${run} product`, {
      pricePlanId: ["Live monthly", 1900],
    });
    fynn.productId = ids.productId;
    fynn.pricePlanId = ids.pricePlanId;
  }
});

afterAll(async () => {
  const left: string[] = [];
  for (const m of [...made].reverse()) {
    try {
      await m.provider.delete(m.id, m.props);
    } catch (e) {
      left.push(`${m.what} ${m.id}: ${(e as Error).message}`);
    }
  }
  await emulator?.close();
  if (left.length > 0) throw new Error(`the live contract suite could not remove:\n  ${left.join("\n  ")}`);
});

describe("coreapi.Plan and coreapi.CheckoutLink", () => {
  it("go through create, read, update and delete", async () => {
    const t = targets.find((x) => x.backend === "fynn") as LiveTarget;
    const plans = configured(new PlanProvider() as unknown as Provider, t);
    const links = configured(new CoreapiLinkProvider() as unknown as Provider, t);
    const item = { productId: t.productId, pricePlanId: t.pricePlanId };
    const plan = await lifecycle(
      "coreapi.Plan",
      plans,
      { code: `${run}-plan`, name: `${run} plan`, tiers: [{ name: "Pro", items: [item] }] },
      { name: `${run} plan renamed` },
      "code",
    );
    const tierId = (plan.outs.tierIds as Record<string, string>).Pro;
    expect(tierId).toMatch(/\S/);
    await lifecycle(
      "coreapi.CheckoutLink",
      links,
      { planId: plan.id, planTierId: tierId, slug: `${run}-pro` },
      { couponsAllowed: true },
      "slug",
    );
    await remove("coreapi.CheckoutLink");
    await remove("coreapi.Plan");
  });
});

describe("fynn.CheckoutLink", () => {
  it("goes through create, read, update and delete", async () => {
    const t = targets.find((x) => x.backend === "fynn") as LiveTarget;
    const links = configured(new FynnCheckoutLinkProvider() as unknown as Provider, t);
    await lifecycle(
      "fynn.CheckoutLink",
      links,
      {
        items: [{ productId: t.productId, pricePlanId: t.pricePlanId, quantity: 1 }],
        slug: `${run}-classic`,
      },
      { items: [{ productId: t.productId, pricePlanId: t.pricePlanId, quantity: 2 }] },
      "slug",
    );
    await remove("fynn.CheckoutLink");
  });
});

describe("polar.Product and polar.CheckoutLink", () => {
  it("go through create, read, update and delete", async () => {
    const t = targets.find((x) => x.backend === "polar") as LiveTarget;
    const products = configured(new ProductProvider() as unknown as Provider, t);
    const links = configured(new PolarLinkProvider() as unknown as Provider, t);
    const product = await lifecycle(
      "polar.Product",
      products,
      {
        name: `${run} product`,
        adoptionKey: `${run}-product`,
        recurringInterval: "month",
        prices: [{ type: "fixed", amount: 1900, currency: "usd" }],
        metadata: { cl_live_run: run },
      },
      { description: `made by the live contract suite, run ${run}` },
      "name",
    );
    await lifecycle(
      "polar.CheckoutLink",
      links,
      {
        products: [product.id],
        label: `${run} link`,
        adoptionKey: `${run}-link`,
        metadata: { cl_live_run: run },
      },
      { label: `${run} link renamed` },
      "label",
    );
    await remove("polar.CheckoutLink");
    await remove("polar.Product");
  });
});
