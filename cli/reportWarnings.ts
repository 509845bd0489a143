/**
 * The warnings of a report: changes that break what buyers hold, a published checkout link or what
 * it sells. Which resources are links and which inputs publish come from the resources' specs
 * ({@link typeFacts}), the same diff tables the providers and the README use.
 */
import type { ResourceChange, Warning } from "./report";
import { isLibraryResource, typeFacts, urlFollowsSlug } from "./resourceTypes";

/** How a warning writes a name and a value: plain text (JSON report) or Markdown (the comment). */
interface Style {
  name(s: string): string;
  value(s: string): string;
}

/**
 * What an input left out means, as a warning names it: the vendor generates a slug left out; any
 * other input left out takes its default (a link's account: the default account).
 */
function absent(field: string): string {
  return field === "slug" ? "(generated)" : "(default)";
}

const PLAIN: Style = { name: (s) => JSON.stringify(s), value: (s) => JSON.stringify(s) };
const MARKDOWN: Style = { name: (s) => `**${s}**`, value: (s) => `\`${s}\`` };

/**
 * The warnings of one resource change. Their messages are plain text (the JSON report's, read by
 * programs); `markdown` gives the same with the name in bold and values as code, for the comment.
 */
export function warningsFor(c: ResourceChange, markdown = false): Warning[] {
  const style = markdown ? MARKDOWN : PLAIN;
  const what = `${c.backend} ${c.kind} ${style.name(c.name)}`;
  const stops = c.url ? `: ${c.url} stops working` : "";
  const warn = (kind: Warning["kind"], message: string): Warning => ({
    kind,
    urn: c.urn,
    name: c.name,
    message,
  });
  const facts = typeFacts(c.type);
  const out: Warning[] = [];
  if (facts.link && c.op === "delete") {
    out.push(warn("link-removed", `${what} will be deleted${stops}.`));
  }
  if (facts.link && c.op === "replace") {
    const why = c.replaceReasons.length > 0 ? ` (because of ${c.replaceReasons.join(", ")})` : "";
    out.push(
      warn("link-replaced", `${what} will be deleted and created anew${why}${stops}; its URL may change.`),
    );
  }
  if (!facts.link && isLibraryResource(c.type) && (c.op === "delete" || c.op === "replace")) {
    const verb = c.op === "delete" ? "deleted" : "replaced";
    out.push(warn("catalog-removed", `${what} will be ${verb}: checkout links that sell it stop working.`));
  }
  if (facts.link && c.drift === "deleted") {
    // Slug-addressed links come back under their URL; a Polar link's URL holds a new client secret.
    const sameUrl = urlFollowsSlug(c.backend) && c.slug?.new !== undefined;
    out.push(
      warn(
        "link-recreated",
        sameUrl
          ? `${what} was deleted outside Pulumi; repairing it creates it again under the same slug.`
          : `${what} was deleted outside Pulumi; repairing it creates a new link with a new URL${c.url ? `: ${c.url} stays dead` : ""}.`,
      ),
    );
  }
  if (c.op === "update" || c.op === "replace") {
    for (const field of facts.publishing) {
      const change = c.fields.find(
        (f) => f.field === field || f.field.startsWith(`${field}.`) || f.field.startsWith(`${field}[`),
      );
      if (change === undefined) continue;
      const from = change.old === undefined ? absent(change.field) : String(change.old);
      const to = change.new === undefined ? absent(change.field) : String(change.new);
      out.push(
        warn(
          "slug-change",
          `${what} changes its published ${change.field} from ${style.value(from)} to ${style.value(to)}${stops}.`,
        ),
      );
    }
  }
  return out;
}
