/**
 * What both Fynn API generations share: coreapi.io (the V2 Plans API) and the classic API are served
 * by one host, with one organisation token and one error dialect (Symfony / API Platform bodies
 * `{title, detail, violations: [{propertyPath, message}]}`), and list in the same envelope.
 */
import { z } from "zod";
import type { Backend } from "./core/backend";
import { isApiError, slugTakenError } from "./core/errors";

export { isFynnNotFoundBody, parseFynnErrorBody } from "./fynnFamilyErrors";

/** Classic collection envelope `{data, meta: {pagination}}`. @internal */
export function fynnList<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    meta: z.object({
      pagination: z.object({
        totalItems: z.int(),
        itemsPerPage: z.int(),
        currentPage: z.int(),
        lastPage: z.int(),
        pageTotalItems: z.int(),
      }),
    }),
  });
}

/** One field error of a Fynn error body. @internal */
export const fynnViolationSchema = z.object({
  propertyPath: z.string(),
  message: z.string(),
  code: z.string().nullable(),
});

/** The error body of both generations (documented for classic, inferred for V2). @internal */
export const fynnErrorBodySchema = z.object({
  title: z.string(),
  detail: z.string(),
  violations: z.array(fynnViolationSchema).optional(),
});

/** @deprecated use {@link fynnViolationSchema} @internal */
export const fynnViolation = () => fynnViolationSchema;
/** @deprecated use {@link fynnErrorBodySchema} @internal */
export const fynnErrorBody = () => fynnErrorBodySchema;

/** @internal */
export type FynnViolation = z.infer<typeof fynnViolationSchema>;
/** @internal */
export type FynnErrorBody = z.infer<typeof fynnErrorBodySchema>;

/**
 * A create refused because a field must be unique: a 409, or (the status is undocumented, and
 * Symfony validators answer 422) a violation on that field saying it is already used.
 */
export function isUniqueConflict(e: unknown, field: string): boolean {
  if (!isApiError(e)) return false;
  if (e.code === "CONFLICT")
    return e.fieldErrors.length === 0 || e.fieldErrors.some((f) => f.field === field);
  return e.fieldErrors.some((f) => f.field === field && /already|taken|unique/i.test(f.message));
}

/**
 * What a refused create of a link with a declared slug becomes when the slug is taken: the error
 * that says how to adopt the link ({@link slugTakenError}); undefined for any other refusal.
 */
export function slugRefusal(backend: Backend) {
  return (e: unknown, args: { slug?: string | undefined }): Error | undefined =>
    args.slug !== undefined && isUniqueConflict(e, "slug")
      ? slugTakenError(backend, args.slug, e)
      : undefined;
}
