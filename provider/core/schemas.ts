/**
 * Building blocks shared by the wire schemas of all three backends.
 *
 * Each schema is a module constant, built when the module loads, so that types and callers share
 * one definition. Plain strings (regex sources) are safe to export.
 */
import { z } from "zod";

/** Slug rule documented by the Fynn V2 Plans API (and reused for plan codes). */
export const SLUG_PATTERN_SOURCE = "^[a-z0-9]([a-z0-9-]*[a-z0-9])?$";
export const SLUG_MIN_LENGTH = 3;
export const SLUG_MAX_LENGTH = 64;

/** A checkout-link slug: 3..64 chars of lower-case letters, digits and inner hyphens. */
export const slugSchema = z
  .string()
  .min(SLUG_MIN_LENGTH, { message: `Slug must be at least ${SLUG_MIN_LENGTH} characters long.` })
  .max(SLUG_MAX_LENGTH, { message: `Slug must be at most ${SLUG_MAX_LENGTH} characters long.` })
  .regex(new RegExp(SLUG_PATTERN_SOURCE), {
    message: "Slug may contain only lower-case letters, digits and inner hyphens.",
  });

/** Any RFC 9562 UUID (Fynn's examples use v7-looking ids, so the version is not pinned). */
export const uuidSchema = z.uuid();

/** ISO-8601 timestamp as the vendors send it (`Z` or an explicit offset). */
export const timestampSchema = z.iso.datetime({ offset: true });

/** True for an absolute `http:` or `https:` URL with a host. */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === "https:" || u.protocol === "http:") && u.hostname !== "";
  } catch {
    return false;
  }
}

/** A URL buyers are sent to: absolute, `http:` or `https:` (never `javascript:` or a bare word). */
export const httpUrlSchema = z
  .string()
  .refine(isHttpUrl, { message: "must be an http(s) URL, e.g. https://example.com/thanks" });

// The factories of version 0.1.0, which state it wrote still calls, and which the emulator imports.
/** @deprecated use {@link slugSchema} */
export const slug = () => slugSchema;
/** @deprecated use {@link uuidSchema} */
export const uuid = () => uuidSchema;
/** @deprecated use {@link timestampSchema} */
export const timestamp = () => timestampSchema;
/** @deprecated use {@link httpUrlSchema} */
export const httpUrl = () => httpUrlSchema;
