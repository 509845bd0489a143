export * from "./accounts";
export * from "./check";
export * from "./config";
export * from "./diff";
export * from "./errors";
export * from "./http";
export * from "./resource";
