// Search quality on the development queries: each query is another
// explainer's description of one latent; the answer is that latent.
// recall@1, recall@10 and MRR over the top 20 latents.

export interface DevQuery {
  query: string;
  index: number;
  source: string;
}

export interface Quality {
  queries: number;
  recallAt1: number;
  recallAt10: number;
  mrr: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** `ranked[i]` is the latent indices returned for query i, best first. */
export function quality(queries: DevQuery[], ranked: number[][]): Quality {
  let r1 = 0, r10 = 0, mrr = 0;
  queries.forEach((q, i) => {
    const rank = (ranked[i] ?? []).slice(0, 20).indexOf(q.index);
    if (rank < 0) return;
    if (rank === 0) r1++;
    if (rank < 10) r10++;
    mrr += 1 / (rank + 1);
  });
  const n = queries.length;
  return { queries: n, recallAt1: round(r1 / n), recallAt10: round(r10 / n), mrr: round(mrr / n) };
}
