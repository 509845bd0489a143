/**
 * The dependency rules of this package, checked by test/unit/dependency-rules.test.ts (and
 * `npm run deps`): dependencies point down. The provider core knows no backend: it is handed the
 * list of backends (provider/backends.ts) and never imports it, a backend folder or the registry
 * (provider/registry.ts) that maps types to providers; the one exception is the import path that
 * old state requires, provider/core/config.ts, which nothing in the core imports. No import cycle anywhere, so that each module
 * can be read, tested and loaded on its own.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "An import cycle: modules that can only be read, loaded and tested together. Move what both " +
        "sides need into a module of its own below them.",
      from: { path: "^(provider|cli|emulator)/" },
      to: { circular: true },
    },
    {
      name: "core-knows-no-backend",
      severity: "error",
      comment:
        "provider/core is handed what it needs of the backends (core/backend.ts BackendDirectory); " +
        "it imports nothing of the package above it: no backend folder, no list of backends, no registry.",
      from: { path: "^provider/core/", pathNot: "^provider/core/config\\.ts$" },
      to: { path: "^provider/", pathNot: "^provider/core/" },
    },
    {
      name: "core-config-is-only-a-path",
      severity: "error",
      comment:
        "provider/core/config.ts is the import path that state written by 0.1.0 requires (new " +
        "Accounts(get) over the built-in backends): it may import the list of backends and nothing " +
        "else above the core, and no core module imports it, so the core stays free of backends.",
      from: { path: "^provider/core/config\\.ts$" },
      to: { path: "^provider/", pathNot: "^provider/(core/|backends\\.ts$)" },
    },
    {
      name: "core-imports-no-config-path",
      severity: "error",
      comment: "See core-config-is-only-a-path: within the core, only its index re-exports config.ts.",
      from: { path: "^provider/core/", pathNot: "^provider/core/(config|index)\\.ts$" },
      to: { path: "^provider/core/config\\.ts$" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    // Type-only imports are dependencies too: a cycle of types is still one concept split in two.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
