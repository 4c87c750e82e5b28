// The CLI with Keras files: --model FILE.keras|FILE.h5 for classify, evaluate and summary, and export's usage errors.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireBuiltCli, runCli, type CliRun } from './runCli';

const keras = resolve('test/fixtures/keras');
const seven = resolve('test/fixtures/png/seven-grey8.png');

function mnist(...args: string[]): Promise<CliRun> {
  return runCli([...args, '--json']);
}

describe('CLI (dist/cli.js) with Keras model files', () => {
  let dir: string;
  before(() => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'mnist-cli-keras-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('classifies with a .keras and a legacy .h5 file', async () => {
    for (const model of ['seed003/model.keras', 'seed000/mnist_model.h5', 'mlp/mnist_mlp.keras']) {
      const { code, json } = await mnist('classify', seven, '--model', join(keras, model));
      assert.equal(code, 0, model);
      assert.equal(json.results[0].digit, 7, model);
    }
  });

  it("summarises a .keras file with Keras's layer names and evaluates it", async () => {
    const model = join(keras, 'mlp/mnist_mlp.keras');
    const summary = await mnist('summary', '--model', model);
    assert.equal(summary.code, 0);
    assert.deepEqual(
      summary.json.layers.map((l: { name: string }) => l.name),
      ['flatten_2', 'dense_4', 'dropout', 'dense_5'],
    );
    const evaluation = await mnist('evaluate', '--model', model, '--limit', '1000');
    assert.equal(evaluation.code, 0);
    assert.equal(evaluation.json.n, 1000);
    assert.ok(evaluation.json.accuracy > 0.9, `accuracy ${evaluation.json.accuracy}`);
  });

  it('names the file when a Keras file cannot be used', async () => {
    const broken = join(dir, 'broken.keras');
    writeFileSync(broken, 'PK not really a zip');
    const { code, json } = await mnist('classify', seven, '--model', broken);
    assert.equal(code, 1);
    assert.match(json.error, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not a readable zip`));
  });

  it('export needs --out FILE.keras', async () => {
    for (const args of [[], ['--out', join(dir, 'model.h5')]]) {
      const { code, stderr } = await mnist('export', ...args);
      assert.equal(code, 2);
      assert.match(stderr, /export needs --out FILE\.keras/);
    }
  });
});
