// Fills ranked hits with what readers want to see: explanation text and
// explainer, the explanation's quality scores and the latent's statistics.
import type { Env } from "../env";

export interface HitKey {
  release: number;
  explanation: number;
}

export interface Hydrated {
  text: string;
  explainer: string;
  method: string;
  scores: Record<string, number>;
  density: number | null;
  maxActivation: number | null;
}

const key = (release: number, explanation: number) => `${release}:${explanation}`;
/** D1 allows 100 bound parameters per statement; ids go in chunks below that. */
const CHUNK = 90;

export async function hydrate(env: Env, hits: HitKey[]): Promise<Map<string, Hydrated>> {
  const byRelease = new Map<number, number[]>();
  for (const h of hits) byRelease.set(h.release, [...(byRelease.get(h.release) ?? []), h.explanation]);
  const out = new Map<string, Hydrated>();
  const statements: D1PreparedStatement[] = [];
  const chunks: [number, number[]][] = [];
  for (const [release, ids] of byRelease) {
    for (let i = 0; i < ids.length; i += CHUNK) chunks.push([release, ids.slice(i, i + CHUNK)]);
  }
  for (const [release, ids] of chunks) {
    const marks = ids.map(() => "?").join(",");
    statements.push(
      env.DB.prepare(
        `SELECT e.release, e.id, e.text, e.explainer, e.method, l.density, l.max_activation
         FROM explanations e LEFT JOIN latents l ON l.release = e.release AND l.sae = e.sae AND l.idx = e.idx
         WHERE e.release = ? AND e.id IN (${marks})`,
      ).bind(release, ...ids),
      env.DB.prepare(`SELECT ? AS release, explanation, scorer, value FROM scores WHERE release = ? AND explanation IN (${marks})`).bind(
        release,
        release,
        ...ids,
      ),
    );
  }
  if (!statements.length) return out;
  const results = await env.DB.batch<Record<string, unknown>>(statements);
  for (let i = 0; i < results.length; i += 2) {
    for (const r of results[i]!.results) {
      out.set(key(r.release as number, r.id as number), {
        text: r.text as string,
        explainer: r.explainer as string,
        method: r.method as string,
        scores: {},
        density: (r.density as number | null) ?? null,
        maxActivation: (r.max_activation as number | null) ?? null,
      });
    }
    for (const r of results[i + 1]!.results) {
      const found = out.get(key(r.release as number, r.explanation as number));
      if (found) found.scores[r.scorer as string] = r.value as number;
    }
  }
  return out;
}

export const hydratedKey = key;
