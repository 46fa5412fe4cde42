// Keeps the best `k` (id, score) pairs seen, without sorting everything:
// candidates above the current floor are appended, and the buffer is cut back
// to k whenever it reaches 2k.

export class TopK {
  private ids: number[] = [];
  private scores: number[] = [];
  /** Scores at or below this cannot enter. */
  floor = -Infinity;

  constructor(readonly k: number) {}

  push(id: number, score: number): void {
    if (score <= this.floor) return;
    this.ids.push(id);
    this.scores.push(score);
    if (this.ids.length >= 2 * this.k) this.compact();
  }

  private compact(): void {
    const order = this.ids.map((_, i) => i).sort((a, b) => this.scores[b]! - this.scores[a]!);
    const keep = order.slice(0, this.k);
    this.ids = keep.map((i) => this.ids[i]!);
    this.scores = keep.map((i) => this.scores[i]!);
    if (this.ids.length === this.k) this.floor = this.scores[this.k - 1]!;
  }

  /** Best first. */
  result(): { id: number; score: number }[] {
    this.compact();
    return this.ids.map((id, i) => ({ id, score: this.scores[i]! }));
  }
}
