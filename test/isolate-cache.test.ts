import { describe, expect, it } from "vitest";
import { IsolateCache } from "../src/isolate-cache";

describe("IsolateCache", () => {
  it("loads a key once, then serves the stored value", async () => {
    const cache = new IsolateCache<string, number>(4);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("a", load)).toBe(1);
    expect(await cache.get("a", load)).toBe(1);
    expect(loads).toBe(1);
  });

  it("drops the least recently used value past its capacity", async () => {
    const cache = new IsolateCache<string, string>(2);
    await cache.get("a", async () => "a1");
    await cache.get("b", async () => "b1");
    await cache.get("a", async () => "a2"); // a is now the most recent
    await cache.get("c", async () => "c1"); // b goes
    expect(cache.held().sort()).toEqual(["a1", "c1"]);
    expect(await cache.get("b", async () => "b2")).toBe("b2");
  });

  it("does not keep a failed load: the next call tries again", async () => {
    const cache = new IsolateCache<string, string>(2);
    await expect(cache.get("m", async () => Promise.reject(new Error("model missing")))).rejects.toThrow(/model missing/);
    expect(cache.held()).toEqual([]);
    expect(await cache.get("m", async () => "loaded")).toBe("loaded");
  });

  it("shares no pending load: concurrent misses each load, and the first value stored wins", async () => {
    const cache = new IsolateCache<string, string>(2);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const first = cache.get("k", async () => {
      await slow;
      return "slow";
    });
    // A second caller does not wait on the first caller's promise.
    expect(await cache.get("k", async () => "fast")).toBe("fast");
    release();
    expect(await first).toBe("fast");
    expect(cache.held()).toEqual(["fast"]);
  });

  it("keeps the weights of its values within a budget, always keeping the newest", async () => {
    const cache = new IsolateCache<string, { mb: number }>({ capacity: 4, budget: 40, weigh: (v) => v.mb });
    await cache.get("a", async () => ({ mb: 20 }));
    await cache.get("b", async () => ({ mb: 15 }));
    expect(cache.held().map((v) => v.mb)).toEqual([20, 15]);
    await cache.get("c", async () => ({ mb: 10 })); // 45 > 40: a goes
    expect(cache.held().map((v) => v.mb)).toEqual([15, 10]);
    await cache.get("d", async () => ({ mb: 60 })); // heavier than the budget alone: kept, the rest go
    expect(cache.held().map((v) => v.mb)).toEqual([60]);
  });
});
