// LM-head decodings: a feature's direction projected through the final norm
// and the unembedding, read as the tokens it pushes up (top) and down (bottom).
import type { Env } from "../env";
import type { ModelScope, SaeInfo } from "../compare/release";
import { tokenTexts } from "./vocab";

export const DIRECTIONS = ["decoder", "encoder", "read_up", "read_gate", "write"] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface DecodedToken {
  id: number;
  token: string | null;
  value: number;
}

export interface Decoding {
  direction: Direction;
  top: DecodedToken[];
  bottom: DecodedToken[];
}

export async function featureDecodings(
  env: Env,
  scope: ModelScope,
  sae: SaeInfo,
  index: number,
  direction: Direction | undefined,
  limit: number,
): Promise<Decoding[]> {
  const { results } = await env.DB.prepare(
    "SELECT direction, top, bottom FROM decodings WHERE release = ?1 AND sae = ?2 AND idx = ?3 AND (?4 IS NULL OR direction = ?4)",
  )
    .bind(scope.release, sae.id, index, direction ?? null)
    .all<{ direction: Direction; top: string; bottom: string }>();
  const parsed = results.map((r) => ({
    direction: r.direction,
    top: (JSON.parse(r.top) as [number, number][]).slice(0, limit),
    bottom: (JSON.parse(r.bottom) as [number, number][]).slice(0, limit),
  }));
  const texts = await tokenTexts(env, scope, parsed.flatMap((d) => [...d.top, ...d.bottom].map(([id]) => id)));
  const named = (pairs: [number, number][]) => pairs.map(([id, value]) => ({ id, token: texts.get(id) ?? null, value }));
  return parsed
    .map((d) => ({ direction: d.direction, top: named(d.top), bottom: named(d.bottom) }))
    .sort((a, b) => DIRECTIONS.indexOf(a.direction) - DIRECTIONS.indexOf(b.direction));
}
