// The Feature Atlas Worker: middleware, then one router per resource.
import { HTTPException } from "hono/http-exception";
import { ApiError, errorResponse } from "./errors";
import { requestId } from "./middleware/request-id";
import { publicCors } from "./middleware/cors";
import { bodyLimits } from "./middleware/body-limit";
import { authenticate } from "./middleware/auth";
import { rateLimit } from "./middleware/rate-limit";
import { releaseCache } from "./middleware/release-cache";
import { allowedMethods } from "./middleware/method-not-allowed";
import { createRouter } from "./router";
import { coreRoutes } from "./core";
import { renderDocsPage } from "./core/docs-page";
import { searchRoutes } from "./search";
import { compareRoutes } from "./compare";
import { decodeRoutes } from "./decode";
import { explorerRoutes } from "./explorer";

const OPENAPI_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "Feature Atlas API",
    version: "0.1.0",
    description:
      "Search, compare and decode the features (SAE latents, MLP neurons) of language models: explanations with scores, top examples, LM-head decodings and cross-SAE matches.",
  },
};

export function createApp() {
  const app = createRouter();
  app.use("*", requestId());
  app.use("*", publicCors());
  app.use("*", bodyLimits());
  app.use("*", authenticate());
  app.use("*", rateLimit());
  app.use("*", releaseCache());

  app.route("/", coreRoutes());
  app.route("/", searchRoutes());
  app.route("/", compareRoutes());
  app.route("/", decodeRoutes());
  app.route("/", explorerRoutes());

  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key: `Authorization: Bearer fa_...` (or the `X-Api-Key` header). Admin routes need admin scope.",
  });
  const spec = () => app.getOpenAPI31Document(OPENAPI_CONFIG);
  app.get("/openapi.json", (c) => c.json(spec()));
  app.get("/docs", (c) => c.html(renderDocsPage(spec() as unknown as Record<string, unknown>)));

  app.notFound((c) => {
    const allow = allowedMethods(app, c.req.path);
    if (allow.length) {
      c.header("Allow", allow.join(", "));
      return errorResponse(c, new ApiError("METHOD_NOT_ALLOWED", `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allow.join(", ")}`));
    }
    return errorResponse(c, new ApiError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`));
  });
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
