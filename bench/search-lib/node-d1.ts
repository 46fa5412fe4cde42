// A minimal D1 stand-in over node:sqlite (SQLite with FTS5, as local D1 is),
// so the bench can run the search module's own ranking code on the full demo
// set in Node: prepare/bind/all/first/run and batch, nothing more.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";

type Value = string | number | null;

class Statement {
  constructor(
    private readonly db: DatabaseSync,
    readonly sql: string,
    private readonly params: Value[] = [],
  ) {}

  bind(...params: Value[]): Statement {
    return new Statement(this.db, this.sql, params);
  }

  async all<T>(): Promise<{ results: T[] }> {
    return { results: this.db.prepare(this.sql).all(...this.params) as T[] };
  }

  async first<T>(): Promise<T | null> {
    return (this.db.prepare(this.sql).get(...this.params) as T | undefined) ?? null;
  }

  async run(): Promise<{ success: true }> {
    this.db.prepare(this.sql).run(...this.params);
    return { success: true };
  }
}

export class NodeD1 {
  readonly db = new DatabaseSync(":memory:");

  prepare(sql: string): Statement {
    return new Statement(this.db, sql);
  }

  async batch<T>(statements: Statement[]): Promise<{ results: T[] }[]> {
    const out: { results: T[] }[] = [];
    for (const s of statements) out.push(await s.all<T>());
    return out;
  }

  /** Applies the project's D1 migrations, in file order. */
  async migrate(root: string): Promise<void> {
    const dir = path.join(root, "migrations");
    for (const name of (await readdir(dir)).filter((n) => n.endsWith(".sql")).sort()) {
      this.db.exec(await readFile(path.join(dir, name), "utf8"));
    }
  }
}
