// Convolution gradients for the wasm backend: our SIMD kernels for stride-1 unpadded convolutions, else built from
// the backend's fast forward kernels (convolutions or patch-matrix products, whichever measured faster for the
// shape). tfjs-backend-wasm has no Conv2DBackpropFilter and a slow Conv2DBackpropInput.
import {
  backend_util,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { patchRows, sumPatchRows, type PatchGeometry } from './im2col';
import { KernelRunner } from './kernelRunner';
import { simdKernels } from './simdKernels';

type Shape4 = [number, number, number, number];
type Pairs = [number, number][];
/** The arguments tfjs passes the two gradient kernels. */
type FilterGradArgs = {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: KernelBackend;
  attrs: Conv2DBackpropFilterAttrs;
};
type InputGradArgs = {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: KernelBackend;
  attrs: Conv2DBackpropInputAttrs;
};

function convGeometry(
  xShape: Shape4,
  filterShape: Shape4,
  attrs: Conv2DBackpropFilterAttrs | Conv2DBackpropInputAttrs,
) {
  if (attrs.dataFormat !== 'NHWC') throw new Error('wasm convolution gradients support NHWC only');
  return backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

/** Whether the SIMD gradient kernels apply: stride 1, no padding. */
function isStrideOneUnpadded(info: backend_util.Conv2DInfo): boolean {
  const { top, bottom, left, right } = info.padInfo;
  return info.strideHeight === 1 && info.strideWidth === 1 && top + bottom + left + right === 0;
}

/** Filter taps (kh·kw·C) at or below which the patch product beats the convolution for dW (measured: 9 taps 4x faster, 288 slower). */
const MAX_PATCH_TAPS = 32;

/**
 * dW by our SIMD kernel for stride-1 unpadded convolutions with filters in 32s (all three of the seed CNN's, at
 * batch 16: 0.25, 2.5 and 0.48 ms against 1.2, 3.7 and 0.62 ms), else by whichever of the two methods below is
 * faster for the shape.
 */
export function conv2dBackpropFilter(args: FilterGradArgs): TensorInfo {
  const [kh, kw, c, f] = args.attrs.filterShape;
  const simd = simdKernels(args.backend as BackendWasm);
  if (
    simd &&
    f % 32 === 0 &&
    isStrideOneUnpadded(convGeometry(args.inputs.x.shape as Shape4, args.attrs.filterShape as Shape4, args.attrs))
  ) {
    const dw = (args.backend as BackendWasm).makeOutput(args.attrs.filterShape, 'float32');
    simd.filterGradValid(args.inputs.x, args.inputs.dy, dw);
    return dw;
  }
  return kh * kw * c <= MAX_PATCH_TAPS ? conv2dBackpropFilterByPatches(args) : conv2dBackpropFilterByConvolution(args);
}

/** dW = conv(x with batch and channel axes swapped, dy as the filter, dilated by the stride). */
export function conv2dBackpropFilterByConvolution({ inputs, backend, attrs }: FilterGradArgs): TensorInfo {
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
  const channelsAsBatch = k.transpose(input, [3, 1, 2, 0]); // [C, H, W, N]
  const dyAsFilter = k.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, F]
  const pad: Pairs = [
    [0, 0],
    [info.padInfo.top, bottom],
    [info.padInfo.left, right],
    [0, 0],
  ];
  const grad = k.conv2d(channelsAsBatch, dyAsFilter, pad, [sh, sw]); // [C, kh, kw, F]
  return k.finish(k.transpose(grad, [1, 2, 0, 3])); // [kh, kw, C, F]
}

function patchGeometry(info: backend_util.Conv2DInfo): PatchGeometry {
  return {
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** dW = patches(x)ᵀ · dy: one matrix product (see wasmMatMul for how it runs). */
export function conv2dBackpropFilterByPatches({ inputs, backend, attrs }: FilterGradArgs): TensorInfo {
  const { x, dy } = inputs;
  const info = convGeometry(x.shape as Shape4, attrs.filterShape as Shape4, attrs);
  const k = new KernelRunner(backend);
  const patches = patchRows(backend as BackendWasm, x, patchGeometry(info));
  k.adopt(patches);
  const [n, ho, wo, f] = dy.shape;
  const dyRows = k.reshape(dy, [1, n * ho * wo, f]);
  const product = k.run('BatchMatMul', { a: patches, b: dyRows }, { transposeA: true, transposeB: false });
  return k.finish(k.reshape(product, attrs.filterShape));
}

/** dx = col2im(dy · Wᵀ): one matrix product, then each patch entry added back to the pixel it came from. */
export function conv2dBackpropInputByPatches({ inputs, backend, attrs }: InputGradArgs): TensorInfo {
  const { dy, filter } = inputs;
  const info = convGeometry(attrs.inputShape as Shape4, filter.shape as Shape4, attrs);
  const k = new KernelRunner(backend);
  const [n, ho, wo, f] = dy.shape;
  const [kh, kw, c] = filter.shape;
  const dyRows = k.reshape(dy, [1, n * ho * wo, f]);
  const filterRows = k.reshape(filter, [1, kh * kw * c, f]);
  const patches = k.run('BatchMatMul', { a: dyRows, b: filterRows }, { transposeA: false, transposeB: true });
  return k.finish(sumPatchRows(backend as BackendWasm, patches, attrs.inputShape, patchGeometry(info)));
}

/**
 * Output pixels per image (of dy) at or below which the patch product beats the convolution for dx.
 * Measured at batch 32: 3x3 → 5x5x64 1.6 ms instead of 2.7; 11x11 → 13x13x32 is faster as a convolution.
 */
const MAX_PATCH_OUTPUT_PIXELS = 16;

/**
 * dx by our SIMD kernel for stride-1 unpadded convolutions with input channels in 32s (conv2 and conv3 of the seed
 * CNN), else by whichever of the two methods below is faster for the shape.
 */
export function conv2dBackpropInput(args: InputGradArgs): TensorInfo {
  const simd = simdKernels(args.backend as BackendWasm);
  if (
    simd &&
    args.attrs.inputShape[3] % 32 === 0 &&
    isStrideOneUnpadded(convGeometry(args.attrs.inputShape as Shape4, args.inputs.filter.shape as Shape4, args.attrs))
  ) {
    const k = new KernelRunner(args.backend);
    const filterT = k.transpose(args.inputs.filter, [0, 1, 3, 2]); // [kh, kw, F, C]
    const dx = (args.backend as BackendWasm).makeOutput(args.attrs.inputShape, 'float32');
    simd.inputGradValid(args.inputs.dy, filterT, dx);
    return k.finish(dx);
  }
  const [, ho, wo] = args.inputs.dy.shape;
  return ho * wo <= MAX_PATCH_OUTPUT_PIXELS
    ? conv2dBackpropInputByPatches(args)
    : conv2dBackpropInputByConvolution(args);
}

/** dx = conv(dy dilated by the stride and padded, the filter flipped with in/out channels swapped). */
export function conv2dBackpropInputByConvolution({ inputs, backend, attrs }: InputGradArgs): TensorInfo {
  const { dy, filter } = inputs;
  const info = convGeometry(attrs.inputShape as Shape4, filter.shape as Shape4, attrs);
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, inHeight: h, inWidth: w } = info;
  const [n, ho, wo, f] = dy.shape;
  const k = new KernelRunner(backend);

  let spread = dy;
  if (sh > 1 || sw > 1) {
    // Insert stride-1 zeros between rows and columns of dy.
    const cells = k.reshape(dy, [n, ho, 1, wo, 1, f]);
    const padded = k.pad(cells, [
      [0, 0],
      [0, 0],
      [0, sh - 1],
      [0, 0],
      [0, sw - 1],
      [0, 0],
    ]);
    const grid = k.reshape(padded, [n, ho * sh, wo * sw, f]);
    spread = k.slice(grid, [0, 0, 0, 0], [n, (ho - 1) * sh + 1, (wo - 1) * sw + 1, f]);
  }
  const spreadHeight = (ho - 1) * sh + 1;
  const spreadWidth = (wo - 1) * sw + 1;
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const pad: Pairs = [
    [0, 0],
    [top, h + kh - 1 - spreadHeight - top],
    [left, w + kw - 1 - spreadWidth - left],
    [0, 0],
  ];
  const flipped = k.reverse(filter, [0, 1]);
  const transposed = k.transpose(flipped, [0, 1, 3, 2]); // [kh, kw, F, C]
  return k.finish(k.conv2d(spread, transposed, pad, [1, 1]));
}
