export declare const USER_TSCONFIG: { compilerOptions: Record<string, unknown>; files: string[] };
/** Packs `source` (a package folder with its dist built) into `dest`; returns the tarball's path. */
export declare function pack(source: string, dest: string): string;
/** A user project with `tarball` installed, made once per distinct tarball under `root`. Returns its folder. */
export declare function installProject(tarball: string, root?: string): string;
export interface ProgramFiles {
  /** The program's index.ts. */
  index: string;
  /** The Pulumi.yaml description. */
  description?: string;
}
/** A new Pulumi project folder inside the installed project, holding index.ts, Pulumi.yaml and tsconfig.json. */
export declare function newProject(installed: string, name: string, files: ProgramFiles): string;
/** A project running `examples/<example>/index.ts` as a user's copy of it. */
export declare function exampleProject(installed: string, example: string): string;
/** The Pulumi engine's root folder: PULUMI_ENGINE_ROOT, else what scripts/engine.sh finds or builds. */
export declare function engineRoot(): string;
