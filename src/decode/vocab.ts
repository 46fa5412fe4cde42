// The model's vocabulary: token text <-> id, exact and prefix lookups, and
// suggestions for a token the vocabulary lacks. Token text is compared
// byte for byte: " dog" (with its leading space) and "dog" are different tokens.
import type { Env } from "../env";
import type { ModelScope } from "../compare/release";

export interface Token {
  id: number;
  token: string;
}

/** Texts of these token ids; one query, the ids travel as one JSON parameter. */
export async function tokenTexts(env: Env, scope: ModelScope, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const { results } = await env.DB.prepare(
    "SELECT token_id AS id, token FROM vocab WHERE release = ? AND token_id IN (SELECT value FROM json_each(?))",
  )
    .bind(scope.release, JSON.stringify([...new Set(ids)]))
    .all<Token>();
  return new Map(results.map((r) => [r.id, r.token]));
}

/** Every id whose text is exactly one of `texts` (decoded byte-level vocabularies can repeat a text). */
export async function exactTokens(env: Env, scope: ModelScope, texts: string[]): Promise<Token[]> {
  const { results } = await env.DB.prepare(
    "SELECT token_id AS id, token FROM vocab WHERE release = ? AND token IN (SELECT value FROM json_each(?)) ORDER BY token_id",
  )
    .bind(scope.release, JSON.stringify(texts))
    .all<Token>();
  return results;
}

/**
 * Tokens starting with `prefix`, shortest first. A range scan on the
 * (release, token) index: `LIKE` would fold case and could not use it.
 */
export async function prefixTokens(env: Env, scope: ModelScope, prefix: string, limit: number): Promise<Token[]> {
  const { results } = await env.DB.prepare(
    `SELECT token_id AS id, token FROM vocab
     WHERE release = ?1 AND token >= ?2 AND token < ?2 || char(1114111) AND substr(token, 1, length(?2)) = ?2
     ORDER BY length(token), token, token_id LIMIT ?3`,
  )
    .bind(scope.release, prefix, limit)
    .all<Token>();
  return results;
}

/** Case and leading-space variants of a text, the usual near misses. */
export function tokenVariants(text: string): string[] {
  const core = text.replace(/^[\s\u2581\u0120]+/, "");
  const cased = [core, core.toLowerCase(), core.toUpperCase(), core.charAt(0).toUpperCase() + core.slice(1).toLowerCase()];
  const out = new Set<string>();
  for (const c of cased) {
    if (c.length === 0) continue;
    out.add(c);
    out.add(` ${c}`);
  }
  out.delete(text);
  return [...out];
}

/** Up to `limit` tokens near a text the vocabulary lacks: its variants, then tokens sharing a prefix (as typed, then lower-cased). */
export async function suggestTokens(env: Env, scope: ModelScope, text: string, limit = 8): Promise<string[]> {
  const found = new Set((await exactTokens(env, scope, tokenVariants(text))).map((t) => t.token));
  const stems = [...new Set([text, text.toLowerCase()])];
  // Longest shared prefix first: "dogg" suggests "dog" before "do".
  for (let n = Math.min(text.length - 1, 12); n >= 2 && found.size < limit; n--) {
    for (const stem of stems) {
      for (const t of await prefixTokens(env, scope, stem.slice(0, n), limit)) {
        if (t.token !== text) found.add(t.token);
      }
    }
  }
  return [...found].slice(0, limit);
}

/** A release ingested without vocab.jsonl (e.g. an import of explanations only) has nothing to look tokens up in. */
export async function hasVocabulary(env: Env, scope: ModelScope): Promise<boolean> {
  return (await env.DB.prepare("SELECT 1 AS one FROM vocab WHERE release = ? LIMIT 1").bind(scope.release).first()) !== null;
}
