// The network panel's messages: what each layer of the active model does with the sketchpad's latest drawing.
import * as v from 'valibot';
import { ready } from './panelMessages';

export const NetworkRequestSchema = v.variant('type', [ready]);
export type NetworkRequest = v.InferOutput<typeof NetworkRequestSchema>;

export interface LayerActivationView {
  name: string;
  /** Keras class name, e.g. "Conv2D". */
  className: string;
  /** Output shape without the batch axis. */
  shape: number[];
  /** base64 bytes: the output scaled to 0..255 (maps one after the other for [h, w, c] outputs). */
  bytes: string;
  min: number;
  max: number;
  mean: number;
  /** Share of exact zeros. */
  zeros: number;
}

export interface SaliencyView {
  digit: number;
  probability: number;
  /** base64 of 784 bytes. */
  map: string;
}

export interface FiltersView {
  layer: string;
  size: [number, number];
  count: number;
  /** count x height x width weights. */
  weights: number[];
}

export type NetworkUpdate =
  | { type: 'model'; label: string; filters?: FiltersView }
  | { type: 'waiting' }
  | {
      type: 'activations';
      digit: number;
      /** The 28x28 image the model saw: base64 of 784 bytes. */
      image: string;
      layers: LayerActivationView[];
      saliency: SaliencyView[];
    }
  | { type: 'activationsError'; message: string };
