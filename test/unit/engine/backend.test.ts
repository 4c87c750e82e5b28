// Where the native backend is looked for: only in the given folders' own node_modules and the extension's, never in
// a folder above them (a package planted in ~/node_modules or /tmp/node_modules would otherwise be loaded).
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNativePackage } from '../../../src/engine/backend';

describe('findNativePackage', () => {
  let root: string;
  let planted: string;

  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'mnist-native-')));
    planted = join(root, 'node_modules', '@tensorflow', 'tfjs-node');
    mkdirSync(planted, { recursive: true });
    writeFileSync(join(planted, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', main: 'index.js' }));
    writeFileSync(join(planted, 'index.js'), "throw new Error('planted package ran');\n");
    mkdirSync(join(root, 'storage', 'native'), { recursive: true });
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("finds the package in a search folder's own node_modules", () => {
    assert.equal(findNativePackage([root]), join(planted, 'index.js'));
  });

  it('does not look in the folders above a search folder, nor in relative ones', () => {
    const found = findNativePackage([join(root, 'storage', 'native'), 'storage']);
    assert.ok(!found?.startsWith(root), `found ${found}`);
  });
});
