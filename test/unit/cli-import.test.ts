/**
 * `checkout-links import` as a command: its options and their errors (each naming the option), where
 * the program and the summary go, accounts from the environment and from `--emulator`, and that no
 * token reaches either output.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Io } from "../../cli/io";
import { commandOf, IMPORT_BACKEND_DEPRECATED, main, parseImport } from "../../cli/main";
import { type Emulator, startEmulator } from "../../emulator/index";
import { DEMO_TOKENS, EXAMPLE_IDS } from "../../emulator/seed";
import { ref } from "../../provider/inventory";
import { registerBackend } from "../../provider/registry";
import { call } from "../fixtures/http";

function capture(env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (l) => out.push(l), err: (l) => err.push(l), env };
  return { io, out, err };
}

/** The first line of what the command printed on stderr (the help follows a usage error). */
async function firstError(argv: string[], env: NodeJS.ProcessEnv = {}, cwd = os.tmpdir()) {
  const c = capture(env);
  const code = await main(argv, c.io, cwd);
  return { code, line: c.err.join("\n").split("\n")[0] };
}

describe("import options", () => {
  it("default to every backend, the default account, stdout and adoption", () => {
    expect(parseImport(["import"], "/w")).toEqual({
      command: "import",
      cwd: "/w",
      emulator: false,
      adopt: true,
    });
    // Without adoption `up` would make every object a second time: that takes asking for.
    expect(parseImport(["import", "--no-adopt"], "/w")).toMatchObject({ adopt: false });
    expect(commandOf(["--stack", "dev", "import", "--out", "x.ts"])).toBe("import");
    expect(commandOf(["up", "--emulator"])).toBe("up");
  });

  it("take backends (repeatable), an account, a file, adoption and the shared options", () => {
    expect(
      parseImport(
        [
          "import",
          "--vendor",
          "polar",
          "--vendor",
          "fynn",
          "--vendor",
          "polar",
          "--account",
          "eu",
          "--out",
          "imported.ts",
          "--adopt",
          "--emulator",
          "--emulator-port",
          "8787",
          "--stack",
          "prod",
          "--cwd",
          "/x",
        ],
        "/w",
      ),
    ).toEqual({
      command: "import",
      cwd: "/x",
      stack: "prod",
      emulator: true,
      emulatorPort: 8787,
      backends: ["polar", "fynn"],
      account: "eu",
      out: "imported.ts",
      adopt: true,
    });
  });

  it("take --backend, --vendor's old name, with a deprecation note on stderr", async () => {
    const warned: string[] = [];
    expect(parseImport(["import", "--backend", "polar"], "/w", (l) => warned.push(l))).toMatchObject({
      backends: ["polar"],
    });
    expect(warned).toEqual([IMPORT_BACKEND_DEPRECATED]);
    expect(IMPORT_BACKEND_DEPRECATED).toBe(
      "checkout-links: warning: import --backend is deprecated, use --vendor (--backend names the state backend of the other commands)",
    );
    warned.length = 0;
    expect(parseImport(["import", "--vendor", "fynn"], "/w", (l) => warned.push(l))).toMatchObject({
      backends: ["fynn"],
    });
    expect(warned).toEqual([]);
  });

  it("refuse bad input with an error naming the option", async () => {
    expect(await firstError(["import", "--vendor", "stripe"])).toEqual({
      code: 1,
      line: 'checkout-links: --vendor: unknown backend "stripe"; one of coreapi, fynn, polar',
    });
    expect((await firstError(["import", "--vendor", "file:///tmp/state"])).line).toBe(
      'checkout-links: --vendor: unknown backend "file:///tmp/state"; one of coreapi, fynn, polar ' +
        "(for import it names a vendor, not a state backend URL)",
    );
    expect((await firstError(["import", "--account", "eu west"])).line).toBe(
      'checkout-links: --account: "eu west" is not an account name (a letter, then letters, digits, - and _)',
    );
    expect((await firstError(["import", "--out", " "])).line).toBe(
      "checkout-links: --out: needs a file name",
    );
    expect((await firstError(["import", "--emulator-port", "8787"])).line).toBe(
      "checkout-links: --emulator-port needs --emulator",
    );
    expect((await firstError(["import", "--parallel", "4"])).line).toMatch(
      /^checkout-links: Unknown option '--parallel'/,
    );
    expect((await firstError(["import", "everything"])).line).toBe(
      "checkout-links: unexpected arguments: everything",
    );
    expect((await firstError(["up", "--adopt"])).line).toMatch(/^checkout-links: Unknown option '--adopt'/);
  });

  it("refuse to overwrite --out, and name the token to set for a backend asked for by name", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-import-"));
    try {
      const existing = path.join(dir, "index.ts");
      fs.writeFileSync(existing, "// mine\n");
      expect(await firstError(["import", "--out", existing], {}, dir)).toEqual({
        code: 1,
        line: `checkout-links: error: --out: ${existing} already exists; remove it or name another file`,
      });
      expect(fs.readFileSync(existing, "utf8")).toBe("// mine\n");
      expect(await firstError(["import", "--vendor", "polar"], {}, dir)).toEqual({
        code: 1,
        line:
          'checkout-links: error: [MISSING_TOKEN] no polar token for account "default": run `pulumi config set --secret ' +
          "checkout-links:polar.token <token>` or set CHECKOUT_LINKS_POLAR_TOKEN",
      });
      const none = capture({});
      expect(await main(["import"], none.io, dir)).toBe(1);
      expect(none.err).toEqual([
        'checkout-links: coreapi: skipped, [MISSING_TOKEN] no coreapi token for account "default": run `pulumi config set --secret checkout-links:coreapi.token <token>` or set CHECKOUT_LINKS_COREAPI_TOKEN',
        'checkout-links: fynn: skipped, [MISSING_TOKEN] no fynn token for account "default": run `pulumi config set --secret checkout-links:fynn.token <token>` or set CHECKOUT_LINKS_FYNN_TOKEN',
        'checkout-links: polar: skipped, [MISSING_TOKEN] no polar token for account "default": run `pulumi config set --secret checkout-links:polar.token <token>` or set CHECKOUT_LINKS_POLAR_TOKEN',
        "checkout-links: error: no backend has an account to import from: set a token",
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("import against the emulator", () => {
  // The built command, as installed: the registry and --emulator load their parts with require().
  const built = () =>
    (
      createRequire(__filename)(
        path.resolve(__dirname, "../../dist/cli/main.js"),
      ) as typeof import("../../cli/main")
    ).main;
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ polarRateLimitPerMinute: 0 });
  });
  afterAll(async () => {
    await emu?.close();
  });

  it("writes the program to stdout and the summary to stderr, for a named account, with no token in either", async () => {
    const product = await call("POST", `${emu.baseUrls.fynn}/products`, {
      token: DEMO_TOKENS.fynnGlobex,
      body: { name: "Seats" },
    });
    const price = await call("POST", `${emu.baseUrls.fynn}/price-plans`, {
      token: DEMO_TOKENS.fynnGlobex,
      body: { product: product.body.id, internalName: "Seats monthly", amount: 900 },
    });
    await call("POST", `${emu.baseUrls.fynn}/checkout-links`, {
      token: DEMO_TOKENS.fynnGlobex,
      body: {
        slug: "globex-seats",
        items: [{ type: "product", product: product.body.id, price: price.body.id, quantity: 1 }],
      },
    });
    const c = capture({
      CHECKOUT_LINKS_FYNN_EU_BASE_URL: emu.baseUrls.fynn,
      CHECKOUT_LINKS_FYNN_EU_TOKEN: DEMO_TOKENS.fynnGlobex,
    });
    const code = await built()(
      ["import", "--vendor", "fynn", "--account", "eu", "--no-adopt"],
      c.io,
      os.tmpdir(),
    );
    expect(c.err.filter((l) => l.includes("error"))).toEqual([]);
    expect(code).toBe(0);
    expect(c.out.join("\n")).toBe(`// Generated by \`checkout-links import\` from fynn (account "eu").
// Arguments at their default are left out; ids of objects outside this program (Fynn products and
// price plans, Polar discounts) are written as they are.
// Without adopt: true, \`checkout-links up\` creates these objects anew (e.g. in another account);
// \`checkout-links import\` (without --no-adopt) writes a program that takes the existing ones over instead.
import { fynn } from "pulumi-checkout-links";

const globexSeats = new fynn.CheckoutLink("globex-seats", {
  slug: "globex-seats",
  items: [
    {
      productId: "${product.body.id}",
      pricePlanId: "${price.body.id}",
    },
  ],
  account: "eu",
});

/** Every checkout link's slug and public URL, by backend and name. */
export const links = {
  "fynn/globex-seats": { slug: globexSeats.slug, url: globexSeats.url },
};`);
    expect(c.err).toEqual([
      `checkout-links: fynn (${emu.baseUrls.fynn}): 1 fynn.CheckoutLink`,
      "Declared 1 object (1 fynn.CheckoutLink) in stdout; without adopt: true, `checkout-links up` would create them anew (import without --no-adopt to take them over).",
    ]);
    expect(`${c.out.join("\n")}${c.err.join("\n")}`).not.toContain(DEMO_TOKENS.fynnGlobex);
  });

  it("--emulator lists the embedded emulator's seeded account", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-import-emu-"));
    try {
      const out = path.join(dir, "program.ts");
      const ok = capture({});
      const code0 = await built()(
        ["import", "--emulator", "--vendor", "polar", "--adopt", "--out", out, "--cwd", dir],
        ok.io,
        dir,
      );
      expect(ok.err.filter((l) => l.includes("error"))).toEqual([]);
      expect(code0).toBe(0);
      const code = fs.readFileSync(out, "utf8");
      expect(code).toContain(`adoptId: "${EXAMPLE_IDS.polarProductPro}"`);
      expect(code).toContain(`adoptId: "${EXAMPLE_IDS.polarProductTeam}"`);
      expect(ok.err[0]).toMatch(
        /^checkout-links: emulator at http:\/\/127\.0\.0\.1:\d+ \(data: .*\.emulator\/data\.json\)$/,
      );
      expect(ok.err.at(-1)).toBe(
        `Declared 2 objects (2 polar.Product) in ${out}; each with adopt: true, so \`checkout-links up\` takes it over.`,
      );
      expect(code).not.toContain(DEMO_TOKENS.polarAcme);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a backend added to the registry", () => {
  it("is importable with its inventory alone: the command and the code generation name no backend", async () => {
    const unregister = registerBackend({
      name: "toy",
      title: "Toy",
      family: "toy",
      defaultBaseUrl: "https://api.toy.example",
      resources: {},
      inventory: () => ({
        list: async (client) => {
          expect(client.vendor).toBe("toy");
          return {
            declarations: [
              {
                type: "toy:Plan",
                id: "p1",
                name: "basic",
                title: 'plan "basic"',
                args: { name: "Basic" },
                adoptArgs: { adopt: true },
                notes: [],
              },
              {
                type: "toy:Link",
                id: "l1",
                name: "basic-link",
                title: 'link "basic-link"',
                args: { plan: ref("toy:Plan", "p1", "planId"), slug: "basic" },
                adoptArgs: { adopt: true },
                link: { slug: true },
                notes: [],
              },
            ],
            skipped: [{ type: "toy:Link", id: "l2", title: 'link "odd"', reason: "slug: too short" }],
          };
        },
      }),
    });
    try {
      expect(parseImport(["import", "--vendor", "toy"], "/w")).toMatchObject({ backends: ["toy"] });
      const c = capture({ CHECKOUT_LINKS_TOY_TOKEN: "toy_secret" });
      expect(await main(["import", "--vendor", "toy", "--adopt"], c.io, os.tmpdir())).toBe(0);
      expect(c.out.join("\n")).toContain(`import { toy } from "pulumi-checkout-links";

const basic = new toy.Plan("basic", {
  name: "Basic",
  adopt: true,
});

const basicLink = new toy.Link("basic-link", {
  plan: basic.planId,
  slug: "basic",
  adopt: true,
});

/** Every checkout link's slug and public URL, by backend and name. */
export const links = {
  "toy/basic-link": { slug: basicLink.slug, url: basicLink.url },
};`);
      expect(c.err).toEqual([
        "checkout-links: toy (https://api.toy.example): 1 toy.Plan, 1 toy.Link",
        "Left out (1), the provider could not declare them exactly:",
        '  - toy.Link link "odd" (l2): slug: too short',
        "Declared 2 objects (1 toy.Plan, 1 toy.Link) in stdout; each with adopt: true, so `checkout-links up` takes it over.",
      ]);
      expect([...c.out, ...c.err].join("\n")).not.toContain("toy_secret");
    } finally {
      unregister();
    }
    expect(() => parseImport(["import", "--vendor", "toy"], "/w")).toThrow(
      '--vendor: unknown backend "toy"; one of coreapi, fynn, polar',
    );
  });
});
