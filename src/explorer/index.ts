// Placeholder until the explorer page lands.
import { createRouter } from "../router";

export const explorerRoutes = () => createRouter();
