// Convolution gradients for the wasm backend, built from its fast forward kernels.
// tfjs-backend-wasm has no Conv2DBackpropFilter and a slow Conv2DBackpropInput.
import {
  backend_util,
  getKernel,
  registerKernel,
  unregisterKernel,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { transposedPatches } from './wasmIm2col';
import { maxPoolGrad } from './wasmMaxPoolGrad';

type Shape4 = [number, number, number, number];
type Pairs = [number, number][];

/** Runs the wasm backend's own kernels, releasing every intermediate result. */
class KernelRunner {
  private readonly temporaries: TensorInfo[] = [];
  constructor(private readonly backend: KernelBackend) {}

  run(kernelName: string, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo {
    const kernel = getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`wasm kernel ${kernelName} is missing`);
    const out = kernel.kernelFunc({ inputs, attrs: attrs as NamedAttrMap, backend: this.backend }) as TensorInfo;
    this.temporaries.push(out);
    return out;
  }
  /** Releases `t` with the other temporaries. */
  adopt(t: TensorInfo) { this.temporaries.push(t); }
  transpose(x: TensorInfo, perm: number[]) { return this.run('Transpose', { x }, { perm }); }
  reshape(x: TensorInfo, shape: number[]) { return this.run('Reshape', { x }, { shape }); }
  pad(x: TensorInfo, paddings: Pairs) { return this.run('PadV2', { x }, { paddings, constantValue: 0 }); }
  slice(x: TensorInfo, begin: number[], size: number[]) { return this.run('Slice', { x }, { begin, size }); }
  reverse(x: TensorInfo, dims: number[]) { return this.run('Reverse', { x }, { dims }); }
  conv2d(x: TensorInfo, filter: TensorInfo, pad: Pairs, dilations: [number, number]) {
    return this.run('Conv2D', { x, filter }, { strides: 1, pad, dilations, dataFormat: 'NHWC' });
  }

  /** Releases every temporary except `result`. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.temporaries) if (t !== result) this.backend.disposeData(t.dataId);
    return result;
  }
}

function convGeometry(xShape: Shape4, filterShape: Shape4, attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs) {
  if (attrs.dataFormat !== 'NHWC') throw new Error('wasm convolution gradients support NHWC only');
  return backend_util.computeConv2DInfo(
    xShape, filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
}

/** Patch rows per image pixel below which the patch product beats the convolution (measured: 9 rows 4x faster, 288 slower). */
const MAX_PATCH_ROWS = 32;

/** dW by whichever of the two methods below is faster for this shape. */
export function conv2dBackpropFilter(
  args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: KernelBackend; attrs: Conv2DBackpropFilterAttrs },
): TensorInfo {
  const [kh, kw, c] = args.attrs.filterShape;
  return kh * kw * c <= MAX_PATCH_ROWS ? conv2dBackpropFilterByPatches(args) : conv2dBackpropFilterByConvolution(args);
}

/** dW = conv(x with batch and channel axes swapped, dy as the filter, dilated by the stride). */
export function conv2dBackpropFilterByConvolution(
  { inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: KernelBackend; attrs: Conv2DBackpropFilterAttrs },
): TensorInfo {
  const { x, dy } = inputs;
  const info = convGeometry(x.shape as Shape4, attrs.filterShape as Shape4, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth } = info;
  const [n, h, w, c] = x.shape;
  const k = new KernelRunner(backend);

  // Rows/columns of x that the forward pass reached; beyond them x is unused.
  let bottom = (outHeight - 1) * sh + kh - h - info.padInfo.top;
  let right = (outWidth - 1) * sw + kw - w - info.padInfo.left;
  let input = x;
  if (bottom < 0 || right < 0) {
    input = k.slice(x, [0, 0, 0, 0], [n, h + Math.min(bottom, 0), w + Math.min(right, 0), c]);
    bottom = Math.max(bottom, 0);
    right = Math.max(right, 0);
  }
  const channelsAsBatch = k.transpose(input, [3, 1, 2, 0]);          // [C, H, W, N]
  const dyAsFilter = k.transpose(dy, [1, 2, 0, 3]);                  // [Ho, Wo, N, F]
  const pad: Pairs = [[0, 0], [info.padInfo.top, bottom], [info.padInfo.left, right], [0, 0]];
  const grad = k.conv2d(channelsAsBatch, dyAsFilter, pad, [sh, sw]); // [C, kh, kw, F]
  return k.finish(k.transpose(grad, [1, 2, 0, 3]));                  // [kh, kw, C, F]
}

/** dW = patches(x)ᵀ · dy: one matrix product on XNNPACK's fast path, no transposes. */
export function conv2dBackpropFilterByPatches(
  { inputs, backend, attrs }: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: KernelBackend; attrs: Conv2DBackpropFilterAttrs },
): TensorInfo {
  const { x, dy } = inputs;
  const info = convGeometry(x.shape as Shape4, attrs.filterShape as Shape4, attrs);
  const k = new KernelRunner(backend);
  const patches = transposedPatches(backend as BackendWasm, x, {
    filterHeight: info.filterHeight, filterWidth: info.filterWidth, strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    outHeight: info.outHeight, outWidth: info.outWidth, padTop: info.padInfo.top, padLeft: info.padInfo.left,
  });
  k.adopt(patches);
  const [n, ho, wo, f] = dy.shape;
  const dyRows = k.reshape(dy, [1, n * ho * wo, f]);
  const product = k.run('BatchMatMul', { a: patches, b: dyRows }, { transposeA: false, transposeB: false });
  return k.finish(k.reshape(product, attrs.filterShape));
}

