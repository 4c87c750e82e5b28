// Matrix products with a transposed operand (every dense and patch-based gradient) for the wasm backend.
// The built-in kernel is fast only without transpose flags, and packs its second operand on every call. Here the
// smaller operand becomes the packed one and transposes are done explicitly, using C = A·B or Cᵀ = Bᵀ·Aᵀ.
// Measured for this model's dense layer at batch 32: dy·Wᵀ 0.96 → 0.20 ms, xᵀ·dy 1.2 → 0.14-0.22 ms.
import type { BatchMatMulAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { KernelRunner } from './kernelRunner';

type Args = { inputs: { a: TensorInfo; b: TensorInfo }; backend: BackendWasm; attrs: BatchMatMulAttrs };

/** A [rows, columns] matrix, from a rank-2 tensor or a rank-3 one holding a single matrix. */
function matrixShape(t: TensorInfo): [number, number] | undefined {
  if (t.shape.length === 2) return [t.shape[0], t.shape[1]];
  if (t.shape.length === 3 && t.shape[0] === 1) return [t.shape[1], t.shape[2]];
  return undefined;
}

export function fewerTransposesMatMulKernel(original: KernelConfig): KernelConfig {
  const plainProduct = (backend: BackendWasm, a: TensorInfo, b: TensorInfo) =>
    original.kernelFunc({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;

  const kernelFunc = (args: Args) => {
    const { a, b } = args.inputs;
    const { transposeA, transposeB } = args.attrs;
    const aMatrix = matrixShape(a);
    const bMatrix = matrixShape(b);
    if ((!transposeA && !transposeB) || !aMatrix || !bMatrix || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return original.kernelFunc(args as never);
    }
    const k = new KernelRunner(args.backend);
    const asMatrix = (t: TensorInfo, shape: [number, number]) => k.reshape(t, shape);
    const transposed = (t: TensorInfo, shape: [number, number]) => k.transpose(asMatrix(t, shape), [1, 0]);
    const [m, inner] = transposeA ? [aMatrix[1], aMatrix[0]] : aMatrix;
    const n = transposeB ? bMatrix[0] : bMatrix[1];
    const outShape = a.shape.length === 3 || b.shape.length === 3 ? [1, m, n] : [m, n];

    let product: TensorInfo;
    if (inner * n <= inner * m) {
      // C = A·B with B packed: A as [m, inner], B as [inner, n].
      const left = transposeA ? transposed(a, aMatrix) : asMatrix(a, aMatrix);
      const right = transposeB ? transposed(b, bMatrix) : asMatrix(b, bMatrix);
      product = plainProduct(args.backend, left, right);
      k.adopt(product);
    } else {
      // Cᵀ = Bᵀ·Aᵀ with Aᵀ packed: Bᵀ as [n, inner], Aᵀ as [inner, m].
      const left = transposeB ? asMatrix(b, bMatrix) : transposed(b, bMatrix);
      const right = transposeA ? asMatrix(a, aMatrix) : transposed(a, aMatrix);
      const productT = plainProduct(args.backend, left, right);
      k.adopt(productT);
      product = k.transpose(productT, [1, 0]);
    }
    return k.finish(k.reshape(product, outShape));
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
