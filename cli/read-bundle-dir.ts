// Reads a bundle directory into memory (manifest text + every file's bytes).
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { BundleBytes } from "../src/bundle";

export async function readBundleDir(dir: string): Promise<BundleBytes> {
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) throw new Error(`${dir}: not a directory`);
  const manifestPath = path.join(dir, "manifest.json");
  const manifestText = await readFile(manifestPath, "utf8").catch(() => {
    throw new Error(`manifest.json: missing in ${dir}`);
  });
  const files = new Map<string, Uint8Array>();
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name === "manifest.json" || entry.name.startsWith(".")) continue;
    files.set(entry.name, new Uint8Array(await readFile(path.join(dir, entry.name))));
  }
  return { manifestText, files };
}
