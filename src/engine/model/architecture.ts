// The seed CNN: three convolutions, two poolings, a dense layer and a softmax.
import { train } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-layers';
import { DIGIT_CLASSES, IMAGE_SIDE } from '../../shared/mnistImage';

export const DEFAULT_LEARNING_RATE = 1e-3;

export const ARCHITECTURE =
  'Conv2D 32 3x3 relu → MaxPool 2 → Conv2D 64 3x3 relu → MaxPool 2 → Conv2D 64 3x3 relu → Flatten → Dense 64 relu → Dense 10 softmax';

/** Layer names as Keras gives them to this stack in a fresh session (tfjs's own depend on the models made before). */
export const LAYER_NAMES = [
  'conv2d',
  'max_pooling2d',
  'conv2d_1',
  'max_pooling2d_1',
  'conv2d_2',
  'flatten',
  'dense',
  'dense_1',
] as const;

export function createModel(learningRate = DEFAULT_LEARNING_RATE, seed?: number): tf.LayersModel {
  const init = (offset: number) =>
    tf.initializers.glorotUniform({ seed: seed === undefined ? undefined : seed + offset });
  const [conv1, pool1, conv2, pool2, conv3, flatten, dense, output] = LAYER_NAMES;
  const model = tf.sequential({
    name: 'mnist_cnn',
    layers: [
      tf.layers.conv2d({
        name: conv1,
        inputShape: [IMAGE_SIDE, IMAGE_SIDE, 1],
        filters: 32,
        kernelSize: 3,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.maxPooling2d({ name: pool1, poolSize: 2 }),
      tf.layers.conv2d({ name: conv2, filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ name: pool2, poolSize: 2 }),
      tf.layers.conv2d({ name: conv3, filters: 64, kernelSize: 3, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.flatten({ name: flatten }),
      tf.layers.dense({ name: dense, units: 64, activation: 'relu', kernelInitializer: init(4) }),
      tf.layers.dense({
        name: output,
        units: DIGIT_CLASSES,
        activation: 'softmax',
        kernelInitializer: init(5),
      }),
    ],
  });
  compileModel(model, learningRate);
  return model;
}

/** Adam + categorical cross-entropy, for new and for loaded (retrained) models alike. */
export function compileModel(model: tf.LayersModel, learningRate = DEFAULT_LEARNING_RATE): void {
  model.compile({ optimizer: train.adam(learningRate), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}
