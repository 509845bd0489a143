import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { handOffTokens, withoutKeys } from "../../cli/credentials";

const FILE = `encryptionsalt: v1:salt
config:
  checkout-links:fynn.baseUrl: http://127.0.0.1:1/fynn
  checkout-links:fynn.token:
    secure: v1:fynn-cipher
  "checkout-links:polar.eu.token":
    secure: v1:polar-cipher
  shop:plan: pro
`;

describe("tokens handed to the provider through its environment", () => {
  it("drops exactly the named entries, nested lines included, and keeps the rest verbatim", () => {
    expect(withoutKeys(FILE, ["checkout-links:fynn.token", "checkout-links:polar.eu.token"])).toBe(
      "encryptionsalt: v1:salt\nconfig:\n  checkout-links:fynn.baseUrl: http://127.0.0.1:1/fynn\n  shop:plan: pro\n",
    );
    expect(withoutKeys(FILE, [])).toBe(FILE);
  });

  it("moves each token key to its environment variable and writes a private copy without it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-cred-"));
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), FILE);
    const h = handOffTokens({
      workDir: dir,
      stack: "dev",
      config: {
        "checkout-links:fynn.token": "api_fynn",
        "checkout-links:polar.eu.token": "polar_oat_eu",
        "checkout-links:fynn.baseUrl": "http://127.0.0.1:1/fynn",
        "shop:plan": "pro",
      },
    });
    try {
      expect(h.env).toEqual({
        CHECKOUT_LINKS_FYNN_TOKEN: "api_fynn",
        CHECKOUT_LINKS_POLAR_EU_TOKEN: "polar_oat_eu",
      });
      const copy = fs.readFileSync(h.configFile as string, "utf8");
      expect(copy).not.toMatch(/token|cipher/);
      expect(copy).toContain("encryptionsalt: v1:salt");
      expect(fs.statSync(h.configFile as string).mode & 0o777).toBe(0o600);
    } finally {
      h.dispose();
    }
    expect(fs.existsSync(h.configFile as string)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("leaves the config alone when there is no token in it", () => {
    const h = handOffTokens({ workDir: os.tmpdir(), stack: "none", config: { "shop:plan": "pro" } });
    expect([h.env, h.configFile]).toEqual([{}, undefined]);
  });
});
