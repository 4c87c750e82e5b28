// Faster paths for three built-in wasm kernels, on the wasm heap; other cases go to the originals.
// - Sum and Mean over leading axes (a bias gradient: dy summed over N, H, W; BatchNormalization's batch mean and
//   variance): the built-ins transpose first, and add up in float32, which over the 10,000 or more values of a
//   channel loses about 1e-5 of the sum (BatchNormalization turns that into visible differences); here the sums are
//   kept in float64, as the cpu backend keeps them.
// - Identity: the built-in copies, and tfjs clones every tensor it saves for a gradient.
import {
  util,
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type SumAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Args<I, A = unknown> = { inputs: I; backend: BackendWasm; attrs: A };

/**
 * Sums (or, with `mean`, averages) over the leading `count` axes: the rows of a [rows, columns] matrix, column by
 * column, in float64.
 */
function reduceLeadingAxes(
  backend: BackendWasm,
  x: TensorInfo,
  count: number,
  keepDims: boolean,
  mean = false,
): TensorInfo {
  const outShape = keepDims ? x.shape.map((d, i) => (i < count ? 1 : d)) : x.shape.slice(count);
  const out = backend.makeOutput(outShape, 'float32');
  const source = backend.typedArrayFromHeap(x) as Float32Array;
  const columns = util.sizeFromShape(outShape);
  const rows = source.length / columns;
  const sums = new Float64Array(columns);
  // Four rows per pass: a quarter of the loads and stores of the running sums.
  let row = 0;
  for (; row + 4 <= rows; row += 4) {
    const r0 = row * columns,
      r1 = r0 + columns,
      r2 = r1 + columns,
      r3 = r2 + columns;
    for (let col = 0; col < columns; col++)
      sums[col] += source[r0 + col] + source[r1 + col] + source[r2 + col] + source[r3 + col];
  }
  for (; row < rows; row++) {
    for (let col = 0; col < columns; col++) sums[col] += source[row * columns + col];
  }
  // A view taken after the allocation above: a growing heap detaches older ones.
  const target = backend.typedArrayFromHeap(out) as Float32Array;
  for (let col = 0; col < columns; col++) target[col] = mean ? sums[col] / rows : sums[col];
  return out;
}

/** How many leading axes `axis` names, if it names exactly the leading ones (and not all); else 0. */
function leadingAxisCount(axis: number | number[], rank: number): number {
  const axes = util.parseAxisParam(axis, Array(rank).fill(1)).sort((a, b) => a - b);
  return axes.length < rank && axes.every((a, i) => a === i) ? axes.length : 0;
}

/** Identity without the copy: the output shares the input's data (as Reshape does); tfjs clones every tensor it saves for a gradient. */
export function sharedIdentityKernel(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: Args<{ x: TensorInfo }>) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return original.kernelFunc(args as never);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** Sum (or Mean, with `mean`) over leading axes by reduceLeadingAxes; any other reduction by the built-in kernel. */
export function leadingReductionKernel(original: KernelConfig, mean = false): KernelConfig {
  const kernelFunc = (args: Args<{ x: TensorInfo }, SumAttrs | MeanAttrs>) => {
    const { x } = args.inputs;
    const count =
      x.dtype === 'float32' && util.sizeFromShape(x.shape) > 0 ? leadingAxisCount(args.attrs.axis, x.shape.length) : 0;
    if (count > 0) return reduceLeadingAxes(args.backend, x, count, args.attrs.keepDims, mean);
    return original.kernelFunc(args as never);
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}
