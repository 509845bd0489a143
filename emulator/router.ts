/** Route matching: `:name` parameters, one path segment each; a path matched by other methods is a 405. */
import type { Route } from "./app";

interface CompiledRoute extends Route {
  regex: RegExp;
  keys: string[];
}

function compile(route: Route): CompiledRoute {
  const keys: string[] = [];
  const source = route.pattern
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        keys.push(segment.slice(1));
        return "([^/]+)";
      }
      return segment.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return { ...route, regex: new RegExp(`^${source}$`), keys };
}

export class Router {
  private routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map(compile);
  }

  /** The first route of `method` matching `path` with its parameters, else the methods that match it. */
  match(
    method: string,
    path: string,
  ): { route: CompiledRoute; params: Record<string, string> } | { allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const found = route.regex.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        params[key] = decodeURIComponent(found[i + 1] ?? "");
      });
      return { route, params };
    }
    return { allowed };
  }
}
