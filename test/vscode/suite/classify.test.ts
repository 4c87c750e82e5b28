// Extension-host suite: MNIST: Classify Digit on one file, a multi-selection, and files that are no PNG to read.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { FileClassification } from '../../../src/extension/commands/classify';
import { activateExtension, fixture } from './helpers';

const classify = (clicked: vscode.Uri, selected?: vscode.Uri[]) =>
  vscode.commands.executeCommand<FileClassification[]>('mnist.classifyDigit', clicked, selected);

describe('MNIST: Classify Digit', () => {
  before(() => activateExtension());

  it('classifies one PNG from the Explorer', async () => {
    const [result] = await classify(fixture('seven-grey8.png'));
    assert.equal(result.digit, 7);
    assert.equal(result.error, undefined);
    assert.ok(result.confidence! > 0.5);
    assert.equal(result.top3!.length, 3);
  });

  it('classifies a multi-selection of PNG formats', async () => {
    const files = [
      'two-grey-alpha.png',
      'one-rgb.png',
      'zero-rgba.png',
      'four-grey16.png',
      'one-palette.png',
      'four-interlaced.png',
    ];
    const results = await classify(fixture(files[0]), files.map(fixture));
    assert.deepEqual(
      results.map((r) => r.digit),
      [2, 1, 0, 4, 1, 4],
    );
  });

  it('names each bad file and still classifies the others', async () => {
    const files = ['corrupt.png', 'seven-rgb-inverted.png', 'empty.png', 'not-a-png.png', 'blank.png'];
    const results = await classify(fixture(files[0]), files.map(fixture));
    assert.equal(results[1].digit, 7);
    assert.match(results[0].error!, /^corrupt\.png: /);
    assert.match(results[2].error!, /^empty\.png: the file is empty/);
    assert.match(results[3].error!, /^not-a-png\.png: .*not a PNG/);
    assert.match(results[4].error!, /^blank\.png: no digit found/);
  });

  it('says a folder named x.png is a folder (the words the CLI uses too)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-classify-'));
    try {
      mkdirSync(join(dir, 'x.png'));
      const results = await classify(vscode.Uri.file(join(dir, 'x.png')), [
        vscode.Uri.file(join(dir, 'x.png')),
        fixture('seven-grey8.png'),
      ]);
      assert.equal(results[0].error, 'x.png: is a folder, not an image file');
      assert.equal(results[1].digit, 7);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
