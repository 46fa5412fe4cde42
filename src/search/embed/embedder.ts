// Query embedding behind one interface, so the routes neither know nor care
// whether a query is embedded inside the isolate or by Workers AI.

export interface Embedder {
  /** The sentence-embedding model the vectors belong to (a bundle's `embedding.model`). */
  readonly model: string;
  readonly dim: number;
  /** One L2-normalised vector per text, in order. */
  embed(texts: string[]): Promise<Float32Array[]>;
}

/** Thrown when the model files an embedder needs are not where it reads them. */
export class EmbedderUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmbedderUnavailable";
  }
}

export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i]! /= norm;
  return v;
}
