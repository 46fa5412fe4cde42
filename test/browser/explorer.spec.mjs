// Clicks through the explorer in headless Chromium, as a new user would:
// search -> latent -> its neighbour in the next layer -> heatmap -> pair ->
// token lookup -> neuron. Saves a screenshot of every step.
//   node test/browser/explorer.spec.mjs <base url> <screenshot dir>
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

const [baseUrl, shotDir] = process.argv.slice(2);
if (!baseUrl || !shotDir) throw new Error("usage: explorer.spec.mjs <base url> <screenshot dir>");
const MODEL = "browser-demo";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

const steps = [];
async function step(name, run) {
  const started = Date.now();
  process.stderr.write(`browser: ${name} ... `);
  await run();
  const ms = Date.now() - started;
  steps.push({ name, ms });
  process.stderr.write(`ok (${ms} ms)\n`);
}

mkdirSync(shotDir, { recursive: true });
const profile = mkdtempSync(path.join(tmpdir(), "atlas-chromium-"));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1200, height: 900 },
});
const page = browser.pages()[0] ?? (await browser.newPage());
const problems = [];
// Failed loads are checked by URL below (one 404 page is expected); other console errors are problems.
page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && problems.push(`console: ${m.text()}`));
const expectedStatus = (url) => (url.includes("/tokens?token=") && url.includes("Dogs") ? 404 : null);
page.on("response", (r) => r.status() >= 400 && r.status() !== expectedStatus(r.url()) && problems.push(`HTTP ${r.status()}: ${r.url()}`));
page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
page.on("request", (r) => !r.url().startsWith(baseUrl) && !r.url().startsWith("data:") && problems.push(`outside request: ${r.url()}`));
const shot = (name) => page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });

