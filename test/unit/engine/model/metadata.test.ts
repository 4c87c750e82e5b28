// Model metadata on disk: the bundled model's record, and older records read with today's meaning.
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledModelDir } from '../../../../src/engine/paths';
import { METADATA_FILE, MODEL_FILE, readModelMetadata } from '../../../../src/engine/model/metadata';

describe('model metadata', () => {
  it("records the bundled model's training and validation images apart (60,000 split 0.1)", () => {
    const embedded = readModelMetadata(bundledModelDir())!;
    assert.equal(embedded.trainingImages, 54000);
    assert.equal(embedded.validationImages, 6000);
    const file = JSON.parse(readFileSync(join(bundledModelDir(), METADATA_FILE), 'utf8'));
    assert.equal(file.trainingImages, 54000);
    assert.equal(file.validationImages, 6000);
  });

  it('reads the counts of a model saved before validation images were recorded apart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'old-metadata-'));
    const old = { architecture: 'cnn', epochsRun: 1, backend: 'wasm', trainingSeconds: 9, trainingImages: 2000 };
    const write = (mnist: object) =>
      writeFileSync(join(dir, MODEL_FILE), JSON.stringify({ userDefinedMetadata: { mnist } }));
    write({ ...old, options: { validationSplit: 0.15 } });
    assert.deepEqual([readModelMetadata(dir)?.trainingImages, readModelMetadata(dir)?.validationImages], [1700, 300]);
    // Without the split on record there is nothing to go by.
    write(old);
    assert.equal(readModelMetadata(dir)?.trainingImages, 2000);
    assert.equal(readModelMetadata(dir)?.validationImages, undefined);
  });
});
