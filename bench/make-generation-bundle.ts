// Writes one generation of the synthetic consistency bundle to a directory:
//   tsx bench/make-generation-bundle.ts <dir> --generation 2 [--latents-per-sae 2000] [--saes 2]
import { parseArgs } from "node:util";
import { writeGenerationBundle } from "./lib/generation-bundle";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    generation: { type: "string" },
    "latents-per-sae": { type: "string", default: "500" },
    saes: { type: "string", default: "2" },
  },
});
const generation = Number(values.generation);
const latentsPerSae = Number(values["latents-per-sae"]);
const saes = Number(values.saes);
if (positionals.length !== 1 || !Number.isInteger(generation) || generation < 1 || generation > 999 || !(latentsPerSae >= 1) || !(saes >= 1)) {
  console.error("usage: tsx bench/make-generation-bundle.ts <dir> --generation N (1..999) [--latents-per-sae N] [--saes N]");
  process.exit(2);
}
writeGenerationBundle(positionals[0]!, { generation, latentsPerSae, saes }).then(
  (b) => console.error(`wrote ${b.bundleId}: ${Object.entries(b.rows).map(([f, n]) => `${f} ${n}`).join(", ")}`),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
