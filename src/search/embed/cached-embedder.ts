// Remembers the vectors of recent texts per isolate: paging through results
// with a cursor repeats the query, and popular queries repeat across users.
import type { Embedder } from "./embedder";

export class CachedEmbedder implements Embedder {
  private readonly cache = new Map<string, Float32Array>();

  constructor(
    private readonly inner: Embedder,
    private readonly capacity = 512,
  ) {}

  get model(): string {
    return this.inner.model;
  }

  get dim(): number {
    return this.inner.dim;
  }

  /** Query vectors held now, and the most it keeps. */
  get held(): { entries: number; capacity: number } {
    return { entries: this.cache.size, capacity: this.capacity };
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    if (missing.length) {
      const vectors = await this.inner.embed(missing);
      missing.forEach((t, i) => this.cache.set(t, vectors[i]!));
      while (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value!);
    }
    return texts.map((t) => {
      const v = this.cache.get(t)!;
      // Refresh its place, so the oldest unused entry is the one dropped.
      this.cache.delete(t);
      this.cache.set(t, v);
      return v;
    });
  }
}
