// The bundle contract (docs/bundle-format.md), shared by the Worker and the Node CLI.
export * from "./manifest";
export * from "./rows";
export * from "./row-context";
export * from "./verify";
export * from "./upload-plan";
export * from "./uploader";
