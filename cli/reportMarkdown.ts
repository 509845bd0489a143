/**
 * The change report for people: Markdown for a pull-request comment, and the link table as plain
 * text for the terminal.
 */
import type { LinkRow, Operation, Report, ResourceChange, Summary } from "./report";
import { KNOWN_AFTER_APPLY, MASKED } from "./report";
import { sameValue } from "./reportFields";
import { warningsFor } from "./reportWarnings";

const OP_LABEL: Record<Operation, string> = {
  create: "+ create",
  update: "~ update",
  replace: "+- replace",
  delete: "- delete",
};

function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "&#124;")
    .replace(/`/g, "&#96;")
    .replace(/\r?\n/g, " ");
}

const MAX_CELL = 120;

/** A value in a table cell: code-formatted, pipes and newlines made harmless, long values cut. */
export function cell(value: unknown, present: boolean): string {
  if (!present) return "_(none)_";
  if (value === KNOWN_AFTER_APPLY) return "_(known after apply)_";
  if (value === MASKED) return "`[secret]`";
  let text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === "") return '`""`';
  if (text.length > MAX_CELL) text = `${text.slice(0, MAX_CELL - 1)}…`;
  return `<code>${escapeHtml(text)}</code>`;
}

function summaryLine(s: Summary): string {
  const parts: string[] = [];
  if (s.create) parts.push(`${s.create} to create`);
  if (s.update) parts.push(`${s.update} to update`);
  if (s.replace) parts.push(`${s.replace} to replace`);
  if (s.delete) parts.push(`${s.delete} to delete`);
  const unchanged = `${s.same} unchanged`;
  if (parts.length === 0) return `**No changes.** ${unchanged}.`;
  return `**${parts.join(" · ")}** · ${unchanged}`;
}

function slugCell(c: ResourceChange): string {
  if (!c.slug) return "";
  const { old, new: next } = c.slug;
  const show = (v: unknown) => (v === undefined ? "_(generated)_" : cell(v, true));
  if (c.op === "create") return show(next);
  if (c.op === "delete") return show(old);
  if (old !== undefined && next !== undefined && sameValue(old, next)) return show(old);
  if (next === undefined && c.op === "update") return show(old);
  return `${show(old)} → ${show(next)}`;
}

/** The caution block over the report, when any change breaks what buyers hold. */
function cautionLines(report: Report): string[] {
  const warnings = report.resources.flatMap((c) => warningsFor(c, true));
  if (warnings.length === 0) return [];
  return [
    "> [!CAUTION]",
    "> **Published checkout links will change or disappear. Customers holding the old URLs will",
    "> land on an error page.**",
    ">",
    ...warnings.map((w) => `> - :warning: ${w.message}`),
    "",
  ];
}

/** One line per changed resource. */
function resourceTable(resources: readonly ResourceChange[]): string[] {
  const lines = ["| Operation | Resource | Backend | Slug | Changed fields |", "|---|---|---|---|---|"];
  for (const c of resources) {
    const fields =
      c.op === "create" || c.op === "delete"
        ? ""
        : c.fields.map((f) => `\`${f.field}\``).join(", ") || "_(none visible)_";
    lines.push(
      `| ${OP_LABEL[c.op]} | **${escapeHtml(c.name)}** (${c.kind}) | ${c.backend} | ${slugCell(c)} | ${fields} |`,
    );
  }
  lines.push("");
  return lines;
}

/** One resource's section: its URL, why it is replaced, and its fields old against new. */
function resourceSection(c: ResourceChange): string[] {
  const lines = [`#### ${OP_LABEL[c.op]} ${escapeHtml(c.name)} (${c.backend} ${c.kind})`, ""];
  if (c.url) lines.push(`Current URL: ${c.url}`, "");
  if (c.op === "replace" && c.replaceReasons.length > 0) {
    lines.push(`Replaced because of: ${c.replaceReasons.map((k) => `\`${k}\``).join(", ")}`, "");
  }
  if (c.fields.length === 0) {
    lines.push("_No visible field changes (a secret value or the provider's code changed)._", "");
    return lines;
  }
  if (c.drift === "deleted") lines.push("Deleted at the vendor outside Pulumi: it is created again.", "");
  if (c.fields.some((f) => f.drift)) {
    lines.push(
      "Changed at the vendor outside Pulumi (drift): the update puts back what the program declares.",
      "",
    );
    lines.push("| Field | At the vendor | Declared |", "|---|---|---|");
  } else {
    lines.push("| Field | Old | New |", "|---|---|---|");
  }
  for (const f of c.fields) {
    lines.push(`| \`${f.field}\` | ${cell(f.old, "old" in f)} | ${cell(f.new, "new" in f)} |`);
  }
  lines.push("");
  return lines;
}

function linksTable(links: readonly LinkRow[]): string[] {
  const out = ["| Backend | Name | Slug | URL |", "|---|---|---|---|"];
  for (const l of links) {
    out.push(`| ${l.backend} | ${escapeHtml(l.name)} | ${l.slug ? cell(l.slug, true) : ""} | ${l.url} |`);
  }
  return out;
}

/** The Markdown report for a pull-request comment. */
export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  const title = report.command === "preview" ? "preview" : report.command;
  lines.push(`### Checkout links ${title}: \`${report.project}\` / \`${report.stack}\``, "");
  lines.push(...cautionLines(report));
  lines.push(summaryLine(report.summary), "");
  if (report.endpoints && report.endpoints.length > 0) {
    const list = report.endpoints.map(
      (e) => `${e.backend}${e.account === "default" ? "" : ` (account ${e.account})`} → ${e.url}`,
    );
    lines.push(`Endpoints: ${list.join(", ")}`, "");
  }
  if (report.resources.length > 0) {
    lines.push(...resourceTable(report.resources));
    for (const c of report.resources) lines.push(...resourceSection(c));
  }
  if (report.links && report.links.length > 0) {
    lines.push(...linksTable(report.links), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

/** A plain-text table for the terminal. */
export function renderLinksText(links: readonly LinkRow[]): string {
  const head = ["BACKEND", "NAME", "SLUG", "URL"];
  const rows = links.map((l) => [l.backend, l.name, l.slug, l.url]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [fmt(head), ...rows.map(fmt)].join("\n");
}
