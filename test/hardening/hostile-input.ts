// Payloads that would run script if a page reflected them unescaped, and a
// bundle whose stored text is full of them (stored XSS: a bundle is data
// from elsewhere, and the explorer renders it).
import { buildBundle, smallRows } from "../fixtures/small-bundle";
import type { BundleBytes } from "../../src/bundle";

export const PAYLOADS = [
  "<script>alert(1)</script>",
  "\"><img src=x onerror=alert(1)>",
  "'><svg onload=alert(1)>",
  "javascript:alert(1)",
];

/** Markup that must never appear verbatim in an HTML page (its escaped form is fine). */
export const DANGEROUS = [/<script>alert\(1\)<\/script>/i, /<img src=x onerror=/i, /<svg onload=/i, /href=["']?javascript:/i];

export function dangerousIn(html: string): string[] {
  return DANGEROUS.filter((re) => re.test(html)).map(String);
}

export const HOSTILE_MODEL = "hostile-model";

export async function hostileBundle(): Promise<BundleBytes> {
  const rows = smallRows();
  const p = (i: number) => PAYLOADS[i % PAYLOADS.length]!;
  rows["explanations.jsonl"] = (rows["explanations.jsonl"] as Record<string, unknown>[]).map((e, i) => ({
    ...e, text: `${p(i)} explanation ${i}`, explainer: `${p(i + 1)}`, method: p(i + 2),
  }));
  rows["examples.jsonl"] = (rows["examples.jsonl"] as Record<string, unknown>[]).map((e, i) => ({
    ...e, tokens: (e.tokens as string[]).map((t, j) => (j === 1 ? p(i) : t)),
  }));
  rows["vocab.jsonl"] = (rows["vocab.jsonl"] as { id: number; token: string }[]).map((v) => (v.id === 4 ? { ...v, token: p(0) } : v.id === 5 ? { ...v, token: p(1) } : v));
  const renamed = (list: { id: number; token: string; value: number }[]) => list.map((t) => (t.id === 4 ? { ...t, token: p(0) } : t.id === 5 ? { ...t, token: p(1) } : t));
  rows["decodings.jsonl"] = (rows["decodings.jsonl"] as Record<string, unknown>[]).map((d) => ({
    ...d, top: renamed(d.top as { id: number; token: string; value: number }[]),
  }));
  rows["token_index.jsonl"] = (rows["token_index.jsonl"] as Record<string, unknown>[]).map((t) => (t.tokenId === 4 ? { ...t, token: p(0) } : t));
  return buildBundle({ bundleId: "hostile-bundle", modelId: HOSTILE_MODEL, rows });
}
