/**
 * `checkout-links doctor`: a read-only check of the accounts a stack uses, before a first `up`. For
 * every backend with an account it resolves the endpoint and token as the providers do, then probes
 * each route the resources use (documented or inferred) with a safe request whose answer the
 * provider's readers parse, and prints one table. It exits non-zero when a route does not answer
 * as the provider expects, the token is refused, or no backend has an account.
 */
import { type ProbeRow, runProbes } from "../provider/core/doctor";
import { clientFor } from "../provider/core/http";
import { UsageError } from "./errors";
import { EXIT, type Io } from "./io";
import { probedBackends, routesOf } from "./resourceTypes";
import { accountsOf, openAccounts, type SessionOptions } from "./session";
import { safeUrl } from "./urls";

export interface DoctorOptions extends SessionOptions {
  command: "doctor";
  /** Backends to check. @default every backend of the registry that has an account */
  backends?: string[];
  /** Named account. @default the default account */
  account?: string;
}

/** The rows as a Markdown table, one route a line. */
export function renderTable(rows: readonly ProbeRow[]): string[] {
  const lines = ["| backend | route | docs | used by | result |", "|---|---|---|---|---|"];
  for (const r of rows) {
    const result = `${r.result === "failed" ? "**FAILED**" : r.result}: ${r.detail}`;
    const cell = (s: string) => s.replaceAll("|", "\\|");
    lines.push(
      `| ${r.backend} | \`${r.method} ${cell(r.route)}\` | ${r.kind} | ${r.usedBy.join(", ")} | ${cell(result)} |`,
    );
  }
  return lines;
}

export async function runDoctor(opts: DoctorOptions, io: Io): Promise<number> {
  const account = opts.account ?? "default";
  const explicit = opts.backends !== undefined;
  const chosen = opts.backends ?? probedBackends();
  for (const name of chosen) {
    if (!probedBackends().includes(name)) {
      throw new UsageError(`--vendor: ${name} lists no routes to probe (${probedBackends().join(", ")} do)`);
    }
  }
  const session = await openAccounts(opts, io, { backends: chosen, account });
  try {
    const rows: ProbeRow[] = [];
    const who = "checkout-links doctor";
    for (const { backend: name, account: acct } of accountsOf(session, chosen, account, explicit, io, who)) {
      io.out(`${name}: ${safeUrl(acct.baseUrl)} (account "${account}")`);
      rows.push(...(await runProbes(name, clientFor(acct), routesOf(name) ?? [])));
    }
    if (rows.length === 0) throw new UsageError("no backend has an account to check: set a token");
    io.out("");
    for (const line of renderTable(rows)) io.out(line);
    const failed = rows.filter((r) => r.result === "failed");
    const count = (result: ProbeRow["result"]) => rows.filter((r) => r.result === result).length;
    const inferred = rows.filter((r) => r.kind === "inferred").length;
    io.out("");
    io.out(
      `${rows.length} routes (${inferred} inferred): ${count("ok")} ok, ${failed.length} failed, ` +
        `${count("skipped")} skipped (nothing to read), ${count("not probed")} writes not probed.`,
    );
    if (failed.length > 0) {
      io.out(
        "A route that failed here fails a stack that uses it; where it is inferred, the vendor's API " +
          'may differ from what this package expects (README "Inferred API behaviour").',
      );
    }
    return failed.length === 0 ? EXIT.ok : EXIT.error;
  } finally {
    await session.close();
  }
}
