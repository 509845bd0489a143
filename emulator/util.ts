/** Small helpers shared by the vendor modules. */
import { randomBytes, randomUUID } from "node:crypto";
import * as zlib from "node:zlib";
import type { z } from "zod";
import { POLAR_CLIENT_SECRET_PREFIX } from "../provider/polar/schemas";

/**
 * Schemas are factories (the provider needs that for Pulumi's serializer); the emulator is not
 * serialized, so it builds each schema once and reuses it, which keeps request handling cheap.
 */
const schemaCache = new Map<() => z.ZodType, z.ZodType>();
export function schema<T extends z.ZodType>(factory: () => T): T {
  let built = schemaCache.get(factory);
  if (!built) {
    built = factory();
    schemaCache.set(factory, built);
  }
  return built as T;
}

/** Ids are UUID v4 everywhere (Polar rejects other versions in paths). */
export function newId(): string {
  return randomUUID();
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(value: number, width: number): string {
  let out = "";
  let rest = value;
  while (rest > 0) {
    out = BASE62[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, "0");
}

function randomAlnum(length: number): string {
  const bytes = randomBytes(length * 2);
  let out = "";
  for (let i = 0; out.length < length && i < bytes.length; i++) {
    const byte = bytes[i]!;
    // Reject bytes above the largest multiple of 62 to keep the distribution uniform.
    if (byte < 248) out += BASE62[byte % 62];
  }
  return out.length === length ? out : out + randomAlnum(length - out.length);
}

/**
 * Polar's token format: prefix + 37 random alphanumerics + a 6-char base62 CRC32 checksum of the
 * random part (43 characters after the prefix), as `kit/crypto.py generate_token` does.
 */
export function polarClientSecret(): string {
  const random = randomAlnum(37);
  return `${POLAR_CLIENT_SECRET_PREFIX}${random}${base62(zlib.crc32(random), 6)}`;
}

/** Lower-kebab-case slug fragment of a free-text name. */
function slugify(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * A slug from `base` that `taken` does not contain: `base`, `base-2`, `base-3`, ... kept within
 * 3..64 characters.
 */
export function uniqueSlug(base: string, taken: (slug: string) => boolean): string {
  let stem = slugify(base).slice(0, 60).replace(/-+$/, "");
  if (stem.length < 3) stem = `${stem || "link"}-link`.replace(/^-/, "");
  if (!taken(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem.slice(0, 64 - String(n).length - 1)}-${n}`;
    if (!taken(candidate)) return candidate;
  }
}

/** ISO timestamp without milliseconds, as Fynn shows them (`2023-11-07T05:31:56Z`). */
export function fynnTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
