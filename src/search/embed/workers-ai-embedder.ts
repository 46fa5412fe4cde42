// Workers AI behind the Embedder interface, for deployments that would rather
// not run the model in the isolate. The model it calls must be the model the
// bundle's explanations were embedded with (checked per release by the
// search service), so pick the batch side's embedding model to match.
import { l2Normalise, type Embedder } from "./embedder";

/** Workers AI model ids and the sentence-transformers names bundles use for them. */
export const WORKERS_AI_MODELS = {
  "@cf/baai/bge-small-en-v1.5": { model: "BAAI/bge-small-en-v1.5", dim: 384 },
  "@cf/baai/bge-base-en-v1.5": { model: "BAAI/bge-base-en-v1.5", dim: 768 },
  "@cf/baai/bge-large-en-v1.5": { model: "BAAI/bge-large-en-v1.5", dim: 1024 },
} as const;

export type WorkersAiModel = keyof typeof WORKERS_AI_MODELS;

/** The part of the AI binding used here. */
export interface AiBinding {
  run(model: string, inputs: { text: string[] }): Promise<unknown>;
}

export class WorkersAiEmbedder implements Embedder {
  readonly model: string;
  readonly dim: number;

  constructor(
    private readonly ai: AiBinding,
    private readonly aiModel: WorkersAiModel = "@cf/baai/bge-small-en-v1.5",
  ) {
    this.model = WORKERS_AI_MODELS[aiModel].model;
    this.dim = WORKERS_AI_MODELS[aiModel].dim;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const out = (await this.ai.run(this.aiModel, { text: texts })) as { shape?: unknown; data?: unknown };
    const data = out?.data;
    if (!Array.isArray(data) || data.length !== texts.length) {
      throw new Error(`Workers AI ${this.aiModel} returned ${Array.isArray(data) ? data.length : "no"} vectors for ${texts.length} texts`);
    }
    return data.map((row: unknown, i) => {
      if (!Array.isArray(row) || row.length !== this.dim || !row.every((x) => typeof x === "number" && Number.isFinite(x))) {
        throw new Error(`Workers AI ${this.aiModel}: vector ${i} is not ${this.dim} finite numbers`);
      }
      return l2Normalise(Float32Array.from(row as number[]));
    });
  }
}
