/** The clock and sleep the HTTP client retries, paces and settles on. */

/** Clock and sleep, injectable so that tests of retry and pacing do not wait. */
export interface Timing {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
  /** Where a call that keeps retrying says so (at most every {@link PROGRESS_EVERY_MS}). */
  progress?(line: string): void;
}

/** The real clock. */
export const realTiming: Timing = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
  // The engine shows each line a dynamic provider writes as a message of the run; stderr keeps the
  // command's own stdout (reports) clean when it calls a vendor itself.
  progress: (line) => process.stderr.write(`${line}\n`),
};

/** How often a call that keeps retrying reports it, so that a long wait is not silent. */
export const PROGRESS_EVERY_MS = 10_000;
