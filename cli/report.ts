/**
 * The change report: what a preview (or an update) does to each checkout link, plan and product,
 * field by field, for a reviewer reading a pull-request comment (Markdown) and for a pipeline
 * (JSON).
 *
 * Built from the engine's step events rather than from the CLI's text output: `resourcePreEvent`
 * carries the operation, the replace keys and the old and new inputs of every step. Dynamic
 * providers answer `diff()` themselves, so the engine leaves `diffs`/`detailedDiff` empty; the
 * field-level changes are therefore computed here from the inputs.
 *
 * Pure functions only: no I/O, no clock, so that the same events always give the same report.
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { backend as backendEntry, isBackendName } from "../provider/backends";

export type Operation = "create" | "update" | "replace" | "delete";

/** What a masked value shows, in both reports. */
export const MASKED = "[secret]";
/**
 * What a value that is only known after apply shows. (Not the provider's `UNKNOWN`, which is the
 * engine's stand-in for such a value: {@link ENGINE_UNKNOWN} here.)
 */
export const KNOWN_AFTER_APPLY = "[known after apply]";

/** The engine's stand-in for a value not known during preview. */
const ENGINE_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The signature key of a secret value in engine events and state. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/**
 * Keys whose values are masked even when not marked secret (Polar's `client_secret` is a credential
 * of the link; tokens and passwords may sneak into custom resources).
 */
const SECRET_KEY = /secret|token|password|passphrase|api[-_]?key|authorization|credential/i;

export interface FieldChange {
  /** Dotted path into the inputs: `slug`, `options.couponsAllowed`, `items[0].quantity`. */
  field: string;
  /** Absent when the field is new. */
  old?: unknown;
  /** Absent when the field goes away. */
  new?: unknown;
  /**
   * With a refresh first (`--refresh`): the vendor's value differs from what the state held, so `old`
   * is what the vendor has now and `new` what the program declares.
   */
  drift?: true;
}

export type WarningKind =
  | "slug-change"
  | "link-removed"
  | "link-replaced"
  | "link-recreated"
  | "catalog-removed";

export interface Warning {
  kind: WarningKind;
  urn: string;
  name: string;
  message: string;
}

export interface ResourceChange {
  urn: string;
  /** The resource's name in the program (the last part of the URN). */
  name: string;
  /** Type token, e.g. `pulumi-nodejs:dynamic/fynn:CheckoutLink`. */
  type: string;
  /** `coreapi`, `fynn`, `polar` for this library's resources, else the type's module or package. */
  backend: string;
  /** Short type name: `CheckoutLink`, `Plan`, `Product`, ... */
  kind: string;
  op: Operation;
  /** Inputs that force the replacement (replace only). */
  replaceReasons: string[];
  fields: FieldChange[];
  /** The published slug before and after (links only; absent where the backend has none). */
  slug?: { old?: unknown; new?: unknown };
  /** The published URL before the change (links only). */
  url?: string;
  /**
   * What a refresh found at the vendor (with `--refresh`): `changed` out of band, or `deleted` out of
   * band (the operation then recreates it).
   */
  drift?: "changed" | "deleted";
}

export interface Summary {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

export interface LinkRow {
  backend: string;
  name: string;
  slug: string;
  url: string;
}

export interface Report {
  schemaVersion: 1;
  command: string;
  project: string;
  stack: string;
  hasChanges: boolean;
  summary: Summary;
  warnings: Warning[];
  resources: ResourceChange[];
  /** The links after an update (up only). */
  links?: LinkRow[];
  /** Resources whose operation failed, with the provider's message (present when any failed). */
  failures?: Failure[];
  /** The endpoint each backend of the stack's resources targets, per account. */
  endpoints?: Endpoint[];
}

export interface Endpoint {
  backend: string;
  /** `default` or a named account. */
  account: string;
  /** The base URL the provider calls (without any user info). */
  url: string;
}

export interface Failure {
  urn: string;
  name: string;
  /** `<backend>:<Kind>`, e.g. `fynn:CheckoutLink`. */
  type: string;
  /** What the provider said: operation, vendor, status, the vendor's message, request id, attempts. */
  message: string;
}

/** The type token inside a URN (`urn:pulumi:<stack>::<project>::<parent$>type::<name>`). */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const types = parts[parts.length - 2] ?? "";
  return types.split("$").pop() ?? types;
}

