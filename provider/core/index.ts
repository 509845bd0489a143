// biome-ignore-all assist/source/organizeImports: the re-export hidden from the declarations (stripInternal) must stay a statement of its own
/** @internal */
export { accountName } from "./accounts";
export * from "./check";
export * from "./config";
export * from "./diff";
export * from "./errors";
export * from "./http";
export * from "./resource";
