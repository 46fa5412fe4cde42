// The machine figures were taken on, recorded beside them: numbers from a
// 2-core shared box and from a workstation are not comparable.
import os from "node:os";

export interface Machine {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  loadAverage1m: number;
  platform: string;
  node: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}
