/**
 * The emulator's persisted state: plain JSON, shown on `/_emulator/state` and written to the data
 * file. It is a container of slices, one per vendor module and keyed by its backend's name; each
 * vendor declares its slice ({@link StateSlice}) next to its routes, and this file knows none of
 * them. Records keep what the server stores; response-only fields (names of referenced objects,
 * urls, back-references) are derived when rendering, so they never go stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const STATE_VERSION = 1;

/** Everything stored: the layout version, and each vendor's slice under its backend's name. */
export interface StateContainer {
  version: typeof STATE_VERSION;
  [backend: string]: unknown;
}

/**
 * A vendor's part of the state, declared by its vendor module and stored under its backend's name.
 * Reset returns it to {@link StateSlice.empty} (or to {@link StateSlice.examples} with
 * `seed: "examples"`), the state route shows it, and the data file keeps it across restarts.
 */
export interface StateSlice<S> {
  /** The slice of a fresh emulator. */
  empty(): S;
  /**
   * The objects the vendor's documentation examples point at, owned by `orgId` and created `at`,
   * so those examples replay verbatim (`seed: "examples"`); default: {@link StateSlice.empty}.
   */
  examples?(orgId: string, at: string): S;
  /** The slice as a data file of an earlier layout holds it, brought up to date; default: as stored. */
  upgrade?(stored: S): S;
}

/** The slices of the vendors an emulator serves, by backend name, in registration order. */
export type Slices = ReadonlyMap<string, StateSlice<unknown>>;

/** A state whose slices are made by `make` (default: empty), in the order of `slices`. */
export function newState(
  slices: Slices,
  make: (slice: StateSlice<unknown>) => unknown = (slice) => slice.empty(),
): StateContainer {
  const state: StateContainer = { version: STATE_VERSION };
  for (const [key, slice] of slices) state[key] = make(slice);
  return state;
}

/**
 * Reads a persisted state; a missing file yields undefined, a corrupt one throws (never silently
 * reset). A slice the file lacks (its vendor was not served when the file was written) starts
 * empty; slices of vendors not served now are kept as they are, so saving does not lose them.
 */
export function loadState(file: string, slices: Slices): StateContainer | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StateContainer> | null;
  const isObject = (value: unknown) => value !== null && typeof value === "object" && !Array.isArray(value);
  if (
    !isObject(parsed) ||
    parsed?.version !== STATE_VERSION ||
    ![...slices.keys()].every((key) => parsed[key] === undefined || isObject(parsed[key]))
  ) {
    throw new Error(`${file} is not an emulator data file of version ${STATE_VERSION}`);
  }
  const state = parsed as StateContainer;
  for (const [key, slice] of slices) {
    const stored = state[key];
    state[key] = stored === undefined ? slice.empty() : slice.upgrade ? slice.upgrade(stored) : stored;
  }
  return state;
}

/**
 * Writes the state so that a crash at any moment leaves either the old or the new file: write a
 * temporary file in the same directory, flush it, then rename over the target (atomic on POSIX).
 */
export function saveState(file: string, state: StateContainer): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, "w");
  try {
    fs.writeSync(fd, JSON.stringify(state));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
