import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { initBackend } from '../../../../src/engine/backend';
import { FlatAdam } from '../../../../src/engine/parallel/flatAdam';

describe("FlatAdam (the training workers' optimizer)", () => {
  before(async () => assert.equal((await initBackend('wasm')).name, 'wasm'));

  it('takes the same steps as tfjs Adam, with the gradient given in parts', () => {
    const shapes = [[3, 3, 1, 4], [4], [7, 2]];
    const config = { learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const variables = shapes.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, 1, 'float32', i + 1)));
    const reference = tf.train.adam(config.learningRate, config.beta1, config.beta2, config.epsilon);
    const flat = new Float32Array(variables.flatMap((v) => Array.from(v.dataSync())));
    const adam = new FlatAdam(config, flat.length);

    for (let step = 0; step < 30; step++) {
      // Two halves of each gradient, as two workers would send them; their sum is what tfjs gets.
      const halves = [0, 1].map((half) =>
        new Float32Array(flat.length).map((_, i) => Math.sin(step * 7 + i * 3 + half) * (1 + half)),
      );
      const sum = halves[0].map((g, i) => g + halves[1][i]);
      let offset = 0;
      const grads = variables.map((v) => {
        const g = tf.tensor(sum.subarray(offset, offset + v.size), v.shape);
        offset += v.size;
        return { name: v.name, tensor: g };
      });
      reference.applyGradients(grads);
      tf.dispose(grads.map((g) => g.tensor));
      adam.update(flat, halves);
    }

    const expected = variables.flatMap((v) => Array.from(v.dataSync()));
    const start = variables.flatMap((_, i) =>
      Array.from(tf.randomNormal(shapes[i], 0, 1, 'float32', i + 1).dataSync()),
    );
    const moved = expected.reduce((m, e, i) => Math.max(m, Math.abs(e - start[i])), 0);
    assert.ok(moved > 0.02, `30 steps should move the weights (moved ${moved})`);
    const diff = expected.reduce((m, e, i) => Math.max(m, Math.abs(e - flat[i])), 0);
    assert.ok(diff < 1e-6, `FlatAdam differs from tfjs Adam by ${diff}`);
    tf.dispose([...variables]);
    reference.dispose();
  });

  it('refuses gradients of the wrong length', () => {
    const adam = new FlatAdam({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 }, 4);
    assert.throws(() => adam.update(new Float32Array(4), [new Float32Array(3)]), /expects 4 weights/);
  });
});
