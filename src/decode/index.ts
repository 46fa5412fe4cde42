// Placeholder until the LM-head decoding routes land.
import { createRouter } from "../router";

export const decodeRoutes = () => createRouter();
