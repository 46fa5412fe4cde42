// R2 keys of a release's search index. They live under the release's prefix
// (releases/N/), so deleting a release deletes its index with it.
export const indexHeadKey = (release: number) => `releases/${release}/search/head.bin`;
export const indexHalfKey = (release: number) => `releases/${release}/search/half.bin`;
