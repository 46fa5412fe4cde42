// R2 layout of a release's blobs; everything of release N lives under
// releases/N/ so deleting a release is one prefix.
export const releasePrefix = (release: number) => `releases/${release}/`;

/** One object per uploaded vector part, named by its first row so a retried part overwrites itself. */
export const vectorPartKey = (release: number, firstRow: number) =>
  `${releasePrefix(release)}vectors/${String(firstRow).padStart(10, "0")}.f32`;

/** Packed examples of the latents of one uploaded part. */
export const examplePartKey = (release: number, firstLine: number) =>
  `${releasePrefix(release)}examples/${String(firstLine).padStart(10, "0")}.json`;
