// Placeholder until the cross-SAE and LM-head routes land.
import { createRouter } from "../router";

export const compareRoutes = () => createRouter();
