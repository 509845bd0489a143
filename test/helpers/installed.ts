/**
 * The package as users install it (see scripts/user-project.cjs, shared with the deploy benchmark):
 * the packed tarball installed into a user project outside the repository, and program folders in it.
 */
export {
  exampleProject,
  installProject,
  newProject,
  type ProgramFiles,
  pack,
  USER_TSCONFIG,
} from "../../scripts/user-project.cjs";