try {
  await step("home page is labelled and keyboard-reachable", async () => {
    const res = await page.goto(`${baseUrl}/`);
    assert.equal(res.status(), 200);
    assert.equal(await page.getAttribute("html", "lang"), "en");
    // First Tab reaches the skip link, which jumps to the main content.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("input, select")].filter((el) => !el.labels?.length && !el.getAttribute("aria-label")).length,
    );
    assert.equal(unlabelled, 0, "every form control has a label");
    await shot("01-home");
  });

  await step("search finds the dog latent", async () => {
    const box = page.getByLabel("Explanation search");
    await box.fill("dogs and puppies");
    await page.getByLabel("Mode", { exact: true }).selectOption("lexical");
    await box.press("Enter");
    await page.waitForSelector("#results-title");
    const first = page.locator("tbody tr").first();
    assert.match(await first.innerText(), /dogs and puppies/);
    assert.match(await first.innerText(), /L1-res #0/);
    await shot("02-search-results");
    await first.getByRole("link").click();
  });

  await step("the default mode answers too, falling back to lexical without a query encoder", async () => {
    await page.goBack();
    await page.goto(`${baseUrl}/?q=${encodeURIComponent("dogs and puppies")}`);
    assert.equal(await page.getByRole("alert").count(), 0, "no search failure shown");
    assert.match(await page.locator("#results-title ~ table").innerText(), /dogs and puppies/);
    const fallback = await page.locator('#results-title ~ p[role="status"]').count();
    process.stderr.write(fallback ? "(lexical fallback) " : "(hybrid) ");
    await shot("02b-search-default-mode");
    await page.goBack();
    await page.locator("tbody tr").first().getByRole("link").click();
  });

  await step("latent page shows explanations, shaded examples, logits and matches", async () => {
    await page.waitForSelector("h1");
    assert.equal(await page.locator("h1").innerText(), "Latent L1-res #0");
    assert.match(await page.locator("#expl + table").innerText(), /fuzz/);
    const shaded = await page.locator(".example span[style]").count();
    assert.ok(shaded >= 3, `expected shaded tokens, got ${shaded}`);
    const peak = await page.locator(".example span.hot").first().evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(peak, "rgb(255, 140, 0)");
    assert.match(await page.locator(".logits").first().innerText(), /" dog"/);
    await shot("03-latent");
  });

  await step("jump to the matched latent in the next layer", async () => {
    await page.locator('#matches ~ table a[href$="/saes/L2-res/0"]').first().click();
    await page.waitForURL(/\/saes\/L2-res\/0$/);
    assert.equal(await page.locator("h1").innerText(), "Latent L2-res #0");
    assert.match(await page.locator(".sub").first().innerText(), /pets such as dogs/);
    await shot("04-neighbour");
  });

  await step("live explanation matches in another layer", async () => {
    await page.getByLabel("Match by explanation, live, in").selectOption("L3-res");
    await page.getByRole("button", { name: "Find matches" }).click();
    await page.waitForSelector("#live");
    const best = await page.locator('table[aria-labelledby="live"] tbody tr').first().innerText();
    assert.match(best, /L3-res #0/, "the same theme is the best live match");
    await shot("05-live-matches");
  });

  await step("heatmap of layer x layer similarity, in layer order", async () => {
    await page.locator(`a[href="/models/${MODEL}"]`).first().click();
    await page.waitForSelector("table.heatmap");
    const rows = await page.locator("table.heatmap tbody th").allInnerTexts();
    assert.deepEqual(rows, ["L0-res (L0)", "L1-res (L1)", "L2-res (L2)", "L3-res (L3)"]);
    const near = Number(await page.locator("table.heatmap tbody tr").nth(1).locator("td").nth(2).innerText());
    const far = Number(await page.locator("table.heatmap tbody tr").nth(0).locator("td").nth(3).innerText());
    assert.ok(near > far, `neighbouring layers (${near}) are more alike than distant ones (${far})`);
    await page.locator("table.heatmap").screenshot({ path: path.join(shotDir, "06-heatmap.png") });
    await page.locator("table.heatmap tbody tr").nth(1).locator("td a").nth(1).click();
    await page.waitForURL(/\/compare\/L1-res\/L2-res$/);
    assert.match(await page.locator("main").innerText(), /of L1-res's 12 latents matched/);
    await shot("07-pair");
  });

  await step("which neurons promote ' dog'", async () => {
    await page.goto(`${baseUrl}/models/${MODEL}`);
    await page.getByLabel("Token (a leading space counts)").fill(" dog");
    await page.getByRole("button", { name: "Look up" }).click();
    await page.waitForSelector("h2");
    const writers = page.locator('section[aria-label^="Neurons writing it"] tbody tr');
    assert.match(await writers.first().innerText(), /neuron L2-mlp #7/);
    await shot("08-token-lookup");
    await writers.first().getByRole("link").click();
    await page.waitForURL(/\/saes\/L2-mlp\/7$/);
    const text = await page.locator("main").innerText();
    for (const heading of ["Up-projection row", "Gate-projection row", "Down-projection column"]) assert.ok(text.includes(heading), heading);
    await shot("09-neuron");
  });

  await step("a token the vocabulary lacks gets near tokens", async () => {
    const res = await page.goto(`${baseUrl}/models/${MODEL}/tokens?token=${encodeURIComponent(" Dogs")}`);
    assert.equal(res.status(), 404);
    const alert = await page.getByRole("alert").innerText();
    assert.match(alert, /" dogs"/);
    await shot("10-token-miss");
  });

  await step("markup in a query is shown, not run", async () => {
    await page.goto(`${baseUrl}/?q=${encodeURIComponent("<img src=x onerror=alert(1)>")}&mode=lexical`);
    assert.equal(await page.locator("img").count(), 0);
    assert.match(await page.locator("main").innerText(), /<img src=x onerror=alert\(1\)>/);
  });

  assert.deepEqual(problems, [], "no console errors, page errors or requests outside the Worker");
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ browser: "chromium", steps }, null, 1));