/** The resources whose operations failed, from the engine's error diagnostics. */
function failuresOf(events: readonly EngineEvent[]): Failure[] {
  const out: Failure[] = [];
  for (const e of events) {
    const d = e.diagnosticEvent;
    if (d?.severity !== "error" || !d.urn) continue;
    const type = typeOfUrn(d.urn);
    if (skipped(type)) continue;
    const { backend, kind } = describeType(type);
    out.push({ urn: d.urn, name: nameOfUrn(d.urn), type: `${backend}:${kind}`, message: d.message.trim() });
  }
  return out;
}

export interface ReportContext {
  command: string;
  project: string;
  stack: string;
  /** The endpoints of the given backends, as the provider resolves them. */
  endpoints?: (backends: string[]) => Endpoint[];
}

/** The backends of every resource the events mention, changed or not. */
function backendsOf(events: readonly EngineEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    const type = e.resourcePreEvent?.metadata?.type;
    if (typeof type === "string" && type.startsWith("pulumi-nodejs:dynamic/"))
      out.add(describeType(type).backend);
  }
  return [...out].sort();
}

/** Splits a type token into backend and kind: `pulumi-nodejs:dynamic/fynn:CheckoutLink` -> fynn, CheckoutLink. */
export function describeType(type: string): { backend: string; kind: string } {
  const parts = type.split(":");
  const kind = parts[parts.length - 1] ?? type;
  const mod = parts[1] ?? "";
  // Dynamic resources name their backend in the module (`dynamic/fynn`); others by their package.
  const backend = mod.startsWith("dynamic/") ? mod.slice("dynamic/".length) : (parts[0] ?? "");
  return { backend, kind };
}

/** A checkout link of any backend: the thing with a published URL. */
export function isLink(type: string): boolean {
  return describeType(type).kind === "CheckoutLink";
}

/** A resource of this library (its removal or replacement is gated outside the emulator). */
export function isLibraryResource(type: string): boolean {
  return type.startsWith("pulumi-nodejs:dynamic/") && isBackendName(describeType(type).backend);
}

export function nameOfUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

function isSecretValue(v: unknown): boolean {
  return v !== null && typeof v === "object" && SECRET_SIG in (v as Record<string, unknown>);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !isSecretValue(v);
}

/** Flattens inputs into leaf paths; secrets, unknowns, scalars and empty containers are leaves. */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): void {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => {
      flatten(item, `${prefix}[${i}]`, out);
    });
    return;
  }
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const key of Object.keys(value).sort()) {
      if (prefix === "" && key === "__provider") continue;
      flatten(value[key], prefix === "" ? key : `${prefix}.${key}`, out);
    }
    return;
  }
  if (prefix !== "") out.set(prefix, value);
}

function leaves(inputs: Record<string, unknown> | undefined): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (inputs) flatten(inputs, "", out);
  return out;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The value as the reports show it: secrets masked, unknowns named. */
function presentValue(path: string, value: unknown): unknown {
  if (isSecretValue(value)) return MASKED;
  const lastKey =
    path
      .replace(/\[\d+\]$/g, "")
      .split(".")
      .pop() ?? path;
  if (SECRET_KEY.test(lastKey) && value !== null && value !== undefined && value !== "") return MASKED;
  if (value === ENGINE_UNKNOWN) return KNOWN_AFTER_APPLY;
  return value;
}

