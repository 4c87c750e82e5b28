// Patch matrices (im2col) and their inverse (col2im) for the wasm convolution gradients, in JavaScript on the wasm heap.
// A patch matrix has one row per output pixel (n, row, column) and one column per filter tap (i, j, channel).
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

/** For each patch-matrix entry, the index of the image entry it reads, or -1 in the padding; cached per geometry. */
const patchIndexCache = new Map<string, Int32Array>();

function patchIndex(shape: number[], g: PatchGeometry): Int32Array {
  const key = JSON.stringify([shape, g]);
  let index = patchIndexCache.get(key);
  if (index) return index;
  const [n, h, w, c] = shape;
  index = new Int32Array(n * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * c);
  let t = 0;
  for (let b = 0; b < n; b++) {
    for (let r = 0; r < g.outHeight; r++) {
      for (let col = 0; col < g.outWidth; col++) {
        for (let i = 0; i < g.filterHeight; i++) {
          const y = r * g.strideHeight + i - g.padTop;
          for (let j = 0; j < g.filterWidth; j++) {
            const xCol = col * g.strideWidth + j - g.padLeft;
            const inside = y >= 0 && y < h && xCol >= 0 && xCol < w;
            const pixel = ((b * h + y) * w + xCol) * c;
            for (let ch = 0; ch < c; ch++, t++) index[t] = inside ? pixel + ch : -1;
          }
        }
      }
    }
  }
  if (patchIndexCache.size >= 16) patchIndexCache.clear(); // a handful of layer shapes in practice
  patchIndexCache.set(key, index);
  return index;
}

/** The patch matrix of NHWC `x`: [1, N*outHeight*outWidth, filterHeight*filterWidth*C]; zero in the padding. */
export function patchRows(backend: BackendWasm, x: TensorInfo, g: PatchGeometry): TensorInfo {
  const index = patchIndex(x.shape, g);
  const [n, , , c] = x.shape;
  const out = backend.makeOutput([1, n * g.outHeight * g.outWidth, g.filterHeight * g.filterWidth * c], 'float32');
  // Views taken after the allocation: a growing heap detaches older ones.
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  for (let t = 0; t < index.length; t++) {
    const at = index[t];
    target[t] = at < 0 ? 0 : source[at];
  }
  return out;
}

/** col2im: NHWC images of `shape` where each pixel is the sum of the patch-matrix entries that read it. */
export function sumPatchRows(backend: BackendWasm, patches: TensorInfo, shape: number[], g: PatchGeometry): TensorInfo {
  const index = patchIndex(shape, g);
  const out = backend.makeOutput(shape, 'float32');
  const source = backend.typedArrayFromHeap(patches) as Float32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  target.fill(0);
  for (let t = 0; t < index.length; t++) {
    const at = index[t];
    if (at >= 0) target[at] += source[t];
  }
  return out;
}
