// Explanation search: /v1/search, "more like this", and the
// Neuronpedia-compatible explanation search routes.
import { createRouter } from "../router";
import { neuronpediaSearchRoutes } from "./neuronpedia-search.routes";
import { searchRoutesV1 } from "./search.routes";
import { similarRoutes } from "./similar.routes";

export { nearestExplanations } from "./nearest";

export const searchRoutes = () => {
  const router = createRouter();
  router.route("/", searchRoutesV1());
  router.route("/", similarRoutes());
  router.route("/", neuronpediaSearchRoutes());
  return router;
};