function fieldChanges(
  oldInputs: Record<string, unknown> | undefined,
  newInputs: Record<string, unknown> | undefined,
): FieldChange[] {
  const o = leaves(oldInputs);
  const n = leaves(newInputs);
  const paths = [...new Set([...o.keys(), ...n.keys()])].sort(comparePaths);
  const out: FieldChange[] = [];
  for (const path of paths) {
    const hasOld = o.has(path);
    const hasNew = n.has(path);
    const ov = o.get(path);
    const nv = n.get(path);
    if (hasOld && hasNew && sameValue(ov, nv)) continue;
    // A missing key and an explicit null say the same thing to every provider here.
    if ((ov === undefined || ov === null) && (nv === undefined || nv === null)) continue;
    const change: FieldChange = { field: path };
    if (hasOld && ov !== undefined) change.old = presentValue(path, ov);
    if (hasNew && nv !== undefined) change.new = presentValue(path, nv);
    out.push(change);
  }
  return out;
}

/** Path order: alphabetical, with array indexes in numeric order (`items[2]` before `items[10]`). */
function comparePaths(a: string, b: string): number {
  const pad = (s: string) => s.replace(/\[(\d+)\]/g, (_, d: string) => `[${d.padStart(6, "0")}]`);
  const pa = pad(a);
  const pb = pad(b);
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}

function opOf(raw: string): Operation | "same" | undefined {
  switch (raw) {
    case "create":
    case "import":
      return "create";
    case "update":
      return "update";
    case "delete":
      return "delete";
    case "replace":
    case "create-replacement":
    case "delete-replaced":
    case "import-replacement":
      return "replace";
    case "same":
    case "read":
    case "refresh":
      return "same";
    default:
      return undefined;
  }
}

const OP_RANK: Record<Operation, number> = { delete: 0, replace: 1, update: 2, create: 3 };

