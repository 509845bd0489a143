/** Loaded by state written by version 0.1.0 (see provider/legacy.ts); the schemas live in core/schemas.ts. */
export * from "../core/schemas";
