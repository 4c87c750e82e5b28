// npm run mnist -- classify says "not sure" for an image that is no digit, and is sure of a real one.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_BACKEND_ARGS } from '../testBackend';
import { noisePng } from '../fixtures/unlikeDigits';
import { requireBuiltCli, runCli } from './runCli';

describe('CLI classify: uncertainty', function () {
  this.timeout(60_000);
  let folder: string;

  before(() => {
    requireBuiltCli();
    folder = mkdtempSync(join(tmpdir(), 'mnist-unsure-'));
    writeFileSync(join(folder, 'noise.png'), noisePng(9));
  });

  after(() => rmSync(folder, { recursive: true, force: true }));

  it('flags noise as not a digit and is sure of a drawn 7', async () => {
    const files = [join(folder, 'noise.png'), resolve('test/fixtures/png/seven-grey8.png')];
    const { code, json, stderr } = await runCli(['classify', ...files, '--json', ...CLI_BACKEND_ARGS]);
    assert.equal(code, 0);
    assert.deepEqual(
      json.results.map((r: { sure: boolean }) => r.sure),
      [false, true],
    );
    assert.match(stderr, /noise\.png → \d .*this does not look like a digit \(\d or \d\?\)/);
  });
});
