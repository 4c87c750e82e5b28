// The project's own WebAssembly SIMD kernels (wasmSimdKernels.wat, assembled into dist/ by esbuild.mjs). They
// import the tfjs wasm backend's memory and work on tensors where they lie, by byte offset: no copies.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { existsSync, readFileSync } from 'node:fs';
import { builtFile } from '../paths';

const KERNELS_FILE = 'mnist-simd-kernels.wasm';
const SHARED_KERNELS_FILE = 'mnist-simd-kernels-shared.wasm';

interface KernelExports {
  maxPoolGrad2x2(
    x: number,
    dy: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    depth: number,
    outH: number,
    outW: number,
  ): void;
  reluBiasGrad(dy: number, y: number, dyPre: number, biasGrad: number, rows: number, channels: number): void;
  filterGradValid(
    x: number,
    dy: number,
    dw: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    kh: number,
    kw: number,
    filters: number,
  ): void;
  inputGradValid(
    dy: number,
    filterT: number,
    dx: number,
    batch: number,
    inH: number,
    inW: number,
    channels: number,
    outH: number,
    outW: number,
    kh: number,
    kw: number,
    filters: number,
  ): void;
}

/** The kernels, called with tensors of the backend they were loaded for. */
export interface SimdKernels {
  /** dx of a 2x2, stride-2, unpadded max pool over NHWC `x`; depth must be a multiple of 4. */
  maxPoolGrad2x2(x: TensorInfo, dy: TensorInfo, dx: TensorInfo): void;
  /** dyPre = dy where y > 0 (else 0), and biasGrad = dyPre summed over all but the last axis (a multiple of 4). */
  reluBiasGrad(dy: TensorInfo, y: TensorInfo, dyPre: TensorInfo, biasGrad: TensorInfo): void;
  /** dW [kh, kw, C, F] of a stride-1 unpadded convolution of NHWC `x` giving `dy`; F must be a multiple of 32. */
  filterGradValid(x: TensorInfo, dy: TensorInfo, dw: TensorInfo): void;
  /** dx (NHWC) of a stride-1 unpadded convolution, from dy and the filter transposed to [kh, kw, F, C]; C a multiple of 32. */
  inputGradValid(dy: TensorInfo, filterT: TensorInfo, dx: TensorInfo): void;
}

/** The kernels file, when the build has made it. */
function findKernelsFile(name: string): string | undefined {
  const file = builtFile(name);
  return existsSync(file) ? file : undefined;
}

interface EmscriptenModule {
  wasmMemory?: WebAssembly.Memory;
  asm?: { memory?: WebAssembly.Memory };
}

const loaded = new WeakMap<BackendWasm, SimdKernels | null>();

/** The kernels for `backend`, or undefined when their file is missing (callers then take their other paths). */
export function simdKernels(backend: BackendWasm): SimdKernels | undefined {
  let kernels = loaded.get(backend);
  if (kernels === undefined) {
    kernels = loadKernels(backend);
    loaded.set(backend, kernels);
  }
  return kernels ?? undefined;
}

function loadKernels(backend: BackendWasm): SimdKernels | null {
  const module = backend.wasm as unknown as EmscriptenModule;
  const memory = module.wasmMemory ?? module.asm?.memory;
  const file =
    memory && findKernelsFile(memory.buffer instanceof SharedArrayBuffer ? SHARED_KERNELS_FILE : KERNELS_FILE);
  if (!memory || !file) return null;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), { env: { memory } });
  const exports = instance.exports as unknown as KernelExports;
  const at = (t: TensorInfo) => backend.dataIdMap.get(t.dataId)!.memoryOffset;
  return {
    maxPoolGrad2x2(x, dy, dx) {
      const [batch, inH, inW, depth] = x.shape;
      const [, outH, outW] = dy.shape;
      exports.maxPoolGrad2x2(at(x), at(dy), at(dx), batch, inH, inW, depth, outH, outW);
    },
    reluBiasGrad(dy, y, dyPre, biasGrad) {
      const channels = dy.shape[dy.shape.length - 1];
      exports.reluBiasGrad(
        at(dy),
        at(y),
        at(dyPre),
        at(biasGrad),
        dy.shape.reduce((a, b) => a * b, 1) / channels,
        channels,
      );
    },
    filterGradValid(x, dy, dw) {
      const [batch, inH, inW, channels] = x.shape;
      const [, outH, outW, filters] = dy.shape;
      const [kh, kw] = dw.shape;
      exports.filterGradValid(at(x), at(dy), at(dw), batch, inH, inW, channels, outH, outW, kh, kw, filters);
    },
    inputGradValid(dy, filterT, dx) {
      const [batch, inH, inW, channels] = dx.shape;
      const [, outH, outW, filters] = dy.shape;
      const [kh, kw] = filterT.shape;
      exports.inputGradValid(at(dy), at(filterT), at(dx), batch, inH, inW, channels, outH, outW, kh, kw, filters);
    },
  };
}

/** The RELU_BIAS_GRAD kernel (see fusedConvolution.ts) for the wasm backend: SIMD when there are kernels and whole vectors, else JavaScript. */
export function reluBiasGradKernel({
  inputs,
  backend,
}: {
  inputs: { dy: TensorInfo; y: TensorInfo };
  backend: BackendWasm;
}): TensorInfo[] {
  const { dy, y } = inputs;
  const channels = dy.shape[dy.shape.length - 1];
  const dyPre = backend.makeOutput(dy.shape, 'float32');
  const biasGrad = backend.makeOutput([channels], 'float32');
  const simd = simdKernels(backend);
  if (simd && channels % 4 === 0) {
    simd.reluBiasGrad(dy, y, dyPre, biasGrad);
    return [dyPre, biasGrad];
  }
  // Views taken after the allocations: a growing heap detaches older ones.
  const [g, out, mask, sums] = [dy, dyPre, y, biasGrad].map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  sums.fill(0);
  for (let i = 0; i < g.length; i++) {
    const value = mask[i] > 0 ? g[i] : 0;
    out[i] = value;
    sums[i % channels] += value;
  }
  return [dyPre, biasGrad];
}
