import { createRequire } from "node:module";
import * as path from "node:path";
import type { EngineEvent, OpType } from "@pulumi/pulumi/automation";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { KNOWN_AFTER_APPLY, MASKED, renderJson } from "../../cli/report";
import type { AccountArgs, ResourceSpec } from "../../provider/core/spec";
import { parseTypeToken } from "../../provider/core/typeToken";

/**
 * The built modules: the report asks each resource's spec whether it is a link and which inputs
 * publish, and the registry loads the specs on first use with `require`, which finds the compiled
 * modules, not the TypeScript sources the test runner transforms.
 */
function built<T>(module: string): T {
  return createRequire(__filename)(path.resolve(__dirname, `../../dist/cli/${module}.js`)) as T;
}
const { buildReport } = built<typeof import("../../cli/reportBuild")>("reportBuild");
const { cell, renderLinksText, renderMarkdown } =
  built<typeof import("../../cli/reportMarkdown")>("reportMarkdown");

const PROJECT = "shop";
const STACK = "prod";
const PROVIDER = "exports.handler = ...serialized provider...";
const SECRET = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  ciphertext: "[secret]",
};
const COMPUTED = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function urn(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

let seq = 0;
function step(
  op: OpType,
  type: string,
  name: string,
  state: {
    oldInputs?: Record<string, unknown>;
    oldOutputs?: Record<string, unknown>;
    newInputs?: Record<string, unknown>;
    keys?: string[];
  },
): EngineEvent {
  const u = urn(type, name);
  const meta = (inputs?: Record<string, unknown>, outputs?: Record<string, unknown>) =>
    inputs === undefined
      ? undefined
      : {
          type,
          urn: u,
          custom: true,
          id: "",
          parent: "",
          provider: "",
          inputs: { __provider: PROVIDER, ...inputs },
          outputs: { __provider: PROVIDER, ...(outputs ?? {}) },
        };
  const old = meta(state.oldInputs, state.oldOutputs);
  const next = meta(state.newInputs);
  return {
    sequence: seq++,
    timestamp: 0,
    resourcePreEvent: {
      metadata: {
        op,
        urn: u,
        type,
        provider: "",
        ...(old ? { old } : {}),
        ...(next ? { new: next } : {}),
        ...(state.keys ? { keys: state.keys } : {}),
      },
    },
  } as EngineEvent;
}

const FYNN_LINK = "pulumi-nodejs:dynamic/fynn:CheckoutLink";
const CORE_LINK = "pulumi-nodejs:dynamic/coreapi:CheckoutLink";
const POLAR_LINK = "pulumi-nodejs:dynamic/polar:CheckoutLink";
const POLAR_PRODUCT = "pulumi-nodejs:dynamic/polar:Product";
const ctx = { command: "preview", project: PROJECT, stack: STACK };

const stackEvent = step("same", "pulumi:pulumi:Stack", "shop-prod", { oldInputs: {}, newInputs: {} });
const providerEvent = step("same", "pulumi:providers:pulumi-nodejs", "default", {
  oldInputs: {},
  newInputs: {},
});

describe("buildReport", () => {
  it("reports no changes for a preview of same steps, ignoring the stack and provider resources", () => {
    const link = { slug: "pro", isEnabled: true };
    const report = buildReport(
      [stackEvent, providerEvent, step("same", FYNN_LINK, "pro", { oldInputs: link, newInputs: link })],
      ctx,
    );
    expect(report).toEqual({
      schemaVersion: 1,
      command: "preview",
      project: PROJECT,
      stack: STACK,
      hasChanges: false,
      summary: { create: 0, update: 0, replace: 0, delete: 0, same: 1 },
      warnings: [],
      resources: [],
    });
    expect(renderMarkdown(report)).toBe(
      "### Checkout links preview: `shop` / `prod`\n\n**No changes.** 1 unchanged.\n",
    );
  });

  it("lists exactly the changed fields of an update, ignoring __provider and key order", () => {
    const report = buildReport(
      [
        step("update", FYNN_LINK, "partner", {
          oldInputs: { slug: "partner", options: { couponsAllowed: false, b: 1 }, isEnabled: true },
          oldOutputs: { slug: "partner", url: "http://127.0.0.1:4010/fynn/checkout/partner" },
          newInputs: { isEnabled: true, options: { b: 1, couponsAllowed: true }, slug: "partner" },
        }),
      ],
      ctx,
    );
    expect(report.resources).toEqual([
      {
        urn: urn(FYNN_LINK, "partner"),
        name: "partner",
        type: FYNN_LINK,
        backend: "fynn",
        kind: "CheckoutLink",
        op: "update",
        replaceReasons: [],
        fields: [{ field: "options.couponsAllowed", old: false, new: true }],
        slug: { old: "partner", new: "partner" },
        url: "http://127.0.0.1:4010/fynn/checkout/partner",
      },
    ]);
    expect(report.warnings).toEqual([]);
  });

  it("warns loudly when a published slug changes, naming the URL that stops working", () => {
    const report = buildReport(
      [
        step("update", CORE_LINK, "team-pro", {
          oldInputs: { planId: "p1", slug: "team-pro", couponsAllowed: true },
          oldOutputs: { slug: "team-pro", url: "https://coreapi.io/checkout-link/team-pro/cart" },
          newInputs: { planId: "p1", slug: "team-pro-2026", couponsAllowed: true },
        }),
      ],
      ctx,
    );
    expect(report.warnings).toEqual([
      {
        kind: "slug-change",
        urn: urn(CORE_LINK, "team-pro"),
        name: "team-pro",
        message:
          'coreapi CheckoutLink "team-pro" changes its published slug from "team-pro" to "team-pro-2026": ' +
          "https://coreapi.io/checkout-link/team-pro/cart stops working.",
      },
    ]);
    expect(renderMarkdown(report)).toBe(
      [
        "### Checkout links preview: `shop` / `prod`",
        "",
        "> [!CAUTION]",
        "> **Published checkout links will change or disappear. Customers holding the old URLs will",
        "> land on an error page.**",
        ">",
        "> - :warning: coreapi CheckoutLink **team-pro** changes its published slug from `team-pro` to " +
          "`team-pro-2026`: https://coreapi.io/checkout-link/team-pro/cart stops working.",
        "",
        "**1 to update** · 0 unchanged",
        "",
        "| Operation | Resource | Backend | Slug | Changed fields |",
        "|---|---|---|---|---|",
        "| ~ update | **team-pro** (CheckoutLink) | coreapi | <code>team-pro</code> → <code>team-pro-2026</code> | `slug` |",
        "",
        "#### ~ update team-pro (coreapi CheckoutLink)",
        "",
        "Current URL: https://coreapi.io/checkout-link/team-pro/cart",
        "",
        "| Field | Old | New |",
        "|---|---|---|",
        "| `slug` | <code>team-pro</code> | <code>team-pro-2026</code> |",
        "",
      ].join("\n"),
    );
  });

  it("merges the three steps of a replace into one change with its reasons, and warns", () => {
    const oldInputs = { planId: "p1", planTierId: "t1", slug: "team-starter" };
    const oldOutputs = { ...oldInputs, url: "http://127.0.0.1:4010/fynn/checkout-link/team-starter/cart" };
    const newInputs = { planId: "p1", planTierId: "t2", slug: "team-starter" };
    const report = buildReport(
      [
        step("delete-replaced", CORE_LINK, "starter", { oldInputs, oldOutputs }),
        step("replace", CORE_LINK, "starter", { oldInputs, oldOutputs, newInputs, keys: ["planTierId"] }),
        step("create-replacement", CORE_LINK, "starter", {
          oldInputs,
          oldOutputs,
          newInputs,
          keys: ["planTierId"],
        }),
      ],
      ctx,
    );
    expect(report.summary).toEqual({ create: 0, update: 0, replace: 1, delete: 0, same: 0 });
    expect(report.resources).toHaveLength(1);
    expect(report.resources[0]).toMatchObject({
      op: "replace",
      replaceReasons: ["planTierId"],
      fields: [{ field: "planTierId", old: "t1", new: "t2" }],
    });
    expect(report.warnings.map((w) => [w.kind, w.message])).toEqual([
      [
        "link-replaced",
        'coreapi CheckoutLink "starter" will be deleted and created anew (because of planTierId): ' +
          "http://127.0.0.1:4010/fynn/checkout-link/team-starter/cart stops working; its URL may change.",
      ],
    ]);
    expect(renderMarkdown(report)).toContain("Replaced because of: `planTierId`");
  });

  it("warns when a link or a product disappears, and orders deletes before creates", () => {
    const report = buildReport(
      [
        step("create", POLAR_LINK, "addon", { newInputs: { products: ["p2"], label: "Add-on" } }),
        step("delete", POLAR_PRODUCT, "pro-monthly", { oldInputs: { name: "Pro" } }),
        step("delete", POLAR_LINK, "pro", {
          oldInputs: { products: ["p1"] },
          oldOutputs: { url: "https://api.polar.sh/v1/checkout-links/polar_cl_x/redirect" },
        }),
      ],
      ctx,
    );
    expect(report.resources.map((r) => [r.op, r.kind, r.name])).toEqual([
      ["delete", "CheckoutLink", "pro"],
      ["delete", "Product", "pro-monthly"],
      ["create", "CheckoutLink", "addon"],
    ]);
    expect(report.warnings.map((w) => w.kind)).toEqual(["link-removed", "catalog-removed"]);
    expect(report.warnings[0]!.message).toBe(
      'polar CheckoutLink "pro" will be deleted: https://api.polar.sh/v1/checkout-links/polar_cl_x/redirect stops working.',
    );
    // A create lists every input it sets; a delete every input it drops.
    expect(report.resources[2]!.fields).toEqual([
      { field: "label", new: "Add-on" },
      { field: "products[0]", new: "p2" },
    ]);
    expect(report.resources[0]!.fields).toEqual([{ field: "products[0]", old: "p1" }]);
  });

  it("masks secret values and secret-looking keys in both reports", () => {
    const report = buildReport(
      [
        step("update", "pulumi-nodejs:dynamic/custom:Thing", "webhook", {
          oldInputs: { password: SECRET, clientSecret: "cs_old", apiToken: "t-old", label: "a" },
          newInputs: {
            password: SECRET,
            clientSecret: "cs_new",
            apiToken: "t-new",
            label: "b",
            extra: SECRET,
          },
        }),
      ],
      ctx,
    );
    expect(report.resources[0]!.fields).toEqual([
      { field: "apiToken", old: MASKED, new: MASKED },
      { field: "clientSecret", old: MASKED, new: MASKED },
      { field: "extra", new: MASKED },
      { field: "label", old: "a", new: "b" },
    ]);
    const text = renderMarkdown(report) + renderJson(report);
    for (const leaked of ["cs_old", "cs_new", "t-old", "t-new"]) expect(text).not.toContain(leaked);
  });

  it("shows values not known until apply as such", () => {
    const report = buildReport(
      [
        step("update", FYNN_LINK, "x", {
          oldInputs: { slug: "x", afterCheckout: { url: "https://a" } },
          newInputs: { slug: "x", afterCheckout: { url: COMPUTED } },
        }),
      ],
      ctx,
    );
    expect(report.resources[0]!.fields).toEqual([
      { field: "afterCheckout.url", old: "https://a", new: KNOWN_AFTER_APPLY },
    ]);
    expect(renderMarkdown(report)).toContain(
      "| `afterCheckout.url` | <code>https://a</code> | _(known after apply)_ |",
    );
  });

  it("orders array paths numerically", () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ q: i }));
    const next = items(11).map((x) => ({ q: x.q + 1 }));
    const report = buildReport(
      [step("update", FYNN_LINK, "x", { oldInputs: { items: items(11) }, newInputs: { items: next } })],
      ctx,
    );
    expect(report.resources[0]!.fields.map((f) => f.field).slice(0, 3)).toEqual([
      "items[0].q",
      "items[1].q",
      "items[2].q",
    ]);
    expect(report.resources[0]!.fields.at(-1)!.field).toBe("items[10].q");
  });
});

