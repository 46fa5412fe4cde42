// Tells "no such route" (404) apart from "this route exists, with another
// method" (405 with an Allow header), from the routes the app registered.
import type { Hono } from "hono";

interface RegisteredRoute {
  method: string;
  path: string;
}

function toPattern(path: string): RegExp {
  const source = path
    .split("/")
    .map((part) => (part.startsWith(":") ? "[^/]+" : part === "*" ? ".*" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  return new RegExp(`^${source}/?$`);
}

export function allowedMethods(app: Pick<Hono, "routes">, path: string): string[] {
  const methods = new Set<string>();
  for (const route of app.routes as RegisteredRoute[]) {
    if (route.method === "ALL" || route.path.endsWith("*")) continue;
    if (toPattern(route.path).test(path)) methods.add(route.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}
