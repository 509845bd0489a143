/**
 * Refusals of the package itself, as opposed to a vendor's answer ({@link ApiError}): each carries a
 * stable code that a program or a pipeline can match on. The engine hands a provider's error to the
 * user as text only, so the code also leads the message, in brackets as Node.js prints its own codes:
 *
 * ```text
 * error: [SLUG_TAKEN] coreapi: the slug "pro" is already used by another checkout link. …
 * ```
 */

/**
 * What went wrong, one code per way out:
 * - `SLUG_TAKEN`: another checkout link (or Polar custom field) holds the slug; set `adopt: true`
 *   or choose another slug.
 * - `CODE_TAKEN`: another coreapi plan (archived ones included) holds the plan code.
 * - `MISSING_TOKEN`: no token is configured for the account a resource uses.
 * - `ADOPT_MISMATCH`: the object `adopt` found cannot become what is declared (a link's tier, a
 *   product's billing interval: the vendor cannot change them).
 * - `ADOPT_AMBIGUOUS`: more than one object matches what `adopt` looks for.
 */
export type CheckoutLinksErrorCode =
  | "SLUG_TAKEN"
  | "CODE_TAKEN"
  | "MISSING_TOKEN"
  | "ADOPT_MISMATCH"
  | "ADOPT_AMBIGUOUS";

/** A refusal with a stable {@link CheckoutLinksErrorCode}; the message starts with `[CODE]`. */
export class CheckoutLinksError extends Error {
  /** The stable code; the message may change between releases, the code does not. */
  readonly code: CheckoutLinksErrorCode;

  constructor(code: CheckoutLinksErrorCode, message: string, options?: { cause?: unknown }) {
    super(`[${code}] ${message}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "CheckoutLinksError";
    this.code = code;
  }
}

/**
 * Whether `e` is a {@link CheckoutLinksError}, of `code` when given. It checks the name and the code
 * rather than the class, so that an error from another installed copy of the package counts too.
 */
export function isCheckoutLinksError(e: unknown, code?: CheckoutLinksErrorCode): e is CheckoutLinksError {
  if (!(e instanceof Error) || e.name !== "CheckoutLinksError") return false;
  const own = (e as { code?: unknown }).code;
  return typeof own === "string" && (code === undefined || own === code);
}