function skipped(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** Merges the step events of one resource (a replace emits up to three) into one change. */
function toChange(urn: string, steps: StepEventMetadata[]): ResourceChange | "same" | undefined {
  let op: Operation | "same" | undefined;
  for (const s of steps) {
    const o = opOf(s.op);
    if (o === undefined) continue;
    // Any replace step makes the whole a replace; otherwise the first real operation wins.
    if (o === "replace") op = "replace";
    else if (op === undefined || op === "same") op = o;
  }
  if (op === undefined || op === "same") return op;
  // With a refresh first, the refresh step holds the state before it and what the vendor has now;
  // the operation's own step compares what the vendor has with what the program declares.
  const refreshed = steps.find((s) => s.op === "refresh");
  const real = steps.filter((s) => s !== refreshed);
  const withBoth = real.find((s) => s.old && s.new) ?? real[0] ?? steps[0]!;
  const oldState = real.find((s) => s.old)?.old ?? (refreshed ? undefined : steps.find((s) => s.old)?.old);
  const newState = op === "delete" ? undefined : real.find((s) => s.new)?.new;
  const type = withBoth.type;
  const { backend, kind } = describeType(type);
  const keys = [...new Set(steps.flatMap((s) => s.keys ?? []))].sort();
  const change: ResourceChange = {
    urn,
    name: nameOfUrn(urn),
    type,
    backend,
    kind,
    op,
    replaceReasons: op === "replace" ? keys : [],
    fields: fieldChanges(oldState?.inputs, newState?.inputs),
  };
  if (refreshed?.old) {
    if (op === "create" && !oldState) {
      change.drift = "deleted";
    } else {
      // The operation's step starts from what the read found; where that differs from the state
      // before the refresh, the vendor changed it.
      const drifted = new Set(
        [
          ...fieldChanges(refreshed.old.inputs, oldState?.inputs),
          ...fieldChanges(refreshed.old.outputs, oldState?.outputs),
        ].map((f) => f.field),
      );
      // A field the read reports but neither the state before it nor the program holds (an optional
      // input left out, such as a generated slug) is not something the update changes.
      const before = leaves(refreshed.old.inputs);
      change.fields = change.fields.filter((f) => "new" in f || before.has(f.field));
      for (const f of change.fields) if (drifted.has(f.field)) f.drift = true;
      if (change.fields.some((f) => f.drift)) change.drift = "changed";
    }
  }
  if (isLink(type)) {
    const oldSlug = oldState?.outputs?.["slug"] ?? oldState?.inputs?.["slug"];
    const newSlug = newState?.inputs?.["slug"];
    if (oldSlug !== undefined || newSlug !== undefined) {
      const slug: { old?: unknown; new?: unknown } = {};
      if (oldSlug !== undefined) slug.old = presentValue("slug", oldSlug);
      if (newSlug !== undefined) slug.new = presentValue("slug", newSlug);
      change.slug = slug;
    }
    const url = str(oldState?.outputs?.["url"]) ?? str(refreshed?.old?.outputs?.["url"]);
    if (url !== undefined) change.url = url;
    if (change.drift === "deleted" && change.slug === undefined) {
      const gone = refreshed?.old?.outputs?.["slug"];
      if (gone !== undefined) change.slug = { old: presentValue("slug", gone) };
    }
  }
  return change;
}

/**
 * The warnings of one resource change. Their messages are plain text (the JSON report's, read by
 * programs); `markdown` gives the same with the name in bold and slugs as code, for the comment.
 */
function warningsFor(c: ResourceChange, markdown = false): Warning[] {
  const out: Warning[] = [];
  const code = (s: string) => (markdown ? `\`${s}\`` : JSON.stringify(s));
  const what = `${c.backend} ${c.kind} ${markdown ? `**${c.name}**` : JSON.stringify(c.name)}`;
  const stops = c.url ? `: ${c.url} stops working` : "";
  if (isLink(c.type) && c.op === "delete") {
    out.push({ kind: "link-removed", urn: c.urn, name: c.name, message: `${what} will be deleted${stops}.` });
  }
  if (isLink(c.type) && c.op === "replace") {
    const why = c.replaceReasons.length > 0 ? ` (because of ${c.replaceReasons.join(", ")})` : "";
    out.push({
      kind: "link-replaced",
      urn: c.urn,
      name: c.name,
      message: `${what} will be deleted and created anew${why}${stops || ""}; its URL may change.`,
    });
  }
  if (!isLink(c.type) && isLibraryResource(c.type) && (c.op === "delete" || c.op === "replace")) {
    out.push({
      kind: "catalog-removed",
      urn: c.urn,
      name: c.name,
      message: `${what} will be ${c.op === "delete" ? "deleted" : "replaced"}: checkout links that sell it stop working.`,
    });
  }
  if (isLink(c.type) && c.drift === "deleted") {
    // Slug-addressed links come back under their URL; a Polar link's URL holds a new client secret.
    const sameUrl =
      isBackendName(c.backend) && backendEntry(c.backend).linkUrl === "slug" && c.slug?.new !== undefined;
    out.push({
      kind: "link-recreated",
      urn: c.urn,
      name: c.name,
      message: sameUrl
        ? `${what} was deleted outside Pulumi; repairing it creates it again under the same slug.`
        : `${what} was deleted outside Pulumi; repairing it creates a new link with a new URL${c.url ? `: ${c.url} stays dead` : ""}.`,
    });
  }
  const slugChange = c.fields.find((f) => f.field === "slug");
  if ((c.op === "update" || c.op === "replace") && slugChange) {
    const from = slugChange.old === undefined ? "(generated)" : String(slugChange.old);
    const to = slugChange.new === undefined ? "(generated)" : String(slugChange.new);
    out.push({
      kind: "slug-change",
      urn: c.urn,
      name: c.name,
      message: `${what} changes its published slug from ${code(from)} to ${code(to)}${stops}.`,
    });
  }
  return out;
}

/** Builds the report from the engine events of one preview, update, refresh or destroy. */
export function buildReport(events: readonly EngineEvent[], ctx: ReportContext): Report {
  const byUrn = new Map<string, StepEventMetadata[]>();
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (!m || skipped(m.type)) continue;
    const list = byUrn.get(m.urn);
    if (list) list.push(m);
    else byUrn.set(m.urn, [m]);
  }
  const summary: Summary = { create: 0, update: 0, replace: 0, delete: 0, same: 0 };
  const resources: ResourceChange[] = [];
  for (const [urn, steps] of byUrn) {
    const c = toChange(urn, steps);
    if (c === undefined) continue;
    if (c === "same") {
      summary.same++;
      continue;
    }
    summary[c.op]++;
    resources.push(c);
  }
  resources.sort(
    (a, b) =>
      OP_RANK[a.op] - OP_RANK[b.op] ||
      a.backend.localeCompare(b.backend) ||
      a.kind.localeCompare(b.kind) ||
      a.name.localeCompare(b.name),
  );
  const warnings = resources.flatMap((c) => warningsFor(c));
  const failures = failuresOf(events);
  return {
    schemaVersion: 1,
    command: ctx.command,
    project: ctx.project,
    stack: ctx.stack,
    hasChanges: resources.length > 0,
    summary,
    warnings,
    resources,
    ...(failures.length > 0 ? { failures } : {}),
    ...(ctx.endpoints ? { endpoints: ctx.endpoints(backendsOf(events)) } : {}),
  };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

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

function plural(n: number, word: string): string {
  return `${n} ${word}`;
}

function summaryLine(s: Summary): string {
  const parts: string[] = [];
  if (s.create) parts.push(plural(s.create, "to create"));
  if (s.update) parts.push(plural(s.update, "to update"));
  if (s.replace) parts.push(plural(s.replace, "to replace"));
  if (s.delete) parts.push(plural(s.delete, "to delete"));
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

/** The Markdown report for a pull-request comment. */
export function renderMarkdown(report: Report): string {
  const lines: string[] = [];
  const title = report.command === "preview" ? "preview" : report.command;
  lines.push(`### Checkout links ${title}: \`${report.project}\` / \`${report.stack}\``, "");
  const warnings = report.resources.flatMap((c) => warningsFor(c, true));
  if (warnings.length > 0) {
    lines.push("> [!CAUTION]");
    lines.push("> **Published checkout links will change or disappear. Customers holding the old URLs will");
    lines.push("> land on an error page.**");
    lines.push(">");
    for (const w of warnings) lines.push(`> - :warning: ${w.message}`);
    lines.push("");
  }
  lines.push(summaryLine(report.summary), "");
  if (report.endpoints && report.endpoints.length > 0) {
    const list = report.endpoints.map(
      (e) => `${e.backend}${e.account === "default" ? "" : ` (account ${e.account})`} → ${e.url}`,
    );
    lines.push(`Endpoints: ${list.join(", ")}`, "");
  }
  if (report.resources.length > 0) {
    lines.push("| Operation | Resource | Backend | Slug | Changed fields |");
    lines.push("|---|---|---|---|---|");
    for (const c of report.resources) {
      const fields =
        c.op === "create" || c.op === "delete"
          ? ""
          : c.fields.map((f) => `\`${f.field}\``).join(", ") || "_(none visible)_";
      lines.push(
        `| ${OP_LABEL[c.op]} | **${escapeHtml(c.name)}** (${c.kind}) | ${c.backend} | ${slugCell(c)} | ${fields} |`,
      );
    }
    lines.push("");
    for (const c of report.resources) {
      lines.push(`#### ${OP_LABEL[c.op]} ${escapeHtml(c.name)} (${c.backend} ${c.kind})`, "");
      if (c.url) lines.push(`Current URL: ${c.url}`, "");
      if (c.op === "replace" && c.replaceReasons.length > 0) {
        lines.push(`Replaced because of: ${c.replaceReasons.map((k) => `\`${k}\``).join(", ")}`, "");
      }
      if (c.fields.length === 0) {
        lines.push("_No visible field changes (a secret value or the provider's code changed)._", "");
        continue;
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
    }
  }
  if (report.links && report.links.length > 0) {
    lines.push(...renderLinksMarkdown(report.links), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

function renderLinksMarkdown(links: readonly LinkRow[]): string[] {
  const out = ["| Backend | Name | Slug | URL |", "|---|---|---|---|"];
  for (const l of links) {
    out.push(`| ${l.backend} | ${escapeHtml(l.name)} | ${l.slug ? cell(l.slug, true) : ""} | ${l.url} |`);
  }
  return out;
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
