// The core routes: models, SAEs, latents, Neuronpedia-compatible reads and admin.
import { createRouter } from "../router";
import { adminRoutes } from "./admin.routes";
import { healthRoutes } from "./health.routes";
import { latentRoutes } from "./latents.routes";
import { modelRoutes } from "./models.routes";
import { neuronpediaRoutes } from "./neuronpedia.routes";

export const coreRoutes = () => {
  const router = createRouter();
  router.route("/", healthRoutes());
  router.route("/", modelRoutes());
  router.route("/", latentRoutes());
  router.route("/", neuronpediaRoutes());
  router.route("/", adminRoutes());
  return router;
};
