// The network panel's data on the host side: the engine's activations as the protocol's views. No vscode import.
import type { ConvolutionFilters, NetworkActivations } from '../../engine/model/activations';
import type { FiltersView, NetworkUpdate } from '../../shared/networkProtocol';
import { pixelsToBase64 } from '../../engine/image/preprocess';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');

export function activationsUpdate(pixels: Float32Array, activations: NetworkActivations): NetworkUpdate {
  return {
    type: 'activations',
    digit: activations.prediction.digit,
    image: pixelsToBase64(pixels),
    layers: activations.layers.map(({ name, className, shape, bytes, stats }) => ({
      name,
      className,
      shape,
      bytes: base64(bytes),
      ...stats,
    })),
    saliency: activations.saliency.map(({ digit, probability, map }) => ({ digit, probability, map: base64(map) })),
  };
}

export function filtersView({ layer, size, count, weights }: ConvolutionFilters): FiltersView {
  return { layer, size, count, weights: Array.from(weights) };
}
