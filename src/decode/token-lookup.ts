// The reverse of the decodings: for a token, the features (neurons and
// latents) whose projection through the LM head gives it the highest logit.
import type { Env } from "../env";
import { ApiError } from "../errors";
import { type ModelScope, featureKey, firstExplanations, listSaes } from "../compare/release";
import { DIRECTIONS, type Direction } from "./decodings";
import { type Token, exactTokens, hasVocabulary, prefixTokens, suggestTokens, tokenTexts } from "./vocab";

export interface Promoter {
  tokenId: number;
  token: string;
  sae: string;
  layer: number;
  kind: string;
  index: number;
  value: number;
  explanation: string | null;
}

export interface PromoterGroup {
  direction: Direction;
  promoters: Promoter[];
}

export interface LookupQuery {
  token?: string;
  /** A token by id: the way to reach tokens whose text is empty or ambiguous. */
  tokenId?: number;
  prefix?: string;
  direction?: Direction;
  /** Only features of this kind ("neurons", "sae", "transcoder"). */
  kind?: string;
  limit: number;
}

/** How many vocabulary entries a prefix may expand to before their promoters are merged. */
export const MAX_PREFIX_TOKENS = 50;

export async function resolveLookupTokens(env: Env, scope: ModelScope, q: LookupQuery): Promise<Token[]> {
  const given = [q.token, q.prefix, q.tokenId].filter((v) => v !== undefined).length;
  if (given !== 1) throw new ApiError("BAD_REQUEST", "give exactly one of token (exact match), prefix or token_id");
  if (q.tokenId !== undefined) {
    const text = (await tokenTexts(env, scope, [q.tokenId])).get(q.tokenId);
    if (text === undefined) throw new ApiError("NOT_FOUND", `token id ${q.tokenId} is not in the vocabulary of ${scope.modelId}`);
    return [{ id: q.tokenId, token: text }];
  }
  if (q.token !== undefined) {
    const tokens = await exactTokens(env, scope, [q.token]);
    if (tokens.length > 0) return tokens;
    await requireVocabulary(env, scope);
    const near = await suggestTokens(env, scope, q.token);
    const hint = near.length ? `; near tokens: ${near.map((t) => JSON.stringify(t)).join(", ")}` : "";
    throw new ApiError("NOT_FOUND", `token ${JSON.stringify(q.token)} is not in the vocabulary of ${scope.modelId} (a leading space is part of a token)${hint}`);
  }
  const tokens = await prefixTokens(env, scope, q.prefix!, MAX_PREFIX_TOKENS);
  if (tokens.length === 0) {
    await requireVocabulary(env, scope);
    throw new ApiError("NOT_FOUND", `no token of ${scope.modelId} starts with ${JSON.stringify(q.prefix)}`);
  }
  return tokens;
}

async function requireVocabulary(env: Env, scope: ModelScope): Promise<void> {
  if (!(await hasVocabulary(env, scope))) throw new ApiError("NOT_FOUND", noVocabularyMessage(scope.modelId));
}

export const noVocabularyMessage = (modelId: string) =>
  `model ${modelId} has no vocabulary in its active release (its bundle holds no LM-head decodings)`;

export async function tokenPromoters(env: Env, scope: ModelScope, tokens: Token[], q: LookupQuery): Promise<PromoterGroup[]> {
  const { results } = await env.DB.prepare(
    `SELECT token_id AS tokenId, direction, entries FROM token_index
     WHERE release = ?1 AND token_id IN (SELECT value FROM json_each(?2)) AND (?3 IS NULL OR direction = ?3)`,
  )
    .bind(scope.release, JSON.stringify(tokens.map((t) => t.id)), q.direction ?? null)
    .all<{ tokenId: number; direction: Direction; entries: string }>();
  const text = new Map(tokens.map((t) => [t.id, t.token]));
  const saes = new Map((await listSaes(env, scope)).map((s) => [s.id, s]));

  const groups = new Map<Direction, Promoter[]>();
  for (const row of results) {
    const list = groups.get(row.direction) ?? [];
    for (const [sae, index, value] of JSON.parse(row.entries) as [string, number, number][]) {
      const info = saes.get(sae);
      if (q.kind !== undefined && info?.kind !== q.kind) continue;
      list.push({ tokenId: row.tokenId, token: text.get(row.tokenId) ?? "", sae, layer: info?.layer ?? -1, kind: info?.kind ?? "unknown", index, value, explanation: null });
    }
    groups.set(row.direction, list);
  }

  const out: PromoterGroup[] = [];
  for (const direction of DIRECTIONS) {
    const list = groups.get(direction);
    if (!list) continue;
    out.push({ direction, promoters: list.sort((a, b) => b.value - a.value || a.layer - b.layer || a.index - b.index).slice(0, q.limit) });
  }
  const labels = await firstExplanations(env, scope, out.flatMap((g) => g.promoters));
  for (const g of out) for (const p of g.promoters) p.explanation = labels.get(featureKey(p.sae, p.index)) ?? null;
  return out;
}
