// Hostile and damaged model folders loaded in-process, as the extension host loads mnist.modelPath: each is refused
// within 2 s with a message naming the file, without memory growth or leaked tensors, and the bundled model still
// classifies afterwards in the same process.
import * as tf from '@tensorflow/tfjs-core';
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NATIVE_DIR, startTestBackend, TEST_BACKEND } from '../../../testBackend';
import { DigitClassifier, type ModelSource } from '../../../../src/engine/classifier';
import { MODEL_FILE } from '../../../../src/engine/model/metadata';
import { ModelFileError } from '../../../../src/engine/model/modelFiles';
import { bundledModelDir } from '../../../../src/engine/paths';
import { buildHostileModels, type HostileModels } from '../../../fixtures/hostileModels';

const SEVEN = readFileSync(resolve('test/fixtures/png/seven-grey8.png'));
const MAX_SECONDS = 2;
const MAX_GROWTH = 200 * 2 ** 20;

const classifierFor = (source: ModelSource) =>
  new DigitClassifier(
    source,
    () => TEST_BACKEND,
    () => [NATIVE_DIR],
  );

describe('DigitClassifier with hostile model folders (in-process, as in the extension host)', () => {
  let root: string;
  let hostile: HostileModels;

  before(async () => {
    await startTestBackend();
    root = mkdtempSync(join(tmpdir(), 'mnist-hostile-'));
    hostile = await buildHostileModels(root);
  });
  after(async () => {
    await hostile?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('refuses each within 2 s, naming the file, with no memory growth and no tensor left behind', async () => {
    assert.ok(hostile.models.length >= 30, `${hostile.models.length} hostile folders`);
    const failures: string[] = [];
    for (const { name, dir, file, problem } of hostile.models) {
      const classifier = classifierFor({ path: dir, kind: 'custom' });
      await classifier.startBackend();
      const tensors = tf.memory().numTensors;
      const rss = process.memoryUsage().rss;
      const peak = process.resourceUsage().maxRSS * 1024;
      const start = performance.now();
      const error = await classifier.classifyImageBytes(SEVEN).then(
        () => new Error('it classified'),
        (err: Error) => err,
      );
      const seconds = (performance.now() - start) / 1000;
      const growth = Math.max(process.memoryUsage().rss - rss, process.resourceUsage().maxRSS * 1024 - peak);
      classifier.dispose();
      const problems = [
        !(error instanceof ModelFileError) && `not a ModelFileError: ${error.message}`,
        !error.message.startsWith(`${file}: `) && `does not start with ${file}: ${error.message.slice(0, 300)}`,
        !problem.test(error.message) && `does not match ${problem}: ${error.message.slice(0, 300)}`,
        seconds > MAX_SECONDS && `took ${seconds.toFixed(2)} s`,
        growth > MAX_GROWTH && `grew memory by ${Math.round(growth / 2 ** 20)} MB`,
        tf.memory().numTensors !== tensors && `left ${tf.memory().numTensors - tensors} tensors`,
      ].filter(Boolean);
      if (problems.length) failures.push(`${name}: ${problems.join('; ')}`);
    }
    assert.deepEqual(failures, []);
  });

  it('then still classifies a digit with the bundled model, in the same process', async () => {
    const classifier = classifierFor({ path: bundledModelDir(), kind: 'bundled' });
    assert.equal((await classifier.classifyImageBytes(SEVEN)).digit, 7);
    classifier.dispose();
  });

  it('remembers a failed load until a file in the folder changes, then loads the fixed model', async () => {
    const dir = join(root, 'fixed-later');
    cpSync(bundledModelDir(), dir, { recursive: true });
    const good = readFileSync(join(dir, MODEL_FILE), 'utf8');
    writeFileSync(join(dir, MODEL_FILE), good.replace('"units":64', '"units":640'));
    const classifier = classifierFor({ path: dir, kind: 'custom' });
    const first = await classifier.classifyImageBytes(SEVEN).catch((err: Error) => err);
    assert.match(String(first), /its layers have \d+ parameters but its weightsManifest lists 93322 values/);
    for (let stroke = 0; stroke < 3; stroke++) {
      assert.equal(
        await classifier.classifyImageBytes(SEVEN).catch((err: Error) => err),
        first,
        'the same error, not a reload',
      );
    }
    writeFileSync(join(dir, MODEL_FILE), good);
    assert.equal((await classifier.classifyImageBytes(SEVEN)).digit, 7);
    classifier.dispose();
  });
});