describe("cells and tables", () => {
  it("names the backend of dynamic resources by module and of others by package", () => {
    expect(parseTypeToken("pulumi-nodejs:dynamic/polar:CheckoutLink")).toEqual({
      backend: "polar",
      kind: "CheckoutLink",
    });
    expect(parseTypeToken("checkout-links:index:Catalog")).toEqual({
      backend: "checkout-links",
      kind: "Catalog",
    });
  });

  it("keeps table cells intact whatever the value holds", () => {
    expect(cell("a|b`c\nd<e>", true)).toBe("<code>a&#124;b&#96;c d&lt;e&gt;</code>");
    expect(cell(undefined, false)).toBe("_(none)_");
    expect(cell("", true)).toBe('`""`');
    expect(cell({ a: 1 }, true)).toBe('<code>{"a":1}</code>');
    expect(cell("x".repeat(200), true)).toBe(`<code>${"x".repeat(119)}…</code>`);
  });

  it("renders the link table for the terminal", () => {
    expect(
      renderLinksText([
        {
          backend: "fynn",
          name: "partner",
          slug: "partner",
          url: "http://127.0.0.1:4010/fynn/checkout/partner",
        },
        {
          backend: "polar",
          name: "pro",
          slug: "",
          url: "http://127.0.0.1:4010/polar/v1/checkout-links/s/redirect",
        },
      ]),
    ).toBe(
      [
        "BACKEND  NAME     SLUG     URL",
        "fynn     partner  partner  http://127.0.0.1:4010/fynn/checkout/partner",
        "polar    pro               http://127.0.0.1:4010/polar/v1/checkout-links/s/redirect",
      ].join("\n"),
    );
  });
});

