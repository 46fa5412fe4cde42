// The Feature Atlas Worker: middleware, then one router per resource.
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env";
import { ApiError, errorResponse } from "./errors";
import { requestId } from "./middleware/request-id";
import { createRouter } from "./router";
import { coreRoutes } from "./core";
import { searchRoutes } from "./search";
import { compareRoutes } from "./compare";
import { decodeRoutes } from "./decode";
import { explorerRoutes } from "./explorer";

export function createApp() {
  const app = createRouter();
  app.use("*", requestId());

  app.route("/", coreRoutes());
  app.route("/", searchRoutes());
  app.route("/", compareRoutes());
  app.route("/", decodeRoutes());
  app.route("/", explorerRoutes());

  app.notFound((c) => errorResponse(c, new ApiError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    if (err instanceof HTTPException && err.status < 500) {
      const code = err.status === 413 ? "PAYLOAD_TOO_LARGE" : err.status === 405 ? "METHOD_NOT_ALLOWED" : "BAD_REQUEST";
      return errorResponse(c, new ApiError(code, err.message || "bad request"));
    }
    console.error(JSON.stringify({ requestId: c.get("requestId"), error: String(err), stack: (err as Error).stack }));
    return errorResponse(c, new ApiError("INTERNAL", "internal error; quote the request id when reporting it"));
  });
  return app;
}
