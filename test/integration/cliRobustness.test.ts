// npm run mnist -- evaluate --robustness: the clean and corrupted accuracies as text and as JSON.
import { strict as assert } from 'node:assert';
import { CLI_BACKEND_ARGS } from '../testBackend';
import { requireBuiltCli, runCli } from './runCli';
import { CORRUPTIONS } from '../../src/engine/image/corruptions';

describe('CLI evaluate --robustness', function () {
  this.timeout(120_000);
  before(requireBuiltCli);

  it('reports the clean accuracy, each corruption and their mean', async () => {
    const { code, json, stderr } = await runCli([
      'evaluate',
      '--robustness',
      '--limit',
      '100',
      '--json',
      ...CLI_BACKEND_ARGS,
    ]);
    assert.equal(code, 0, stderr);
    assert.equal(json.n, 100);
    assert.deepEqual(
      json.corruptions.map((c: { name: string }) => c.name),
      [...CORRUPTIONS],
    );
    assert.ok(json.clean.accuracy >= 0.95, `clean ${json.clean.accuracy}`);
    assert.ok(json.meanCorrupted > 0.3 && json.meanCorrupted < json.clean.accuracy, `mean ${json.meanCorrupted}`);
    assert.match(stderr, /Mean over the corruptions\s+\d+\.\d\d%/);
  });

  it('refuses a seed that is not a whole number', async () => {
    const { code, stderr } = await runCli(['evaluate', '--robustness', '--seed', 'x', ...CLI_BACKEND_ARGS]);
    assert.equal(code, 2);
    assert.match(stderr, /--seed must be a whole number/);
  });
});
