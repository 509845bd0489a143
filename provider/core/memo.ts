/**
 * Builds a value once per process. The zod schemas are made by factories (so that each caller gets
 * the same schema and types come from one place); building one costs about a millisecond, which a
 * check, a diff and a create per resource would otherwise pay several times over.
 */
const built = new Map<string, unknown>();

export function once<T>(key: string, build: () => T): T {
  if (built.has(key)) return built.get(key) as T;
  const value = build();
  built.set(key, value);
  return value;
}
