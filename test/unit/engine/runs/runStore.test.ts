// Kept runs on disk: saved whole or not at all, listed oldest first, read, deleted and pruned by id only.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { createModel, ARCHITECTURE_LAYOUTS } from '../../../../src/engine/model/architecture';
import { MODEL_FILE, type ModelMetadata } from '../../../../src/engine/model/metadata';
import { saveModel } from '../../../../src/engine/model/storage';
import {
  adoptModelFolder,
  deleteRun,
  listRuns,
  newRunId,
  pruneRuns,
  readRun,
  RunNotFoundError,
} from '../../../../src/engine/runs/runStore';
import { saveRun } from '../../../../src/engine/runs/saveRun';
import { disposeModel } from '../../../../src/engine/training/train';

const metadata = (date: string, architectureName = 'mlp'): ModelMetadata => ({
  architecture: ARCHITECTURE_LAYOUTS.mlp,
  architectureName,
  epochsRun: 1,
  testAccuracy: 0.9,
  backend: TEST_BACKEND,
  trainingSeconds: 3,
  trainingImages: 100,
  date,
  tfjsVersion: tf.version_core,
});

describe('kept training runs (runs/runStore.ts)', () => {
  let model: ReturnType<typeof createModel>;
  let runsDir: string;

  before(async () => {
    await startTestBackend();
    model = createModel(1e-3, 1, 'mlp');
  });
  beforeEach(() => {
    runsDir = join(mkdtempSync(join(tmpdir(), 'runs-')), 'runs');
  });
  afterEach(() => rmSync(join(runsDir, '..'), { recursive: true, force: true }));
  after(() => disposeModel(model));

  it('saves each run in its own folder named by date and architecture, listed oldest first', async () => {
    const late = await saveRun(model, runsDir, metadata('2026-12-02T08:00:00.000Z', 'strong'));
    const early = await saveRun(model, runsDir, metadata('2026-12-01T07:00:00.000Z'));
    const again = await saveRun(model, runsDir, metadata('2026-12-01T07:00:00.000Z'));
    assert.deepEqual(
      [early.id, again.id, late.id],
      ['2026-12-01T07-00-00-mlp', '2026-12-01T07-00-00-mlp-2', '2026-12-02T08-00-00-strong'],
    );
    const runs = await listRuns(runsDir);
    assert.deepEqual(
      runs.map((run) => run.id),
      [early.id, again.id, late.id],
    );
    assert.equal(runs[2].metadata?.architectureName, 'strong');
    assert.equal((await readRun(runsDir, early.id)).metadata?.testAccuracy, 0.9);
  });

  it('leaves nothing of a run whose save fails, and lists no folder that is not a run', async () => {
    await assert.rejects(
      saveRun(model, runsDir, metadata('2026-12-02T08:00:00.000Z'), {
        beforeCommit: () => {
          throw new Error('simulated crash');
        },
      }),
      /simulated crash/,
    );
    assert.deepEqual(readdirSync(runsDir), []);
    mkdirSync(join(runsDir, 'notes'));
    writeFileSync(join(runsDir, '2026-12-02T08-00-00-file'), 'not a folder');
    assert.deepEqual(await listRuns(runsDir), []);
    assert.deepEqual(await listRuns(join(runsDir, 'missing')), []);
  });

  it('reads and deletes runs by id only: a path or an unknown id is refused', async () => {
    const run = await saveRun(model, runsDir, metadata('2026-12-02T08:00:00.000Z'));
    for (const id of ['..', '../runs', '2026-12-02T08-00-00-mlp/..', 'nothing', '2026-12-02T09-00-00-mlp']) {
      await assert.rejects(readRun(runsDir, id), RunNotFoundError, id);
      await assert.rejects(deleteRun(runsDir, id), RunNotFoundError, id);
    }
    await deleteRun(runsDir, run.id);
    assert.deepEqual(readdirSync(runsDir), []);
  });

  it('prunes the oldest runs beyond the number to keep, never the one to keep, and abandoned saves', async () => {
    const ids: string[] = [];
    for (const day of [1, 2, 3, 4]) ids.push((await saveRun(model, runsDir, metadata(`2026-11-0${day}T10:00:00Z`))).id);
    // A save by a process that has ended, and one under way in this process.
    const abandoned = '.partial-999999999-00ff00ff';
    const underWay = `.partial-${process.pid}-0a0b0c0d`;
    mkdirSync(join(runsDir, abandoned));
    mkdirSync(join(runsDir, underWay));
    const removed = await pruneRuns(runsDir, 2, [ids[0]]);
    assert.deepEqual(removed, [ids[1], ids[2]]);
    assert.deepEqual(readdirSync(runsDir).sort(), [underWay, ids[0], ids[3]].sort());
  });

  it('adopts a model folder saved before runs were kept, as a run named by its save time', async () => {
    const trained = join(runsDir, '..', 'models', 'trained');
    await saveModel(model, trained, metadata('2026-10-01T10:00:00Z'));
    const id = adoptModelFolder(runsDir, trained)!;
    assert.match(id, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-seed$/);
    assert.deepEqual(
      (await listRuns(runsDir)).map((run) => run.id),
      [id],
    );
    assert.ok(readdirSync(join(runsDir, id)).includes(MODEL_FILE));
    assert.equal(adoptModelFolder(runsDir, trained), undefined, 'nothing left to adopt');
  });

  it('names a run without an architecture by its date alone', () => {
    assert.equal(newRunId(runsDir, new Date('2026-12-02T08:00:00Z')), '2026-12-02T08-00-00');
    assert.equal(newRunId(runsDir, new Date('2026-12-02T08:00:00Z'), '../Fine Tune'), '2026-12-02T08-00-00-fine-tune');
  });
});
