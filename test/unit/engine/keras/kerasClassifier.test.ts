// The classifier (as the extension host uses it) with a Keras file as its model: a failed load is remembered until
// the file changes, then the repaired file loads and classifies.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { initBackend } from '../../../../src/engine/backend';
import { DigitClassifier } from '../../../../src/engine/classifier';
import { ModelFileError } from '../../../../src/engine/model/modelFiles';

const SEVEN = readFileSync(resolve('test/fixtures/png/seven-grey8.png'));

describe('DigitClassifier with a .keras file', () => {
  let dir: string;
  before(async () => {
    await initBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'mnist-keras-classifier-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads the file again once it has been replaced after a failed load', async () => {
    const file = join(dir, 'model.keras');
    writeFileSync(file, 'not a zip');
    const classifier = new DigitClassifier(
      { path: file, kind: 'custom' },
      () => 'wasm',
      () => [],
    );
    try {
      await assert.rejects(classifier.classifyImageBytes(SEVEN), ModelFileError);
      await assert.rejects(classifier.classifyImageBytes(SEVEN), ModelFileError);
      copyFileSync('test/fixtures/keras/seed003/model.keras', file);
      assert.equal((await classifier.classifyImageBytes(SEVEN)).digit, 7);
    } finally {
      classifier.dispose();
    }
  });
});
