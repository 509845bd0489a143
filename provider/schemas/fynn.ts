/** Loaded by state written by version 0.1.0 (see provider/legacy.ts); the schemas live in fynn/schemas.ts. */
export * from "../fynn/schemas";
export { fynnErrorBody as fynnError, fynnList, fynnViolation } from "../fynnFamily";
