// npm run mnist -- activations: each layer's output and the saliency of the top digits, for the bundled model and
// for Keras files (an MLP with a (28, 28) input and Dropout, a CNN), and a clear error for a bad PNG.
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { CLI_BACKEND_ARGS } from '../testBackend';
import { requireBuiltCli, runCli } from './runCli';

const seven = resolve('test/fixtures/png/seven-grey8.png');
const activations = (...args: string[]) => runCli(['activations', ...args, '--json', ...CLI_BACKEND_ARGS]);

interface LayerRow {
  name: string;
  type: string;
  shape: number[];
  min: number;
  max: number;
  zeros: number;
}

describe('CLI activations', function () {
  this.timeout(60_000);
  before(requireBuiltCli);

  it("gives each layer of the bundled model its shape and statistics, and the top digits' strongest pixels", async () => {
    const { code, json } = await activations(seven);
    assert.equal(code, 0);
    assert.equal(json.digit, 7);
    const layers: LayerRow[] = json.layers;
    assert.deepEqual(
      layers.map((l) => [l.name, l.shape.join('x')]),
      [
        ['conv2d', '26x26x32'],
        ['max_pooling2d', '13x13x32'],
        ['conv2d_1', '11x11x64'],
        ['max_pooling2d_1', '5x5x64'],
        ['conv2d_2', '3x3x64'],
        ['flatten', '576'],
        ['dense', '64'],
        ['dense_1', '10'],
      ],
    );
    for (const layer of layers.slice(0, -1)) {
      assert.ok(layer.min >= 0 && layer.max > 0, `${layer.name}: relu outputs are ≥ 0 and not all 0`);
      assert.ok(layer.zeros > 0 && layer.zeros < 1, `${layer.name}: zeros ${layer.zeros}`);
    }
    assert.ok(Math.abs(layers.at(-1)!.max - 1) < 1e-3, 'the softmax of a confident 7');
    assert.deepEqual(json.saliency.map((s: { digit: number }) => s.digit).slice(0, 1), [7]);
    for (const { strongest } of json.saliency) {
      assert.equal(strongest.length, 5);
      assert.equal(strongest[0].weight, 1);
      for (const p of strongest) assert.ok(p.row >= 0 && p.row < 28 && p.column >= 0 && p.column < 28);
    }
  });

  for (const file of ['mlp/mnist_mlp.keras', 'seed000/mnist_model.keras']) {
    it(`works on a Keras file: ${file}`, async () => {
      const { code, json, stderr } = await activations(seven, '--model', resolve('test/fixtures/keras', file));
      assert.equal(code, 0, stderr);
      assert.equal(json.digit, 7);
      assert.equal(json.layers.at(-1).shape.join(), '10');
      assert.equal(json.saliency.length, 3);
    });
  }

  it('names a damaged PNG and exits non-zero', async () => {
    const { code, stderr } = await activations(resolve('test/fixtures/png/corrupt.png'));
    assert.equal(code, 1);
    assert.match(stderr, /corrupt\.png: /);
  });
});
