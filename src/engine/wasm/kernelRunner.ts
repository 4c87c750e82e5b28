// Runs the wasm backend's kernels from inside other kernels, releasing every intermediate result.
import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';

type Pairs = [number, number][];

/** Runs the wasm backend's own kernels, releasing every intermediate result. */
export class KernelRunner {
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
  adopt(t: TensorInfo) {
    this.temporaries.push(t);
  }
  transpose(x: TensorInfo, perm: number[]) {
    return this.run('Transpose', { x }, { perm });
  }
  reshape(x: TensorInfo, shape: number[]) {
    return this.run('Reshape', { x }, { shape });
  }
  pad(x: TensorInfo, paddings: Pairs) {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }
  slice(x: TensorInfo, begin: number[], size: number[]) {
    return this.run('Slice', { x }, { begin, size });
  }
  reverse(x: TensorInfo, dims: number[]) {
    return this.run('Reverse', { x }, { dims });
  }
  conv2d(x: TensorInfo, filter: TensorInfo, pad: Pairs, dilations: [number, number]) {
    return this.run('Conv2D', { x, filter }, { strides: 1, pad, dilations, dataFormat: 'NHWC' });
  }

  /** Releases every temporary except `result`. */
  finish(result: TensorInfo): TensorInfo {
    for (const t of this.temporaries) if (t !== result) this.backend.disposeData(t.dataId);
    return result;
  }
}
