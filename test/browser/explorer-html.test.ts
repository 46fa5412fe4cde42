// The explorer's HTML, rendered inside workerd: content, links, escaping and
// security headers. The click-through in a real browser is explorer.spec.mjs.
import { beforeAll, describe, expect, it } from "vitest";
import { MODEL, seed } from "../compare/seed";
import { exports } from "cloudflare:workers";

const worker = (exports as unknown as { default: { fetch: (input: string) => Promise<Response> } }).default;
const get = async (path: string) => {
  const res = await worker.fetch(`http://atlas.test${path}`);
  return { res, html: await res.text() };
};

beforeAll(seed);

describe("explorer pages", () => {
  it("serves the home page with a labelled search form, the models and a strict CSP", async () => {
    const { res, html } = await get("/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<label for="q">Explanation search</label><input type="search" id="q" name="q"');
    expect(html).toContain(`href="/models/${MODEL}"`);
    expect(html).not.toContain("<script");
  });

  it("answers a search without hits with a status line, not an error", async () => {
    const { html } = await get("/?q=zebra+crossings&mode=semantic");
    expect(html).toContain('<p role="status">No explanation matches “zebra crossings”.</p>');
    expect(html).not.toContain("Search failed");
  });

  it("escapes a reflected query", async () => {
    const { html } = await get(`/?q=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(html).not.toContain("<script>alert(1)");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("renders a latent: explanations with scores, shaded examples, logits, and links to its matches", async () => {
    const { res, html } = await get(`/models/${MODEL}/saes/res-0/3`);
    expect(res.status).toBe(200);
    expect(html).toContain("mentions of dogs and puppies");
    expect(html).toMatch(/fuzz 0\.81/);
    // The peak token is fully shaded, a quarter-strength token a quarter.
    expect(html).toMatch(/rgba\(255, 140, 0, 1\.00\)"[^>]*class="hot"[^>]*> dog</);
    expect(html).toContain("rgba(255, 140, 0, 0.25)");
    expect(html).toContain("&quot; dog&quot;");
    expect(html).toContain(`href="/models/${MODEL}/saes/res-1/5"`);
    expect(html).toContain("dogs, &lt;b&gt;pets&lt;/b&gt; &amp; animals");
    expect(html).not.toContain("<b>pets</b>");
    expect(html).not.toContain(" <script>");
  });

  it("renders a neuron with its read and write tokens", async () => {
    const { html } = await get(`/models/${MODEL}/saes/mlp-1/9`);
    expect(html).toContain("Neuron mlp-1 #9");
    for (const heading of ["Up-projection row", "Gate-projection row", "Down-projection column"]) expect(html).toContain(heading);
  });

  it("renders the layer x layer heatmap in layer order with links to pair pages", async () => {
    const { html } = await get(`/models/${MODEL}`);
    const rows = [...html.matchAll(/<th scope="row" title="([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(["res-0", "res-1", "res-2"]);
    expect(html).toContain(`href="/models/${MODEL}/compare/res-0/res-1"`);
    // The default measure is the mean cosine of one-to-one partners: it still
    // shows structure where no pair clears the matched-fraction threshold.
    expect(html).toContain('aria-label="meanMatchedScore of SAE pairs under decoder_cosine"');
    expect(html).toContain(">0.8<");
    const fraction = await get(`/models/${MODEL}?measure=matchedFraction`);
    expect(fraction.html).toContain(">0.75<");
    const pair = await get(`/models/${MODEL}/compare/res-0/res-1`);
    expect(pair.html).toContain("75% of res-0");
  });

  it("looks up a token with a leading space, and suggests near tokens for a miss", async () => {
    const hit = await get(`/models/${MODEL}/tokens?token=+dog`);
    expect(hit.res.status).toBe(200);
    expect(hit.html).toContain("Neurons writing it");
    expect(hit.html).toContain(`href="/models/${MODEL}/saes/mlp-1/9"`);
    const miss = await get(`/models/${MODEL}/tokens?token=${encodeURIComponent("<DOG>")}`);
    expect(miss.res.status).toBe(404);
    expect(miss.html).toContain("&lt;DOG&gt;");
    expect(miss.html).not.toContain("<DOG>");
    const prefix = await get(`/models/${MODEL}/tokens?token=+dog&match=prefix`);
    expect(prefix.html).toContain("3 tokens start with");
  });

  it.each([
    [`/models/${MODEL}/saes/res-0/99`, 404],
    [`/models/${MODEL}/saes/nope/1`, 404],
    [`/models/${MODEL}/saes/res-0/abc`, 400],
    [`/models/NOPE`, 400],
    [`/models/missing-model`, 404],
  ])("answers %s with an HTML error page (%i)", async (path, status) => {
    const { res, html } = await get(path);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(html).toContain('role="alert"');
  });

  it("keeps the staging release out of every page", async () => {
    const { html } = await get(`/models/${MODEL}/saes/res-1/5`);
    expect(html).not.toContain("STAGED");
  });
});
