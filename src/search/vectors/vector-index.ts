// Vector search behind one interface: the in-isolate index read from R2
// (local mode, tests, small deployments) and Cloudflare Vectorize (large ones).

export interface VectorFilter {
  /** Restrict to these SAE ids (sources); empty or absent: all. */
  saes?: string[];
  /** Restrict to SAEs at these layers; empty or absent: all. */
  layers?: number[];
  /** Drop hits whose cosine is below this. */
  minScore?: number;
}

export interface VectorHit {
  release: number;
  /** Explanation id within the release (= its row in explanation_vectors.f32). */
  explanation: number;
  sae: string;
  layer: number;
  /** Latent index within the SAE. */
  index: number;
  /** Cosine similarity to the query vector. */
  score: number;
}

/** The release of one model that a search reads. */
export interface ReleaseRef {
  model: string;
  release: number;
}

export interface VectorIndex {
  readonly name: "local" | "vectorize";
  /** The topK nearest explanations of one release, best first, with cosine scores (exact unless the backend says otherwise). */
  query(release: ReleaseRef, vector: Float32Array, topK: number, filter: VectorFilter): Promise<VectorHit[]>;
  /** The stored vectors of several explanations of one release, in order (null where absent), in as few reads as the backend allows. */
  vectorsOf(release: ReleaseRef, explanations: number[]): Promise<(Float32Array | null)[]>;
}

/** Thrown when a release's index is not where the backend reads it (a 503 to callers). */
export class IndexUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IndexUnavailable";
  }
}
