// Sequential request timing through the local Worker.

export interface Timing {
  n: number;
  p50: number;
  p95: number;
  mean: number;
}

const round = (x: number) => Math.round(x * 100) / 100;

export function summarise(times: number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length) };
}

export async function timed(url: string, init: RequestInit = {}): Promise<{ ms: number; status: number; body: unknown; headers: Headers }> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  const body = (await res.json()) as unknown;
  return { ms: performance.now() - t0, status: res.status, body, headers: res.headers };
}

/** Resident memory (bytes) of the workerd processes under a process id. */
export async function workerdRss(rootPid: number): Promise<number | null> {
  const { readdir, readFile } = await import("node:fs/promises");
  const parents = new Map<number, number>();
  const names = new Map<number, string>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    const m = /^(\d+) \((.*)\) \S (\d+)/.exec(stat);
    if (m) {
      parents.set(Number(m[1]), Number(m[3]));
      names.set(Number(m[1]), m[2]!);
    }
  }
  const under = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 20; p = parents.get(p) ?? 0, hops++) if (p === rootPid) return true;
    return false;
  };
  let total = 0;
  let found = false;
  for (const [pid, name] of names) {
    if (!name.startsWith("workerd") || !under(pid)) continue;
    const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
    const kb = /VmRSS:\s+(\d+) kB/.exec(status);
    if (kb) {
      total += Number(kb[1]) * 1024;
      found = true;
    }
  }
  return found ? total : null;
}
