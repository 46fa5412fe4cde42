// Entry for the fixed local build (scripts/lib/dev-server.sh copies it next to
// the built index.js). wrangler dev's proxy forwards a request's body as a
// stream; when the Worker answers without reading it (a preflight, a 401, a
// 413), the proxy's write fails and it reports "Network connection lost" as a
// 500. A bundled `wrangler dev` adds a middleware that reads such bodies to
// the end; a no_bundle build gets none, so this entry does the same. Local
// serving only: deployments use src/index.ts as it is.
import worker from "./index.js";

export * from "./index.js";

async function drain(body) {
  const reader = body.getReader();
  for (;;) {
    const { done } = await reader.read();
    if (done) return;
  }
}

export default {
  ...worker,
  async fetch(request, env, ctx) {
    try {
      return await worker.fetch(request, env, ctx);
    } finally {
      if (request.body !== null && !request.bodyUsed) {
        await drain(request.body).catch(() => {});
      }
    }
  },
};
