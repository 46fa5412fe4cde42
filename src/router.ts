// Every resource module builds its routes with `createRouter()`, so request
// validation failures everywhere produce the same error body.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env";
import { ApiError, errorResponse } from "./errors";

export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    strict: false,
    defaultHook: (result, c) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
        return errorResponse(c, new ApiError("BAD_REQUEST", `${where}${issue?.message ?? "invalid request"}`));
      }
    },
  });
}
