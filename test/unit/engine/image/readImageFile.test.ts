// readImageFile: the one way the CLI and the extension read an image file, with one wording for what is wrong with the path.
import { strict as assert } from 'node:assert';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readImageFile } from '../../../../src/engine/image/readImageFile';
import { IMAGE_LIMITS, ImageInputError } from '../../../../src/engine/image/imageInput';

/** Expects readImageFile(path) to fail with an ImageInputError whose message is `message`. */
async function refuses(path: string, message: string | RegExp): Promise<void> {
  await assert.rejects(readImageFile(path), (err: unknown) => {
    assert.ok(err instanceof ImageInputError, `an ImageInputError, not ${err}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else assert.match(err.message, message);
    return true;
  });
}

describe('readImageFile', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'read-image-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a PNG file whole', async () => {
    const file = 'test/fixtures/png/seven-grey8.png';
    assert.deepEqual(Buffer.from(await readImageFile(file)), readFileSync(file));
  });

  it('says a folder named x.png is a folder', async () => {
    mkdirSync(join(dir, 'x.png'));
    await refuses(join(dir, 'x.png'), 'x.png: is a folder, not an image file');
  });

  it('says a missing file is not found', async () => {
    await refuses(join(dir, 'missing.png'), 'missing.png: file not found');
  });

  it('refuses a file over the size limit, with its size and the limit', async () => {
    const big = join(dir, 'big.png');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, IMAGE_LIMITS.maxBytes + 1); // sparse: takes no room on disk
    closeSync(fd);
    await refuses(big, /^big\.png: is [\d.]+ MB; the limit is [\d.]+ MB$/);
  });

  it('refuses what is neither a file nor a folder', async function () {
    if (process.platform === 'win32') this.skip();
    await refuses('/dev/null', 'null: is not a plain file');
  });
});
