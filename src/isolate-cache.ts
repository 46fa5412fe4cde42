// Values kept for the life of an isolate (query model, search indexes, SAE
// lists), least recently used dropped first.
//
// Only loaded values are shared, never a pending load: workerd cancels the
// continuations of a request that awaits a promise created by another
// request once that other request has ended (a client that hung up during a
// cold start would leave every later request of the isolate waiting
// forever). So requests that miss at the same moment each load; the first
// value stored wins and the others are dropped.

export interface CacheLimits<V> {
  /** How many values at most. */
  capacity: number;
  /** With `weigh`: the most their weights may add up to; the newest value is kept even when it alone is heavier. */
  budget?: number;
  weigh?: (value: V) => number;
}

export class IsolateCache<K, V> {
  private readonly values = new Map<K, V>();
  private readonly limits: CacheLimits<V>;

  constructor(limits: number | CacheLimits<V>) {
    this.limits = typeof limits === "number" ? { capacity: limits } : limits;
  }

  private weight(): number {
    const weigh = this.limits.weigh;
    return weigh ? [...this.values.values()].reduce((sum, v) => sum + weigh(v), 0) : 0;
  }

  private overLimits(): boolean {
    const { capacity, budget } = this.limits;
    return this.values.size > capacity || (budget !== undefined && this.values.size > 1 && this.weight() > budget);
  }

  async get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.values.get(key);
    if (hit !== undefined) {
      this.values.delete(key);
      this.values.set(key, hit);
      return hit;
    }
    const value = await load();
    const raced = this.values.get(key);
    if (raced !== undefined) return raced;
    this.values.set(key, value);
    while (this.overLimits()) this.values.delete(this.values.keys().next().value!);
    return value;
  }

  /** The values held now. */
  held(): V[] {
    return [...this.values.values()];
  }

  clear(): void {
    this.values.clear();
  }
}
