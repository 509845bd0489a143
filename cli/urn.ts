/**
 * The parts of a resource URN (`urn:pulumi:<stack>::<project>::<parent$>type::<name>`) the command
 * reads: the resource's type token and its name in the program.
 */

/** The type token inside a URN, without the types of its parents. */
export function typeOfUrn(urn: string): string {
  const parts = urn.split("::");
  const types = parts[parts.length - 2] ?? "";
  return types.split("$").pop() ?? types;
}

/** The resource's name in the program: the last part of the URN. */
export function nameOfUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}
