// HTTP calls shared by the fault drivers: one answer read whole, and what readers see.

export interface Answer {
  status: number;
  body: unknown;
  text: string;
  headers: Headers;
}

export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url, init);
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** What readers of a model see right now: its live release and one latent's full answer. */
export async function servingSnapshot(base: string, model: string, sae: string, index: number): Promise<string> {
  const m = await call(`${base}/v1/models/${model}`);
  const l = await call(`${base}/v1/latents/${model}/${sae}/${index}`);
  const release = (m.body as { release?: { id: number; bundleId: string } } | null)?.release;
  return JSON.stringify({ modelStatus: m.status, release, latentStatus: l.status, latent: l.text });
}

export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
