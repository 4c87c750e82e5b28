// Patch matrices (im2col) for the wasm convolution gradients, written in JavaScript straight into the wasm heap.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export interface PatchGeometry {
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  outHeight: number;
  outWidth: number;
  padTop: number;
  padLeft: number;
}

/**
 * The transposed patch matrix of NHWC `x`: [filterHeight*filterWidth*C, N*outHeight*outWidth], row (i, j, c),
 * column (n, row, column); zero where a patch reaches into the padding.
 */
export function transposedPatches(backend: BackendWasm, x: TensorInfo, g: PatchGeometry): TensorInfo {
  const [n, h, w, c] = x.shape;
  const columns = n * g.outHeight * g.outWidth;
  const rows = g.filterHeight * g.filterWidth * c;
  const out = backend.makeOutput([1, rows, columns], 'float32');
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  let t = 0;
  for (let i = 0; i < g.filterHeight; i++) {
    for (let j = 0; j < g.filterWidth; j++) {
      for (let ch = 0; ch < c; ch++) {
        for (let b = 0; b < n; b++) {
          const image = b * h * w * c + ch;
          for (let r = 0; r < g.outHeight; r++) {
            const y = r * g.strideHeight + i - g.padTop;
            if (y < 0 || y >= h) {
              target.fill(0, t, t + g.outWidth);
              t += g.outWidth;
              continue;
            }
            const row = image + y * w * c;
            for (let col = 0; col < g.outWidth; col++, t++) {
              const xCol = col * g.strideWidth + j - g.padLeft;
              target[t] = xCol >= 0 && xCol < w ? source[row + xCol * c] : 0;
            }
          }
        }
      }
    }
  }
  return out;
}
