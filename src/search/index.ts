// Placeholder until the search routes land.
import { createRouter } from "../router";

export const searchRoutes = () => createRouter();
