// Search cursors carry the next offset and a fingerprint of the query they
// belong to, so a cursor passed with a different query is refused rather
// than silently paging through other results.
import { decodeCursor, encodeCursor } from "../core/cursor";
import { ApiError } from "../errors";

function fingerprint(parts: unknown[]): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(parts)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

const isSearchCursor = (v: Record<string, unknown>): v is { o: number; f: string } =>
  Number.isInteger(v.o) && (v.o as number) >= 0 && typeof v.f === "string";

export function searchCursor(offset: number, query: unknown[]): string {
  return encodeCursor({ o: offset, f: fingerprint(query) });
}

export function cursorOffset(cursor: string | undefined, query: unknown[]): number {
  if (!cursor) return 0;
  const { o, f } = decodeCursor(cursor, isSearchCursor);
  if (f !== fingerprint(query)) throw new ApiError("BAD_REQUEST", "cursor belongs to another query; pass it back with the same q, mode and filters");
  return o;
}
