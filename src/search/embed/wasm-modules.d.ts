// wrangler compiles `.wasm` imports ahead of time (the CompiledWasm rule in
// wrangler.toml) and hands them to the Worker as WebAssembly.Module objects.
declare module "*.wasm" {
  const compiled: WebAssembly.Module;
  export default compiled;
}
