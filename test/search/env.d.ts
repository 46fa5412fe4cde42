declare global {
  namespace Cloudflare {
    interface Env {
      /** Serves model files and fixtures from the repository (test/search/fixture-server.ts). */
      SEARCH_FIXTURES: Fetcher;
    }
  }
}
export {};
