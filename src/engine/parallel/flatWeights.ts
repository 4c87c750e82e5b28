// A model's weights as one flat Float32Array (in model.getWeights() order), to hand between threads.
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

export function flatWeights(model: LayersModel): Float32Array<ArrayBuffer> {
  const weights = model.getWeights();
  const flat = new Float32Array(weights.reduce((sum, w) => sum + w.size, 0));
  let offset = 0;
  for (const w of weights) {
    flat.set(w.dataSync() as Float32Array, offset);
    offset += w.size;
  }
  return flat;
}

/** Tensors of the given shapes, cut in order from `flat` (which must hold exactly their values). */
export function tensorsFromFlat(flat: Float32Array, shapes: number[][]): tf.Tensor[] {
  const expected = shapes.reduce((sum, shape) => sum + tf.util.sizeFromShape(shape), 0);
  if (flat.length !== expected) throw new Error(`expected ${expected} weight values, got ${flat.length}`);
  let offset = 0;
  return shapes.map((shape) => {
    const size = tf.util.sizeFromShape(shape);
    const tensor = tf.tensor(flat.subarray(offset, offset + size), shape, 'float32');
    offset += size;
    return tensor;
  });
}

export function setFlatWeights(model: LayersModel, flat: Float32Array): void {
  const tensors = tensorsFromFlat(
    flat,
    model.getWeights().map((w) => w.shape),
  );
  model.setWeights(tensors);
  tf.dispose(tensors);
}
