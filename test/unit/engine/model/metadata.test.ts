// Model metadata on disk: the bundled model's record, and older records read with today's meaning.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledModelDir } from '../../../../src/engine/paths';
import {
  checkMetadata,
  METADATA_FILE,
  metadataOf,
  MODEL_FILE,
  readModelMetadata,
} from '../../../../src/engine/model/metadata';

describe('model metadata', () => {
  it("records the bundled model's training and validation images apart (60,000 split 0.1)", async () => {
    const embedded = (await readModelMetadata(bundledModelDir()))!;
    assert.equal(embedded.trainingImages, 54000);
    assert.equal(embedded.validationImages, 6000);
    const file = JSON.parse(readFileSync(join(bundledModelDir(), METADATA_FILE), 'utf8'));
    assert.equal(file.trainingImages, 54000);
    assert.equal(file.validationImages, 6000);
  });

  it('reads the counts of a model saved before validation images were recorded apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'old-metadata-'));
    const old = { architecture: 'cnn', epochsRun: 1, backend: 'wasm', trainingSeconds: 9, trainingImages: 2000 };
    const write = (mnist: object) =>
      writeFileSync(join(dir, MODEL_FILE), JSON.stringify({ userDefinedMetadata: { mnist } }));
    write({ ...old, options: { validationSplit: 0.15 } });
    const split = await readModelMetadata(dir);
    assert.deepEqual([split?.trainingImages, split?.validationImages], [1700, 300]);
    // Without the split on record there is nothing to go by.
    write(old);
    const noSplit = await readModelMetadata(dir);
    assert.equal(noSplit?.trainingImages, 2000);
    assert.equal(noSplit?.validationImages, undefined);
  });
});

describe('model metadata from a file anyone may have written', () => {
  const core = { architecture: 'cnn', epochsRun: 1, backend: 'wasm', trainingSeconds: 9, trainingImages: 2000 };
  const record = (mnist: unknown) => ({ userDefinedMetadata: { mnist } });

  it('ignores unknown fields and drops optional fields of the wrong type', () => {
    const metadata = metadataOf(record({ ...core, date: 20240101, testAccuracy: '99%', evil: { a: 1 } }));
    assert.deepEqual(metadata, core);
    const options = metadataOf(record({ ...core, options: { epochs: 'many', batchSize: 32 } }))?.options;
    assert.deepEqual(options, { batchSize: 32 });
    assert.equal(metadataOf(record({ ...core, history: [{ epoch: 'x' }] }))?.history, undefined);
  });

  it('treats a record without its core fields as absent, saying why', () => {
    assert.deepEqual(checkMetadata(record({ ...core, epochsRun: '1' })), {
      problem: 'its training metadata is not usable (epochsRun: Invalid type: Expected number but received "1")',
    });
    assert.equal(metadataOf(record('cnn')), undefined);
    assert.equal(metadataOf(null), undefined);
    assert.deepEqual(checkMetadata({}), { problem: 'the model records no training metadata' });
  });

  it('reads model.json without waiting on a FIFO or reading a symlink to /dev/zero', async function () {
    if (process.platform === 'win32') this.skip();
    const fifo = mkdtempSync(join(tmpdir(), 'fifo-metadata-'));
    execFileSync('mkfifo', [join(fifo, MODEL_FILE)]);
    const zero = mkdtempSync(join(tmpdir(), 'zero-metadata-'));
    symlinkSync('/dev/zero', join(zero, MODEL_FILE));
    assert.equal(await readModelMetadata(fifo), undefined);
    assert.equal(await readModelMetadata(zero), undefined);
  });
});
