// biome-ignore-all assist/source/organizeImports: the re-exports hidden from the declarations (stripInternal) must stay statements of their own
/** Loaded by state written by version 0.1.0 (see provider/legacy.ts); nothing else uses it. */
export {
  FynnAccounts,
  isUniqueConflict,
  jsonSafe,
  PartialCreateError,
  settledLookup,
  settleMsFor,
  slugTakenError,
  warnPublishing,
} from "../legacy";
/** @internal zod-typed, kept out of the package's declarations. */
export { accountName, checkArgs } from "../legacy";
