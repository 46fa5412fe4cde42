import type { D1Migration } from "@cloudflare/vitest-plugin";
import type { Env as AppBindings } from "../src/env";

declare global {
  namespace Cloudflare {
    interface Env extends AppBindings {
      TEST_MIGRATIONS: D1Migration[];
    }
    // Types `exports.default` from cloudflare:workers as the Worker's own export.
    interface GlobalProps {
      mainModule: typeof import("../src/index");
    }
  }
}