/** dx = conv(dy dilated by the stride and padded, the filter flipped with in/out channels swapped). */
export function conv2dBackpropInput(
  { inputs, backend, attrs }: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: KernelBackend; attrs: Conv2DBackpropInputAttrs },
): TensorInfo {
  const { dy, filter } = inputs;
  const info = convGeometry(attrs.inputShape as Shape4, filter.shape as Shape4, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w } = info;
  const [n, ho, wo, f] = dy.shape;
  const k = new KernelRunner(backend);

  let spread = dy;
  if (sh > 1 || sw > 1) {
    // Insert stride-1 zeros between rows and columns of dy.
    const cells = k.reshape(dy, [n, ho, 1, wo, 1, f]);
    const padded = k.pad(cells, [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
    const grid = k.reshape(padded, [n, ho * sh, wo * sw, f]);
    spread = k.slice(grid, [0, 0, 0, 0], [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, f]);
  }
  const spreadHeight = (ho - 1) * sh + 1;
  const spreadWidth = (wo - 1) * sw + 1;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const pad: Pairs = [[0, 0], [top, h + kh - 1 - spreadHeight - top], [left, w + kw - 1 - spreadWidth - left], [0, 0]];
  const flipped = k.reverse(filter, [0, 1]);
  const transposed = k.transpose(flipped, [0, 1, 3, 2]);             // [kh, kw, F, C]
  return k.finish(k.conv2d(spread, transposed, pad, [1, 1]));
}

let registered = false;

/** Replaces the wasm backend's convolution gradient kernels with the ones above. */
export function registerWasmGradients(): void {
  if (registered) return;
  if (getKernel('Conv2DBackpropInput', 'wasm')) unregisterKernel('Conv2DBackpropInput', 'wasm');
  if (getKernel('Conv2DBackpropFilter', 'wasm')) unregisterKernel('Conv2DBackpropFilter', 'wasm');
  registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2dBackpropFilter as never });
  registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2dBackpropInput as never });
  if (getKernel('MaxPoolGrad', 'wasm')) unregisterKernel('MaxPoolGrad', 'wasm');
  registerKernel({ kernelName: 'MaxPoolGrad', backendName: 'wasm', kernelFunc: maxPoolGrad as never });
  registered = true;
}
