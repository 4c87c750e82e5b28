// The built-in architectures (model/architectureNames.ts lists them), with the layer names Keras gives them.
import { train } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-layers';
import { DIGIT_CLASSES, IMAGE_SIDE } from '../../shared/mnistImage';
import type { BuiltInArchitecture } from './architectureNames';

export const DEFAULT_LEARNING_RATE = 1e-3;

const INPUT_SHAPE = [IMAGE_SIDE, IMAGE_SIDE, 1];

/** Each architecture's layers, in order, as the metadata's architecture line describes them. */
export const ARCHITECTURE_LAYOUTS: Record<BuiltInArchitecture, string> = {
  seed: 'Conv2D 32 3x3 relu → MaxPool 2 → Conv2D 64 3x3 relu → MaxPool 2 → Conv2D 64 3x3 relu → Flatten → Dense 64 relu → Dense 10 softmax',
  mlp: 'Flatten → Dense 128 relu → Dropout 0.2 → Dense 10 softmax',
  lenet5:
    'Conv2D 6 5x5 same tanh → AvgPool 2 → Conv2D 16 5x5 tanh → AvgPool 2 → Flatten → Dense 120 tanh → Dense 84 tanh → Dense 10 softmax',
  strong:
    '2 x (Conv2D 32 3x3 relu → BatchNorm) → MaxPool 2 → Dropout 0.25 → 2 x (Conv2D 64 3x3 relu → BatchNorm) → MaxPool 2 → Dropout 0.25 → Flatten → Dense 128 relu → BatchNorm → Dropout 0.4 → Dense 10 softmax',
};

type LayerFactory = (init: () => ReturnType<typeof tf.initializers.glorotUniform>) => tf.layers.Layer[];

const ARCHITECTURE_LAYERS: Record<BuiltInArchitecture, LayerFactory> = {
  seed: (init) => [
    tf.layers.conv2d({
      inputShape: INPUT_SHAPE,
      filters: 32,
      kernelSize: 3,
      activation: 'relu',
      kernelInitializer: init(),
    }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init() }),
    tf.layers.maxPooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init() }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init() }),
    tf.layers.dense({ units: DIGIT_CLASSES, activation: 'softmax', kernelInitializer: init() }),
  ],
  // The Keras/TensorFlow beginner tutorial's model.
  mlp: (init) => [
    tf.layers.flatten({ inputShape: INPUT_SHAPE }),
    tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }),
    tf.layers.dropout({ rate: 0.2 }),
    tf.layers.dense({ units: DIGIT_CLASSES, activation: 'softmax', kernelInitializer: init() }),
  ],
  // LeCun et al. 1998: C1 6@28x28 (the 32x32 input padded here), S2, C3 16@10x10, S4, C5 120, F6 84, output.
  lenet5: (init) => [
    tf.layers.conv2d({
      inputShape: INPUT_SHAPE,
      filters: 6,
      kernelSize: 5,
      padding: 'same',
      activation: 'tanh',
      kernelInitializer: init(),
    }),
    tf.layers.averagePooling2d({ poolSize: 2 }),
    tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'tanh', kernelInitializer: init() }),
    tf.layers.averagePooling2d({ poolSize: 2 }),
    tf.layers.flatten(),
    tf.layers.dense({ units: 120, activation: 'tanh', kernelInitializer: init() }),
    tf.layers.dense({ units: 84, activation: 'tanh', kernelInitializer: init() }),
    tf.layers.dense({ units: DIGIT_CLASSES, activation: 'softmax', kernelInitializer: init() }),
  ],
  // Filters in 32s and unpadded stride-1 convolutions: every convolution takes the SIMD gradient kernels.
  strong: (init) => {
    const convolution = (filters: number, inputShape?: number[]) => [
      tf.layers.conv2d({ inputShape, filters, kernelSize: 3, activation: 'relu', kernelInitializer: init() }),
      tf.layers.batchNormalization(),
    ];
    return [
      ...convolution(32, INPUT_SHAPE),
      ...convolution(32),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25 }),
      ...convolution(64),
      ...convolution(64),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 128, activation: 'relu', kernelInitializer: init() }),
      tf.layers.batchNormalization(),
      tf.layers.dropout({ rate: 0.4 }),
      tf.layers.dense({ units: DIGIT_CLASSES, activation: 'softmax', kernelInitializer: init() }),
    ];
  },
};

/**
 * A new, compiled model of the architecture `name`. Its layers are named as Keras names them in a fresh session
 * (conv2d, conv2d_1, …): tfjs's own names depend on the models made before. With a seed, the kernels' initial
 * weights are reproducible.
 */
export function createModel(
  learningRate = DEFAULT_LEARNING_RATE,
  seed?: number,
  name: BuiltInArchitecture = 'seed',
): tf.LayersModel {
  let kernels = 0;
  const init = () => tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + ++kernels });
  const layers = ARCHITECTURE_LAYERS[name](init);
  const model = tf.sequential({
    name: name === 'seed' ? 'mnist_cnn' : `mnist_${name}`,
    layers: renamedAsKeras(layers),
  });
  compileModel(model, learningRate);
  return model;
}

/** Keras' names: the class in snake case, numbered from the second layer of a class on (dense, dense_1, …). */
function renamedAsKeras(layers: tf.layers.Layer[]): tf.layers.Layer[] {
  const seen = new Map<string, number>();
  for (const layer of layers) {
    const base = layer
      .getClassName()
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    layer.name = count === 0 ? base : `${base}_${count}`;
  }
  return layers;
}

/** Adam + categorical cross-entropy, for new and for loaded (retrained) models alike. */
export function compileModel(model: tf.LayersModel, learningRate = DEFAULT_LEARNING_RATE): void {
  model.compile({ optimizer: train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}
