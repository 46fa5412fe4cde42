// API keys: `fa_<id>_<secret>`. Only sha256(key) is stored; a presented key is
// looked up by its id and its hash compared in constant time, so neither the
// database nor response timing reveals a key. The bootstrap admin key comes
// from the ADMIN_KEY secret and is compared the same way.
import type { Env } from "../env";

export type KeyScope = "admin" | "read";

export interface KeyIdentity {
  id: string;
  scope: KeyScope;
}

const KEY_FORMAT = /^fa_([0-9a-f]{16})_([A-Za-z0-9_-]{20,100})$/;
export const BOOTSTRAP_KEY_ID = "bootstrap-admin";

export async function sha256Bytes(text: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
}

export function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Constant-time equality of two equal-length digests. */
function sameDigest(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  const x = a instanceof Uint8Array ? a : new Uint8Array(a);
  const y = b instanceof Uint8Array ? b : new Uint8Array(b);
  if (x.byteLength !== y.byteLength) return false;
  const subtle = crypto.subtle as SubtleCrypto & { timingSafeEqual?: (a: ArrayBufferView, b: ArrayBufferView) => boolean };
  if (subtle.timingSafeEqual) return subtle.timingSafeEqual(x, y);
  let diff = 0;
  for (let i = 0; i < x.byteLength; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0;
}

function randomToken(bytes: number): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export async function createApiKey(db: D1Database, name: string, scope: KeyScope): Promise<{ id: string; key: string }> {
  const id = [...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const key = `fa_${id}_${randomToken(32)}`;
  await db
    .prepare("INSERT INTO api_keys (id, hash, name, scope) VALUES (?, ?, ?, ?)")
    .bind(id, toHex(await sha256Bytes(key)), name, scope)
    .run();
  return { id, key };
}

/** Who a presented key belongs to, or null for an unknown, malformed or revoked key. */
export async function verifyApiKey(env: Env, presented: string): Promise<KeyIdentity | null> {
  const digest = await sha256Bytes(presented);
  if (env.ADMIN_KEY && sameDigest(digest, await sha256Bytes(env.ADMIN_KEY))) {
    return { id: BOOTSTRAP_KEY_ID, scope: "admin" };
  }
  const match = KEY_FORMAT.exec(presented);
  if (!match) return null;
  const row = await env.DB.prepare("SELECT hash, scope, revoked_at FROM api_keys WHERE id = ?")
    .bind(match[1])
    .first<{ hash: string; scope: KeyScope; revoked_at: string | null }>();
  if (!row || !sameDigest(digest, fromHex(row.hash)) || row.revoked_at !== null) return null;
  return { id: match[1]!, scope: row.scope };
}

/** The key of a request: `Authorization: Bearer <key>` or `X-Api-Key` (what Neuronpedia clients send). */
export function presentedKey(headers: { header(name: string): string | undefined }): string | undefined {
  const auth = headers.header("Authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    return m ? m[1] : auth;
  }
  return headers.header("X-Api-Key") || undefined;
}
