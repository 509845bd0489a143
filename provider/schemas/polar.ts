/** Loaded by state written by version 0.1.0 (see provider/legacy.ts); the schemas live in polar/schemas.ts. */
export * from "../polar/schemas";
