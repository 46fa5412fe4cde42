import { beforeAll, describe, expect, it } from "vitest";
import { WordPieceTokenizer } from "../../src/search/embed/wordpiece";
import { fixtureText } from "./fixtures";

describe("WordPiece tokenizer", () => {
  let tokenizer: WordPieceTokenizer;
  beforeAll(async () => {
    tokenizer = WordPieceTokenizer.fromJson(await fixtureText("models/all-minilm-l6-v2-q8mix/tokenizer.json"));
  });

  it("gives the ids of the Hugging Face tokenizer on tricky text", async () => {
    // Reference ids written by the `tokenizers` library from the same tokenizer.json.
    const cases = JSON.parse(await fixtureText("test/search/fixtures/wordpiece-reference.json")) as { text: string; ids: number[] }[];
    expect(cases.length).toBeGreaterThan(10);
    for (const { text, ids } of cases) expect(tokenizer.encode(text, 512).ids, text).toEqual(ids);
  });

  it("truncates to the token budget and says so", () => {
    const long = "word ".repeat(400);
    const { ids, truncated } = tokenizer.encode(long, 256);
    expect(ids).toHaveLength(256);
    expect(ids[0]).toBe(tokenizer.clsId);
    expect(ids[255]).toBe(tokenizer.sepId);
    expect(truncated).toBe(true);
    expect(tokenizer.encode("short", 256).truncated).toBe(false);
  });

  it("refuses a tokenizer.json that is not WordPiece", () => {
    expect(() => WordPieceTokenizer.fromJson(JSON.stringify({ model: { type: "BPE", vocab: {} } }))).toThrow(/WordPiece/);
  });
});
