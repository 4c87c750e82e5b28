// Inference: probabilities for preprocessed 28x28 images.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { IMAGE_SIDE, IMAGE_SIZE } from '../shared/mnistImage';
import { DIGIT_CLASSES } from '../shared/mnistImage';
import { argMax } from './ranking';

/** The input shapes a digit classifier may take (without the batch size): the same 784 pixels, row by row. */
export const IMAGE_INPUT_SHAPES = [[IMAGE_SIDE, IMAGE_SIDE, 1], [IMAGE_SIDE, IMAGE_SIDE], [IMAGE_SIZE]];

export interface Prediction {
  digit: number;
  /** Ten probabilities, index = digit. */
  probabilities: number[];
}

/** `count` images back to back in `pixels` as the model's input: its input shape decides the layout (see IMAGE_INPUT_SHAPES). */
export function imageBatch(model: LayersModel, pixels: Float32Array, count: number): tf.Tensor {
  return tf.tensor(pixels.subarray(0, count * IMAGE_SIZE), [count, ...(model.inputs[0].shape.slice(1) as number[])]);
}

/** Probabilities for `count` images stored back to back in `pixels` (784 values each, 0..1), in one batch. */
export function predictProbabilities(
  model: LayersModel,
  pixels: Float32Array,
  count = pixels.length / IMAGE_SIZE,
): Float32Array {
  return tf.tidy(() => {
    const x = imageBatch(model, pixels, count);
    // One batch of `count`: predict's default (32) would slice the input and concatenate the results.
    return (model.predict(x, { batchSize: Math.max(1, count) }) as tf.Tensor).dataSync() as Float32Array;
  });
}

export function predictDigit(model: LayersModel, pixels: Float32Array): Prediction {
  return toPrediction(predictProbabilities(model, pixels, 1));
}

export function toPrediction(probabilities: ArrayLike<number>): Prediction {
  const values = Array.from(probabilities).slice(0, DIGIT_CLASSES);
  return { digit: argMax(values), probabilities: values };
}
