/** Loaded by state written by version 0.1.0 (see provider/legacy.ts); nothing else uses it. */
export {
  accountName,
  checkArgs,
  FynnAccounts,
  isUniqueConflict,
  jsonSafe,
  PartialCreateError,
  settledLookup,
  settleMsFor,
  slugTakenError,
  warnPublishing,
} from "../legacy";
