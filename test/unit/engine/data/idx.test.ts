import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadDigitSet, loadMnist, parseImages, parseLabels, IdxError } from '../../../../src/engine/data/idx';
import { defaultDataDir } from '../../../../src/engine/paths';

function imagesFile(count: number, rows = 28, cols = 28, magic = 2051): Uint8Array {
  const bytes = new Uint8Array(16 + count * rows * cols);
  const view = new DataView(bytes.buffer);
  [magic, count, rows, cols].forEach((v, i) => view.setUint32(i * 4, v));
  return bytes;
}

function labelsFile(labels: number[], magic = 2049): Uint8Array {
  const bytes = new Uint8Array(8 + labels.length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, magic);
  view.setUint32(4, labels.length);
  bytes.set(labels, 8);
  return bytes;
}

describe('IDX reader', () => {
  it('loads the real MNIST set: 60,000 training and 10,000 test digits with labels', () => {
    const started = performance.now();
    const mnist = loadMnist(defaultDataDir());
    const seconds = (performance.now() - started) / 1000;
    assert.equal(mnist.train.count, 60000);
    assert.equal(mnist.test.count, 10000);
    assert.equal(mnist.train.images.length, 60000 * 784);
    assert.equal(mnist.test.labels.length, 10000);
    // The first test digit of MNIST is a 7, the first training digit a 5.
    assert.equal(mnist.test.labels[0], 7);
    assert.equal(mnist.train.labels[0], 5);
    const counts = new Array(10).fill(0);
    mnist.train.labels.forEach((l) => counts[l]++);
    assert.ok(counts.every((c) => c > 5000), `every digit is well represented: ${counts}`);
    console.log(`      (loaded 70,000 images in ${seconds.toFixed(2)} s)`);
  });

  it('reads gzip-compressed files transparently', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    writeFileSync(join(dir, 'i.gz'), gzipSync(imagesFile(3)));
    writeFileSync(join(dir, 'l'), labelsFile([1, 2, 3]));
    const set = loadDigitSet(join(dir, 'i.gz'), join(dir, 'l'));
    assert.equal(set.count, 3);
    assert.deepEqual(Array.from(set.labels), [1, 2, 3]);
  });

  const rejects = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (err: Error) => err instanceof IdxError && pattern.test(err.message));

  it('names the file and the problem for a wrong magic number', () => {
    rejects(() => parseImages(imagesFile(1, 28, 28, 2049), 'train-images'), /^train-images: is not an IDX image file \(magic number 2049, expected 2051\)/);
    rejects(() => parseLabels(labelsFile([1], 2051), 'train-labels'), /^train-labels: is not an IDX label file/);
  });

  it('rejects images that are not 28x28', () => {
    rejects(() => parseImages(imagesFile(1, 32, 32), 'x'), /has 32x32 images, expected 28x28/);
  });

  it('rejects truncated files and files with trailing bytes', () => {
    const full = imagesFile(2);
    rejects(() => parseImages(full.subarray(0, full.length - 1), 'img'), /^img: is truncated: 1583 bytes for 2 images, expected 1584/);
    rejects(() => parseImages(full.subarray(0, 10), 'img'), /is truncated: 10 bytes, shorter than its 16-byte header/);
    const longer = new Uint8Array(full.length + 5);
    longer.set(full);
    rejects(() => parseImages(longer, 'img'), /has trailing bytes/);
    rejects(() => parseLabels(labelsFile([1, 2]).subarray(0, 9), 'lab'), /^lab: is truncated/);
  });

  it('rejects labels that are not digits, and counts that disagree', () => {
    rejects(() => parseLabels(labelsFile([1, 12]), 'lab'), /label 1 is 12, not a digit/);
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    writeFileSync(join(dir, 'images'), imagesFile(3));
    writeFileSync(join(dir, 'labels'), labelsFile([1, 2]));
    rejects(() => loadDigitSet(join(dir, 'images'), join(dir, 'labels')), /^labels: has 2 labels but images has 3 images/);
  });

  it('reports a damaged gzip file and a missing file by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'idx-'));
    const gz = gzipSync(imagesFile(2));
    writeFileSync(join(dir, 'images.gz'), gz.subarray(0, gz.length - 8));
    writeFileSync(join(dir, 'labels'), labelsFile([1, 2]));
    rejects(() => loadDigitSet(join(dir, 'images.gz'), join(dir, 'labels')), /^images\.gz: is a damaged gzip file/);
    rejects(() => loadDigitSet(join(dir, 'missing'), join(dir, 'labels')), /^missing: cannot be read \(ENOENT\)/);
  });
});
