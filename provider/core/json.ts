/** JSON-safe values for the engine, which rejects `undefined` in inputs and outputs. */

/** `T` with `undefined` allowed for every key: what {@link jsonSafe} takes. */
export type Loose<T> = { [K in keyof T]: T[K] | undefined };

/** Drops `undefined` values: an optional key given as `undefined` is left out. */
export function jsonSafe<T extends object>(o: Loose<T>): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
