// Opaque cursors: base64url of a small JSON object. Clients pass them back
// unchanged; anything that does not decode is a 400, never a 500.
import { ApiError } from "../errors";

export function encodeCursor(value: Record<string, number | string>): string {
  return btoa(JSON.stringify(value)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor<T extends Record<string, unknown>>(cursor: string, check: (v: Record<string, unknown>) => v is T): T {
  try {
    const padded = cursor.replace(/-/g, "+").replace(/_/g, "/");
    const value = JSON.parse(atob(padded + "=".repeat((4 - (padded.length % 4)) % 4))) as unknown;
    if (value && typeof value === "object" && check(value as Record<string, unknown>)) return value as T;
  } catch {
    // fall through to the one error below
  }
  throw new ApiError("BAD_REQUEST", "cursor is not valid; pass back the nextCursor of a previous page unchanged");
}
