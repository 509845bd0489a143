/**
 * The exchange recorder: every API request the emulator answers, with its answer, appended as one
 * JSON line to a file of its own in a folder, so that something outside the emulator (the test
 * suite's OpenAPI check) can judge requests and responses against the vendors' published
 * descriptions rather than against the emulator's own schemas.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface Exchange {
  /** The backend family (`polar`, `fynn`). */
  family: string;
  method: string;
  /** Path inside the family's prefix, as the vendor's API description names it. */
  path: string;
  /** The query string, `?` included, or empty. */
  query: string;
  /** The parsed JSON request body, absent when there was none. */
  request?: unknown;
  /** null when the connection was dropped. */
  status: number | null;
  response?: unknown;
  /** The fault that shaped the answer (status, corrupt, drop), if any: its answer is not the vendor's. */
  fault?: string;
}

export class ExchangeRecorder {
  private readonly file: string;
  private ready = false;

  constructor(dir: string) {
    this.file = path.join(
      dir,
      `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.jsonl`,
    );
  }

  /**
   * Appends one exchange. Synchronous, so that an emulator closed right after its last answer has
   * recorded it; never throws, since recording must not change an answer (a folder removed under
   * a running emulator is made again).
   */
  write(exchange: Exchange): void {
    const line = `${JSON.stringify(exchange)}\n`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        if (!this.ready || attempt > 0) {
          fs.mkdirSync(path.dirname(this.file), { recursive: true });
          this.ready = true;
        }
        fs.appendFileSync(this.file, line);
        return;
      } catch {
        // Try once more after making the folder again.
      }
    }
  }
}
