// What each layer of a model does with one digit: every layer's output in one call, and a saliency map per top digit
// (the gradient of its score before the softmax with respect to the 28x28 input).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { IMAGE_SIZE } from '../../shared/mnistImage';
import { classScores, computingLayers, imageBatch, toPrediction, type Prediction } from '../predict';
import { topDigits } from '../ranking';

export interface LayerActivation {
  name: string;
  /** Keras class name, e.g. "Conv2D". */
  className: string;
  /** Output shape without the batch axis, e.g. [26, 26, 32]. */
  shape: number[];
  /**
   * The output scaled to 0..255 by the layer's largest absolute value (`scale`), channel by channel for image-shaped
   * outputs ([h, w, c] → c maps of h*w bytes, one after the other), else in the output's order.
   */
  bytes: Uint8Array;
  scale: number;
  stats: ActivationStats;
}

export interface ActivationStats {
  min: number;
  max: number;
  mean: number;
  /** Share of values that are exactly 0 (what relu switched off). */
  zeros: number;
}

export interface Saliency {
  digit: number;
  probability: number;
  /** 784 bytes: |d score / d pixel|, scaled to 0..255 by its largest value, `scale`. */
  map: Uint8Array;
  scale: number;
}

export interface NetworkActivations {
  prediction: Prediction;
  layers: LayerActivation[];
  /** For the three most likely digits, most likely first. */
  saliency: Saliency[];
}

export interface ConvolutionFilters {
  /** The layer's name, e.g. "conv2d". */
  layer: string;
  /** Kernel height and width, e.g. [3, 3]. */
  size: [number, number];
  count: number;
  /** count filters of height*width weights, one after the other (the first input channel's). */
  weights: Float32Array;
}

const SALIENT_DIGITS = 3;

/** Per model: a model with every layer's output as an output (it shares the layers' weights; never disposed). */
const probes = new WeakMap<tfl.LayersModel, tfl.LayersModel>();

function probeModel(model: tfl.LayersModel): tfl.LayersModel {
  let probe = probes.get(model);
  if (!probe) {
    const outputs = computingLayers(model).map((layer) => layer.output as tfl.SymbolicTensor);
    probe = tfl.model({ inputs: model.inputs, outputs });
    probes.set(model, probe);
  }
  return probe;
}

/** Every layer's output for one image (784 values, 0..1), and saliency for the top three digits. */
export function networkActivations(model: tfl.LayersModel, pixels: Float32Array): NetworkActivations {
  const probe = probeModel(model);
  const layers = computingLayers(model);
  const values = tf.tidy(() => {
    const x = imageBatch(model, pixels, 1);
    const outputs = probe.predict(x) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(outputs) ? outputs : [outputs]).map((output) => output.dataSync() as Float32Array);
  });
  const prediction = toPrediction(values[values.length - 1]);
  return {
    prediction,
    layers: layers.map((layer, i) => describeLayer(layer, values[i])),
    saliency: saliencyMaps(model, pixels, prediction),
  };
}

function describeLayer(layer: tfl.layers.Layer, values: Float32Array): LayerActivation {
  const shape = (layer.outputShape as number[]).slice(1);
  const stats = activationStats(values);
  const scale = Math.max(Math.abs(stats.min), Math.abs(stats.max));
  return {
    name: layer.name,
    className: layer.getClassName(),
    shape,
    bytes: toBytes(shape.length === 3 ? channelsFirst(values, shape) : values, scale),
    scale,
    stats,
  };
}

export function activationStats(values: Float32Array): ActivationStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let zeros = 0;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    if (value === 0) zeros++;
  }
  const n = Math.max(1, values.length);
  return { min: values.length ? min : 0, max: values.length ? max : 0, mean: sum / n, zeros: zeros / n };
}

/** [h, w, c] (channels last) → c maps of h*w, one after the other. */
export function channelsFirst(values: Float32Array, [height, width, channels]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  const area = height * width;
  for (let position = 0; position < area; position++)
    for (let channel = 0; channel < channels; channel++)
      out[channel * area + position] = values[position * channels + channel];
  return out;
}

/** |value| / scale as a byte (0 when the scale is 0). */
export function toBytes(values: Float32Array, scale: number): Uint8Array {
  const bytes = new Uint8Array(values.length);
  if (scale > 0) for (let i = 0; i < values.length; i++) bytes[i] = Math.round((Math.abs(values[i]) / scale) * 255);
  return bytes;
}

/**
 * The gradient of each top digit's score with respect to the input, in one backward pass over three copies of the
 * image. The score is the value before the final softmax where it can be reached (classScores), else the probability.
 */
function saliencyMaps(model: tfl.LayersModel, pixels: Float32Array, prediction: Prediction): Saliency[] {
  const top = topDigits(prediction.probabilities, SALIENT_DIGITS);
  const gradients = tf.tidy(() => {
    const copies = new Float32Array(top.length * IMAGE_SIZE);
    for (let i = 0; i < top.length; i++) copies.set(pixels.subarray(0, IMAGE_SIZE), i * IMAGE_SIZE);
    const x = imageBatch(model, copies, top.length);
    const pick = tf.oneHot(
      tf.tensor1d(
        top.map((t) => t.digit),
        'int32',
      ),
      prediction.probabilities.length,
    );
    const score = (input: tf.Tensor) => tf.sum(tf.mul(classScores(model, input).scores, pick));
    return tf.grad(score)(x).dataSync() as Float32Array;
  });
  return top.map(({ digit, probability }, i) => {
    const gradient = gradients.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
    const scale = gradient.reduce((most, value) => Math.max(most, Math.abs(value)), 0);
    return { digit, probability, map: toBytes(gradient, scale), scale };
  });
}

/** The first Conv2D layer's filters, or undefined when the model has none. */
export function firstConvolutionFilters(model: tfl.LayersModel): ConvolutionFilters | undefined {
  const layer = model.layers.find((candidate) => candidate.getClassName() === 'Conv2D');
  if (!layer) return undefined;
  const kernel = layer.getWeights()[0];
  const [height, width, , count] = kernel.shape as number[];
  const values = kernel.dataSync() as Float32Array;
  const inputs = kernel.shape[2]!;
  const weights = new Float32Array(count * height * width);
  for (let filter = 0; filter < count; filter++)
    for (let position = 0; position < height * width; position++)
      weights[filter * height * width + position] = values[position * inputs * count + filter];
  return { layer: layer.name, size: [height, width], count, weights };
}
