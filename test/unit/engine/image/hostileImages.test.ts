// Classify Digit's way to a prediction (readImageFile, then the classifier) on paths that are no PNG file to read:
// each gets a message naming the file, at once, without reading unbounded data; the next PNG still classifies.
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigitClassifier } from '../../../../src/engine/classifier';
import { readImageFile } from '../../../../src/engine/image/readImageFile';
import { ImageInputError } from '../../../../src/engine/image/imageInput';
import { bundledModelDir } from '../../../../src/engine/paths';
import { makeHostileImages, type HostileImage } from '../../../fixtures/hostileImages';

describe('hostile image paths (readImageFile + the classifier, as Classify Digit runs them)', function () {
  if (process.platform === 'win32') return;
  let dir: string;
  let images: HostileImage[];
  let close: () => void;
  const classifier = new DigitClassifier(
    { path: bundledModelDir(), kind: 'bundled' },
    () => 'wasm',
    () => [],
  );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mnist-hostile-images-'));
    const made = await makeHostileImages(dir);
    images = made.images;
    close = () => made.server.close();
  });
  after(() => {
    close();
    classifier.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses each with a message naming the file, within 2 s and 200 MB, and then classifies a PNG', async () => {
    const problems: string[] = [];
    for (const image of images) {
      const rss = process.memoryUsage().rss;
      const start = performance.now();
      const error = await readImageFile(image.path)
        .then((bytes) => classifier.classifyImageBytes(bytes, image.name))
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      const ms = performance.now() - start;
      const grownMb = (process.memoryUsage().rss - rss) / 2 ** 20;
      if (!(error instanceof ImageInputError)) problems.push(`${image.name}: not an ImageInputError: ${error}`);
      else if (!error.message.startsWith(`${image.name}: `) || !image.problem.test(error.problem)) {
        problems.push(`${image.name}: "${error.message}"`);
      }
      if (ms > 2000) problems.push(`${image.name}: took ${ms.toFixed(0)} ms`);
      if (grownMb > 200) problems.push(`${image.name}: memory grew ${grownMb.toFixed(0)} MB`);
    }
    assert.deepEqual(problems, []);
    const seven = await classifier.classifyImageBytes(
      await readImageFile('test/fixtures/png/seven-grey8.png'),
      'seven.png',
    );
    assert.equal(seven.digit, 7);
  });
});
