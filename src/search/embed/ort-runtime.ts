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

/** The runtime's WebAssembly memories (its heap holds the model's weights), for the isolate memory report. */
const runtimeMemories = new Set<WebAssembly.Memory>();

function collectMemories(imports: WebAssembly.Imports | undefined, instance: WebAssembly.Instance): void {
  for (const module of Object.values(imports ?? {})) {
    for (const value of Object.values(module)) if (value instanceof WebAssembly.Memory) runtimeMemories.add(value);
  }
  for (const value of Object.values(instance.exports)) if (value instanceof WebAssembly.Memory) runtimeMemories.add(value);
}

/** Bytes of the runtime's WebAssembly memory in this isolate; null before the first session. */
export function runtimeMemoryBytes(): number | null {
  if (!runtimeMemories.size) return null;
  return [...runtimeMemories].reduce((sum, m) => sum + m.buffer.byteLength, 0);
}

/**
 * Creates an inference session. The runtime instantiates its Wasm during the
 * first session creation of an isolate, so the redirect is in place only then.
 */
export async function createSession(model: Uint8Array, weights: { location: string; data: Uint8Array }): Promise<OrtSession> {
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = MARKER;
  const original = WebAssembly.instantiate as Instantiate;
  const redirected: Instantiate = async (source, imports) => {
    if (!isMarker(source)) return original(source, imports);
    const instance = await WebAssembly.instantiate(ortWasm, imports);
    collectMemories(imports, instance);
    return { instance, module: ortWasm };
  };
  WebAssembly.instantiate = redirected as typeof WebAssembly.instantiate;
  try {
    return await ort.InferenceSession.create(model, {
      executionProviders: ["wasm"],
      graphOptimizationLevel: "all",
      externalData: [{ path: weights.location, data: weights.data }],
    });
  } finally {
    WebAssembly.instantiate = original as typeof WebAssembly.instantiate;
  }
}
