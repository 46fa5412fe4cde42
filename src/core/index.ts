// Placeholder until the core routes land: models, SAEs, latents, ingest, Neuronpedia-compatible reads.
import { createRouter } from "../router";

export const coreRoutes = () => createRouter();
