// The kernels training needs on the wasm backend, installed once it has started: the convolution gradients
// (gradients.ts), MaxPoolGrad, the relu + bias gradient of the fused convolution, and faster paths for BatchMatMul,
// Sum, Mean and Identity.
import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { leadingReductionKernel, sharedIdentityKernel } from './fastPaths';
import { RELU_BIAS_GRAD } from './fusedConvolution';
import { conv2dBackpropFilter, conv2dBackpropInput } from './gradients';
import { fewerTransposesMatMulKernel } from './matMul';
import { maxPoolGrad } from './maxPoolGrad';
import { reluBiasGradKernel } from './simdKernels';

let installed = false;

function replaceKernel(kernelName: string, kernelFunc: unknown): void {
  if (getKernel(kernelName, 'wasm')) unregisterKernel(kernelName, 'wasm');
  registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as never });
}

/** Wraps a built-in wasm kernel (set up already, as the backend has started) with a faster path for some cases. */
function wrapKernel(kernelName: string, wrap: (original: KernelConfig) => KernelConfig): void {
  const original = getKernel(kernelName, 'wasm');
  if (!original) throw new Error(`wasm kernel ${kernelName} is missing`);
  unregisterKernel(kernelName, 'wasm');
  registerKernel(wrap(original));
}

/** Installs the kernels listed above (once per process). */
export function registerTrainingKernels(): void {
  if (installed) return;
  replaceKernel(RELU_BIAS_GRAD, reluBiasGradKernel);
  replaceKernel('Conv2DBackpropFilter', conv2dBackpropFilter);
  replaceKernel('Conv2DBackpropInput', conv2dBackpropInput);
  wrapKernel('BatchMatMul', fewerTransposesMatMulKernel);
  replaceKernel('MaxPoolGrad', maxPoolGrad);
  wrapKernel('Sum', (original) => leadingReductionKernel(original));
  wrapKernel('Mean', (original) => leadingReductionKernel(original, true));
  wrapKernel('Identity', sharedIdentityKernel);
  installed = true;
}
