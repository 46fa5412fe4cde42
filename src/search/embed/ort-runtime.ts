// ONNX Runtime Web inside workerd. workerd forbids compiling WebAssembly from
// bytes at run time, so the runtime's .wasm is imported as a module (compiled
// by wrangler at build time) and the runtime's own instantiation call is
// pointed at that module. One thread: workerd has no Web Workers.
import * as ort from "onnxruntime-web/wasm";
import ortWasm from "onnxruntime-web/ort-wasm-simd-threaded.wasm";

export type OrtSession = ort.InferenceSession;
export type OrtTensor = ort.Tensor;
export const OrtTensorClass = ort.Tensor;

// The runtime copies `wasmBinary` before instantiating it; these bytes only
// mark the one call that must be answered with the precompiled module.
const MARKER = new TextEncoder().encode("feature-atlas:precompiled-ort-wasm");

function isMarker(source: unknown): boolean {
  if (!(source instanceof Uint8Array) || source.length !== MARKER.length) return false;
  return source.every((byte, i) => byte === MARKER[i]);
}

type Instantiate = (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;

/**
 * Creates an inference session. The runtime instantiates its Wasm during the
 * first session creation of an isolate, so the redirect is in place only then.
 */
export async function createSession(model: Uint8Array): Promise<OrtSession> {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = MARKER;
  const original = WebAssembly.instantiate as Instantiate;
  const redirected: Instantiate = async (source, imports) => {
    if (!isMarker(source)) return original(source, imports);
    const instance = await WebAssembly.instantiate(ortWasm, imports);
    return { instance, module: ortWasm };
  };
  WebAssembly.instantiate = redirected as typeof WebAssembly.instantiate;
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: ["wasm"],
      graphOptimizationLevel: "all",
    });
  } finally {
    WebAssembly.instantiate = original as typeof WebAssembly.instantiate;
  }
}
