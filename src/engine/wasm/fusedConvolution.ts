// Convolution + bias + relu as one kernel while training too. tfjs fuses them only outside gradient tapes, so a
// training step otherwise runs Conv2D, a broadcast Add and a Relu per layer. Here each convolution layer calls the
// FusedConv2D kernel directly, and that kernel gets a gradient: relu mask, then the input, filter and bias gradients,
// each computed only when the tape needs it (the first layer's input gradient never is).
import * as tf from '@tensorflow/tfjs-core';
import type { FusedConv2DAttrs, GradConfig, NamedAttrMap } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

const FUSED_CONV = 'FusedConv2D';
const FUSABLE_ACTIVATIONS = new Set(['relu', 'linear']);

/**
 * An optional kernel, inputs { dy, y } (NHWC, y the relu's output): outputs dy masked by y > 0, and that summed over
 * N, H and W (the bias gradient). The wasm backend registers it (wasmSimdKernels.ts); elsewhere tf ops do the same.
 */
export const RELU_BIAS_GRAD = 'ReluBiasGrad';

function reluAndBiasGradients(dy: tf.Tensor4D, y: tf.Tensor4D): [tf.Tensor4D, tf.Tensor1D] {
  if (tf.getKernel(RELU_BIAS_GRAD, tf.getBackend())) {
    return tf.engine().runKernel(RELU_BIAS_GRAD, { dy, y }, {}) as unknown as [tf.Tensor4D, tf.Tensor1D];
  }
  const dyPre = tf.mul(dy, tf.step(y)) as tf.Tensor4D;
  return [dyPre, tf.sum(dyPre, [0, 1, 2])];
}

const fusedConvGradient: GradConfig = {
  kernelName: FUSED_CONV,
  inputsToSave: ['x', 'filter'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dataFormat, dimRoundingMode, activation } = attrs as unknown as FusedConv2DAttrs;
    const [dyPre, biasGrad] =
      activation === 'relu'
        ? reluAndBiasGradients(dy as tf.Tensor4D, y)
        : [dy as tf.Tensor4D, tf.sum(dy as tf.Tensor4D, [0, 1, 2])];
    const common = { strides, pad, dataFormat, dimRoundingMode } as unknown as NamedAttrMap;
    return {
      x: () =>
        tf
          .engine()
          .runKernel('Conv2DBackpropInput', { dy: dyPre, filter }, { ...common, inputShape: x.shape }) as tf.Tensor,
      filter: () =>
        tf
          .engine()
          .runKernel('Conv2DBackpropFilter', { x, dy: dyPre }, { ...common, filterShape: filter.shape }) as tf.Tensor,
      bias: () => biasGrad,
    };
  },
};

let gradientRegistered = false;

/** The parts of tfjs-layers' Conv2D that the fused call reads. */
interface ConvLayer {
  getClassName(): string;
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: object): tf.Tensor;
  kernel: { read(): tf.Tensor };
  bias?: { read(): tf.Tensor } | null;
  activation: { getClassName(): string };
  strides: number[];
  padding: 'valid' | 'same';
  dataFormat: string;
  dilationRate: number[];
  rank: number;
}

function isFusable(layer: ConvLayer): boolean {
  return (
    layer.getClassName() === 'Conv2D' &&
    layer.rank === 2 &&
    layer.dataFormat === 'channelsLast' &&
    layer.bias != null &&
    FUSABLE_ACTIVATIONS.has(layer.activation.getClassName().toLowerCase()) &&
    layer.dilationRate.every((d) => d === 1)
  );
}

/** Makes the model's Conv2D layers (relu or linear, with bias, NHWC) run as one fused kernel, in training too. */
export function fuseConvolutions(model: LayersModel): void {
  if (!gradientRegistered) {
    tf.registerGradient(fusedConvGradient);
    gradientRegistered = true;
  }
  for (const layer of model.layers as unknown as ConvLayer[]) {
    if (!isFusable(layer)) continue;
    const activation = layer.activation.getClassName().toLowerCase();
    layer.call = (inputs) => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.engine().runKernel(FUSED_CONV, { x, filter: layer.kernel.read(), bias: layer.bias!.read() }, {
        strides: layer.strides,
        pad: layer.padding,
        dataFormat: 'NHWC',
        dilations: 1,
        activation,
      } as unknown as NamedAttrMap) as tf.Tensor;
    };
  }
}
