// Where a search request's time went, sent back as a Server-Timing header
// (browser devtools show it; the search bench reports its medians). Phases
// that run concurrently (the lexical query overlaps the embedding) are each
// timed on their own, so they may add up to more than the request.

export class Timings {
  private readonly phases = new Map<string, number>();

  add(name: string, ms: number): void {
    this.phases.set(name, (this.phases.get(name) ?? 0) + ms);
  }

  async time<T>(name: string, run: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await run();
    } finally {
      this.add(name, performance.now() - start);
    }
  }

  /** `name;dur=ms` entries in the order the phases first ran. */
  header(): string {
    return [...this.phases].map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(", ");
  }
}

/** Phase durations from a Server-Timing header (for clients such as the bench). */
export function parseServerTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of (header ?? "").split(",")) {
    const [name, ...params] = entry.trim().split(";");
    const dur = params.map((p) => /^dur=([\d.]+)$/.exec(p.trim())).find(Boolean);
    if (name && dur) out[name] = Number(dur[1]);
  }
  return out;
}
