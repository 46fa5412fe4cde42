// BERT WordPiece tokenizer (uncased), read from a Hugging Face tokenizer.json.
// It follows the BertNormalizer + BertPreTokenizer + WordPiece pipeline that
// all-MiniLM-L6-v2 was trained with, so ids match the batch side's tokenizer.

export interface WordPieceConfig {
  vocab: Record<string, number>;
  unkToken: string;
  clsToken: string;
  sepToken: string;
  prefix: string;
  maxInputCharsPerWord: number;
  lowercase: boolean;
}

export interface Encoding {
  ids: number[];
  /** true when the text was longer than maxTokens and its tail was dropped. */
  truncated: boolean;
}

interface TokenizerJson {
  normalizer?: { type?: string; lowercase?: boolean } | null;
  model?: {
    type?: string;
    vocab?: Record<string, number>;
    unk_token?: string;
    continuing_subword_prefix?: string;
    max_input_chars_per_word?: number;
  };
}

export function parseTokenizerJson(text: string): WordPieceConfig {
  const json = JSON.parse(text) as TokenizerJson;
  const model = json.model;
  if (model?.type !== "WordPiece" || !model.vocab) {
    throw new Error("tokenizer.json: expected a WordPiece model with a vocab");
  }
  return {
    vocab: model.vocab,
    unkToken: model.unk_token ?? "[UNK]",
    clsToken: "[CLS]",
    sepToken: "[SEP]",
    prefix: model.continuing_subword_prefix ?? "##",
    maxInputCharsPerWord: model.max_input_chars_per_word ?? 100,
    lowercase: json.normalizer?.lowercase ?? true,
  };
}

function isControl(ch: string): boolean {
  if (ch === "\t" || ch === "\n" || ch === "\r") return false;
  return /\p{Cc}|\p{Cf}/u.test(ch);
}

function isWhitespace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\n" || ch === "\r" || /\p{Zs}/u.test(ch);
}

// BERT counts all ASCII non-alphanumerics as punctuation, not only Unicode P*.
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return /\p{P}/u.test(ch);
}

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export class WordPieceTokenizer {
  readonly clsId: number;
  readonly sepId: number;
  readonly unkId: number;
  private readonly vocab: Map<string, number>;

  constructor(private readonly config: WordPieceConfig) {
    this.vocab = new Map(Object.entries(config.vocab));
    const id = (token: string) => {
      const v = this.vocab.get(token);
      if (v === undefined) throw new Error(`tokenizer vocab lacks ${token}`);
      return v;
    };
    this.clsId = id(config.clsToken);
    this.sepId = id(config.sepToken);
    this.unkId = id(config.unkToken);
  }

  static fromJson(text: string): WordPieceTokenizer {
    return new WordPieceTokenizer(parseTokenizerJson(text));
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  /** The text's words after normalisation and pre-tokenisation. */
  words(text: string): string[] {
    let clean = "";
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp === 0 || cp === 0xfffd || isControl(ch)) continue;
      if (isWhitespace(ch)) clean += " ";
      else if (isCjk(cp)) clean += ` ${ch} `;
      else clean += ch;
    }
    if (this.config.lowercase) {
      // Uncased BERT strips accents whenever it lowercases.
      clean = clean.toLowerCase().normalize("NFD").replace(/\p{Mn}/gu, "");
    }
    const words: string[] = [];
    for (const chunk of clean.split(" ")) {
      let word = "";
      for (const ch of chunk) {
        if (isPunctuation(ch)) {
          if (word) words.push(word);
          words.push(ch);
          word = "";
        } else {
          word += ch;
        }
      }
      if (word) words.push(word);
    }
    return words;
  }

  /** Greedy longest-match-first WordPiece split of one word into ids. */
  wordIds(word: string): number[] {
    const chars = Array.from(word);
    if (chars.length > this.config.maxInputCharsPerWord) return [this.unkId];
    const ids: number[] = [];
    let start = 0;
    while (start < chars.length) {
      let end = chars.length;
      let found: number | undefined;
      while (start < end) {
        const piece = (start > 0 ? this.config.prefix : "") + chars.slice(start, end).join("");
        found = this.vocab.get(piece);
        if (found !== undefined) break;
        end--;
      }
      if (found === undefined) return [this.unkId];
      ids.push(found);
      start = end;
    }
    return ids;
  }

  /** [CLS] tokens [SEP], at most maxTokens ids in all. */
  encode(text: string, maxTokens = 256): Encoding {
    const body: number[] = [];
    let truncated = false;
    for (const word of this.words(text)) {
      for (const id of this.wordIds(word)) body.push(id);
      if (body.length > maxTokens - 2) {
        truncated = true;
        break;
      }
    }
    const kept = body.slice(0, maxTokens - 2);
    return { ids: [this.clsId, ...kept, this.sepId], truncated };
  }
}
