// The admin key for the CLI: FEATURE_ATLAS_ADMIN_KEY, or for a local Worker
// the ADMIN_KEY in .dev.vars (written by scripts/start.sh).
import { readFile } from "node:fs/promises";
import path from "node:path";

export async function adminKey(local: boolean, repoRoot: string): Promise<string> {
  const fromEnv = process.env.FEATURE_ATLAS_ADMIN_KEY;
  if (fromEnv) return fromEnv;
  if (local) {
    const devVars = await readFile(path.join(repoRoot, ".dev.vars"), "utf8").catch(() => "");
    const match = /^ADMIN_KEY\s*=\s*"?([^"\n]+)"?\s*$/m.exec(devVars);
    if (match) return match[1]!;
  }
  throw new Error("no admin key: set FEATURE_ATLAS_ADMIN_KEY" + (local ? " or run scripts/start.sh once to write .dev.vars" : ""));
}