describe("endpoints in the report", () => {
  it("name the endpoint of every backend the stack's resources use, unchanged ones included", () => {
    const events = [
      step("same", POLAR_PRODUCT, "pro", { oldInputs: { name: "Pro" }, newInputs: { name: "Pro" } }),
      step("create", FYNN_LINK, "starter", { newInputs: { slug: "starter" } }),
    ];
    const asked: string[][] = [];
    const report = buildReport(events, {
      command: "preview",
      project: PROJECT,
      stack: STACK,
      endpoints: (backends) => {
        asked.push(backends);
        return backends.map((backend) => ({
          backend,
          account: "default",
          url: `https://${backend}.example`,
        }));
      },
    });
    expect(asked).toEqual([["fynn", "polar"]]);
    expect(report.endpoints).toEqual([
      { backend: "fynn", account: "default", url: "https://fynn.example" },
      { backend: "polar", account: "default", url: "https://polar.example" },
    ]);
    expect(renderMarkdown(report)).toContain(
      "Endpoints: fynn → https://fynn.example, polar → https://polar.example",
    );
    expect(JSON.parse(renderJson(report)).endpoints).toHaveLength(2);
  });
});

describe("what a report knows of a type comes from its spec", () => {
  const { registerBackend } = built<typeof import("../../provider/registry")>("../provider/registry");
  const { BACKENDS } = built<typeof import("../../provider/backends")>("../provider/backends");
  const { providerClassOf } = built<typeof import("../../provider/core/spec")>("../provider/core/spec");
  const PAGE = "pulumi-nodejs:dynamic/toylink:Page";
  const unused = () => Promise.reject(new Error("not called by a report"));
  /** A link (it declares a `url` output) whose published input is `path`, not its slug. */
  const pageSpec: ResourceSpec<AccountArgs, AccountArgs> = {
    backend: "toylink",
    type: "Page",
    args: z.object({}),
    diffTable: {
      path: { change: "update", publishes: true, why: "the URL is built from the path" },
      slug: { change: "update", why: "a label only" },
      title: { change: "update", why: "PATCH" },
    },
    outputKeys: ["pageId", "url"],
    stateOf: () => {
      throw new Error("not called by a report");
    },
    send: unused,
    madeBy: unused,
    read: unused,
    update: unused,
    remove: unused,
  };

  it("warns that a URL stops working for the inputs the diff table marks publishes, whatever their name", () => {
    const undo = registerBackend({
      name: "toylink",
      title: "Toy links",
      family: "toylink",
      defaultBaseUrl: "https://toylink.invalid",
      resources: { Page: () => providerClassOf(pageSpec, BACKENDS) },
    });
    try {
      const report = buildReport(
        [
          step("update", PAGE, "home", {
            oldInputs: { path: "/a", slug: "one", title: "A" },
            oldOutputs: { url: "https://toylink.invalid/a" },
            newInputs: { path: "/b", slug: "two", title: "B" },
          }),
          step("delete", PAGE, "old", { oldInputs: { path: "/old" } }),
        ],
        ctx,
      );
      expect(report.warnings).toEqual([
        {
          kind: "link-removed",
          urn: urn(PAGE, "old"),
          name: "old",
          message: 'toylink Page "old" will be deleted.',
        },
        {
          kind: "slug-change",
          urn: urn(PAGE, "home"),
          name: "home",
          message:
            'toylink Page "home" changes its published path from "/a" to "/b": https://toylink.invalid/a stops working.',
        },
      ]);
      expect(renderMarkdown(report)).toContain(
        "> - :warning: toylink Page **home** changes its published path from `/a` to `/b`: " +
          "https://toylink.invalid/a stops working.",
      );
    } finally {
      undo();
    }
  });

  it("warns for a Polar link's account, which its diff table marks publishes: another account means a new URL", () => {
    const oldInputs = { account: "eu", products: ["p1"] };
    const oldOutputs = { url: "https://api.polar.sh/v1/checkout-links/polar_cl_x/redirect" };
    const newInputs = { products: ["p1"] };
    const report = buildReport(
      [step("replace", POLAR_LINK, "pro", { oldInputs, oldOutputs, newInputs, keys: ["account"] })],
      ctx,
    );
    expect(report.warnings.map((w) => [w.kind, w.message])).toEqual([
      [
        "link-replaced",
        'polar CheckoutLink "pro" will be deleted and created anew (because of account): ' +
          "https://api.polar.sh/v1/checkout-links/polar_cl_x/redirect stops working; its URL may change.",
      ],
      [
        "slug-change",
        'polar CheckoutLink "pro" changes its published account from "eu" to "(default)": ' +
          "https://api.polar.sh/v1/checkout-links/polar_cl_x/redirect stops working.",
      ],
    ]);
  });
});
