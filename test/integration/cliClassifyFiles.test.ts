// classify names what is wrong with a path that is no PNG file to read: a folder called x.png, a file over the size
// limit (the same words as the extension's, from the engine's readImageFile).
import { strict as assert } from 'node:assert';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { IMAGE_LIMITS } from '../../src/engine/image/imageInput';
import { makeHostileImages } from '../fixtures/hostileImages';
import { requireBuiltCli, runCli } from './runCli';

interface Classified {
  results: { file: string; digit?: number; error?: string }[];
}

async function classify(...files: string[]): Promise<{ code: number; json: Classified; stderr: string }> {
  return runCli(['classify', ...files, '--json']);
}

describe('CLI (dist/cli.js) classify: paths that are no PNG file', () => {
  let dir: string;

  before(() => {
    requireBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'mnist-cli-files-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says a folder named x.png is a folder, and still classifies the other files', async () => {
    const folder = join(dir, 'x.png');
    mkdirSync(folder);
    const { code, json, stderr } = await classify(folder, resolve('test/fixtures/png/seven-grey8.png'));
    assert.equal(code, 1);
    assert.equal(json.results[0].error, 'x.png: is a folder, not an image file');
    assert.equal(json.results[1].digit, 7);
    assert.match(stderr, /x\.png: error: x\.png: is a folder, not an image file/);
  });

  it('refuses a file over the size limit', async () => {
    const big = join(dir, 'big.png');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, IMAGE_LIMITS.maxBytes + 1); // sparse: takes no room on disk
    closeSync(fd);
    const { code, json } = await classify(big);
    assert.equal(code, 1);
    assert.match(json.results[0].error!, /^big\.png: is [\d.]+ MB; the limit is [\d.]+ MB$/);
  });

  it('names what is wrong with each of 11 hostile paths, and still classifies the good file', async function () {
    if (process.platform === 'win32') this.skip();
    const hostile = join(dir, 'hostile');
    mkdirSync(hostile);
    const { images, server } = await makeHostileImages(hostile);
    try {
      const { code, json } = await classify(...images.map((i) => i.path), resolve('test/fixtures/png/seven-grey8.png'));
      assert.equal(code, 1);
      images.forEach((image, i) => {
        const error = json.results[i].error ?? '(classified)';
        assert.ok(error.startsWith(`${image.name}: `), `${image.name}: ${error}`);
        assert.match(error.slice(image.name.length + 2), image.problem, image.name);
      });
      assert.equal(json.results.at(-1)!.digit, 7);
    } finally {
      server.close();
    }
  });
});
