// biome-ignore-all assist/source/organizeImports: an @internal re-export must stay its own statement (stripInternal drops it from the declarations)
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
