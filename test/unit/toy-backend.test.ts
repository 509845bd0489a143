/**
 * The shape of a backend, proven by adding one: a toy backend registered in-process (its data, a
 * registry entry with a small resource spec, and an emulator vendor) is served by the same provider every real
 * resource uses, found by type like them, and goes through check, create, read, diff, update and
 * delete with the shared mechanics: misspelt keys refused at any depth, 404 on read meaning gone,
 * 404 on delete meaning done, errors naming the type and operation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { type Emulator, registerFamily, registerVendor, startEmulator } from "../../emulator/index";
import { provider, providerTypes } from "../../provider/dynamic";
// Everything a backend needs comes from the package's public kit.
import { BACKENDS, providerClassOf, type ResourceSpec, registerBackend } from "../../provider/kit";
import { TOKEN, TOY_BACKEND, TOY_VENDOR, type Widget, widget } from "../fixtures/toy-backend";

interface WidgetArgs {
  name: string;
  size: number;
  shape?: { corners: number } | undefined;
  account?: string | undefined;
}
interface WidgetState extends WidgetArgs {
  widgetId: string;
}

/** The whole of a toy resource: what is particular to its API, nothing else. */
const widgetSpec: ResourceSpec<WidgetArgs, WidgetState, undefined, Widget> = {
  backend: "toy",
  type: "Widget",
  args: z.object({
    name: z.string().min(1),
    size: z.number().int().default(1),
    shape: z.object({ corners: z.number().int() }).optional(),
    account: z.string().optional(),
  }),
  diffTable: {
    name: { change: "update", why: "PATCH" },
    size: { change: "update", why: "PATCH" },
    shape: { change: "replace", why: "a widget keeps its shape" },
    account: { change: "replace", why: "another organisation" },
  },
  outputKeys: ["widgetId"],
  stateOf: (made, args) => ({ id: made.id, state: stateOf(made, args) }),
  async send(ctx, args) {
    const res = await ctx.client(args.account).request("POST", "/widgets", {
      body: { name: args.name, size: args.size },
      parse: (j) => widget().parse(j),
    });
    return res.body;
  },
  madeBy: async () => undefined,
  async read(ctx, id, state) {
    const res = await ctx
      .client(state.account)
      .request("GET", `/widgets/${id}`, { parse: (j) => widget().parse(j) });
    return stateOf(res.body, state);
  },
  async update(ctx, id, _olds, args) {
    const res = await ctx.client(args.account).request("PATCH", `/widgets/${id}`, {
      body: { name: args.name, size: args.size },
      parse: (j) => widget().parse(j),
    });
    return stateOf(res.body, args);
  },
  async remove(ctx, id, state) {
    await ctx.client(state.account).request("DELETE", `/widgets/${id}`);
  },
};

function stateOf(w: Widget, args: WidgetArgs): WidgetState {
  const state: WidgetState = { name: w.name, size: w.size, widgetId: w.id };
  if (args.shape !== undefined) state.shape = args.shape;
  if (args.account !== undefined) state.account = args.account;
  return state;
}

let emu: Emulator;
const undo: (() => void)[] = [];

beforeAll(async () => {
  undo.push(
    registerBackend({ ...TOY_BACKEND, resources: { Widget: () => providerClassOf(widgetSpec, BACKENDS) } }),
    registerFamily({ family: "toy", headers: {} }),
    registerVendor(TOY_VENDOR),
  );
  emu = await startEmulator({ tokens: [{ token: TOKEN, family: "toy", org: "acme", scopes: [] }] });
});
afterAll(async () => {
  await emu?.close();
  for (const u of undo.reverse()) u();
});

describe("a toy backend added at run time", () => {
  it("is served like the built-in ones: check, create, read, diff, update, delete", async () => {
    expect(providerTypes()).toContain("toy:Widget");
    const p = provider("toy:Widget");
    const config: Record<string, string> = {
      "checkout-links:toy.token": TOKEN,
      "checkout-links:toy.baseUrl": emu.baseUrls.toy ?? "",
    };
    await p.configure?.({ config: { get: (k: string) => config[k] } } as never);

    emu.clearRequests();
    const typo = await p.check?.({}, { name: "cog", shape: { corners: 4, colour: "red" } });
    expect(typo?.failures).toEqual([
      { property: "shape", reason: "shape.colour: is not an argument of this resource" },
    ]);
    expect(emu.requests()).toEqual([]);

    const checked = await p.check?.({}, { __provider: "module", name: "cog" });
    expect(checked).toEqual({ inputs: { name: "cog", size: 1 } });

    const created = await p.create(checked?.inputs ?? {});
    expect(created).toEqual({ id: "w1", outs: { name: "cog", size: 1, widgetId: "w1" } });

    // Unchanged at the vendor: no inputs, so the engine keeps the program's.
    const read = await p.read?.("w1", created.outs);
    expect(read).toEqual({ id: "w1", props: created.outs });

    expect(await p.diff?.("w1", created.outs, { name: "cog", size: 1 })).toEqual({ changes: false });
    expect(await p.diff?.("w1", created.outs, { name: "cog", size: 3 })).toEqual({ changes: true });
    expect(await p.diff?.("w1", created.outs, { name: "cog", size: 1, shape: { corners: 3 } })).toEqual({
      changes: true,
      replaces: ["shape"],
    });

    const updated = await p.update?.("w1", created.outs, { name: "cog", size: 3 });
    expect(updated).toEqual({ outs: { name: "cog", size: 3, widgetId: "w1" } });
    // Read against the older state, as after a change outside Pulumi: the inputs as the vendor has them.
    expect(await p.read?.("w1", created.outs)).toEqual({
      id: "w1",
      props: updated?.outs,
      inputs: { name: "cog", size: 3 },
    });

    await p.delete?.("w1", updated?.outs);
    // Gone at the vendor: read drops it from state, a second delete is done already.
    expect(await p.read?.("w1", updated?.outs)).toEqual({ id: "" });
    await p.delete?.("w1", updated?.outs);
    expect(emu.requests().map((r) => [r.method, r.path, r.status])).toEqual([
      ["POST", "/toy/widgets", 201],
      ["GET", "/toy/widgets/w1", 200],
      ["PATCH", "/toy/widgets/w1", 200],
      ["GET", "/toy/widgets/w1", 200],
      ["DELETE", "/toy/widgets/w1", 204],
      ["GET", "/toy/widgets/w1", 404],
      ["DELETE", "/toy/widgets/w1", 404],
    ]);
  });

  it("names the type, operation, status and vendor message when the vendor refuses", async () => {
    const p = provider("toy:Widget");
    const failed = await p
      .update?.("nope", { name: "x", size: 1, widgetId: "nope" }, { name: "x", size: 1 })
      .catch((e: Error) => e);
    expect(failed).toBeInstanceOf(Error);
    expect((failed as Error).message).toMatch(
      /^toy:Widget update: toy PATCH \/widgets\/nope failed \(HTTP 404\) at 127\.0\.0\.1:\d+: not found\. no such widget/,
    );
  });
});
