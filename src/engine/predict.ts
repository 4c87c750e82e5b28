// Inference: probabilities for preprocessed 28x28 images.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
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
  /**
   * log Σ exp(score) over the scores before the softmax: low for inputs unlike anything the model was trained on.
   * Undefined when the model's scores before its softmax cannot be reached (see classScores).
   */
  energy?: number;
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

/** One image's prediction, with its energy when the model's scores before the softmax can be reached. */
export function predictDigit(model: LayersModel, pixels: Float32Array): Prediction {
  const { probabilities, logits } = tf.tidy(() => {
    const { scores, beforeSoftmax } = classScores(model, imageBatch(model, pixels, 1));
    const values = scores.dataSync() as Float32Array;
    if (!beforeSoftmax) return { probabilities: values, logits: new Float32Array(0) };
    return { probabilities: tf.softmax(scores).dataSync() as Float32Array, logits: values };
  });
  return logits.length ? { ...toPrediction(probabilities), energy: logSumExp(logits) } : toPrediction(probabilities);
}

/** The model's layers that compute something (its InputLayer left out). */
export function computingLayers(model: LayersModel): tfl.layers.Layer[] {
  return model.layers.filter((layer) => layer.getClassName() !== 'InputLayer');
}

export function logSumExp(values: ArrayLike<number>): number {
  const largest = Math.max(...Array.from(values));
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - largest);
  return largest + Math.log(sum);
}

/**
 * The model's class scores for `input`: the values before its final softmax when it is sequential and ends in one
 * (a softmax Dense layer, or a Softmax or softmax Activation layer), else its output (`beforeSoftmax` false).
 */
export function classScores(model: LayersModel, input: tf.Tensor): { scores: tf.Tensor; beforeSoftmax: boolean } {
  const output = () => ({ scores: model.apply(input, { training: false }) as tf.Tensor, beforeSoftmax: false });
  if (!(model instanceof tfl.Sequential)) return output();
  const layers = computingLayers(model);
  const last = layers[layers.length - 1];
  const { activation } = last.getConfig() as { activation?: string };
  const apply = (upTo: number) =>
    layers.slice(0, upTo).reduce((x, layer) => layer.apply(x, { training: false }) as tf.Tensor, input);
  if (last.getClassName() === 'Softmax' || (last.getClassName() === 'Activation' && activation === 'softmax'))
    return { scores: apply(layers.length - 1), beforeSoftmax: true };
  if (last.getClassName() === 'Dense' && activation === 'softmax') {
    const [kernel, bias] = last.getWeights();
    const product = tf.matMul(apply(layers.length - 1), kernel);
    return { scores: bias ? tf.add(product, bias) : product, beforeSoftmax: true };
  }
  return output();
}

export function toPrediction(probabilities: ArrayLike<number>): Prediction {
  const values = Array.from(probabilities).slice(0, DIGIT_CLASSES);
  return { digit: argMax(values), probabilities: values };
}
