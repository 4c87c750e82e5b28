// Finding npm to run without a shell: Node on npm-cli.js, from the PATH, for POSIX and Windows install layouts.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { findNpm, npmInstallArgs } from '../../../../src/extension/commands/npmCommand';

const touch = (path: string) => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
};

describe('npm without a shell', () => {
  it('runs npm-cli.js of a POSIX install with the node beside it, from a folder with a space', function () {
    if (process.platform === 'win32') this.skip();
    const root = join(mkdtempSync(join(tmpdir(), 'npm-')), 'Program Files');
    const cli = join(root, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
    touch(cli);
    touch(join(root, 'bin', 'node'));
    symlinkSync(cli, join(root, 'bin', 'npm'));
    const empty = mkdtempSync(join(tmpdir(), 'no-npm-'));
    const path = [empty, join(root, 'bin')].join(delimiter);
    assert.deepEqual(findNpm(path, 'linux', '/fallback/node'), { command: join(root, 'bin', 'node'), args: [cli] });
    assert.equal(findNpm(empty, 'linux', '/fallback/node'), undefined);
  });

  it("runs a version manager's npm shim itself, still without a shell", function () {
    if (process.platform === 'win32') this.skip();
    const bin = mkdtempSync(join(tmpdir(), 'npm-shim-'));
    touch(join(bin, 'npm'));
    assert.deepEqual(findNpm(bin, 'linux', '/fallback/node'), { command: join(bin, 'npm'), args: [] });
  });

  it('runs npm-cli.js of a Windows install (npm.cmd, node.exe and node_modules/npm in one folder)', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'npm-win-')), 'Users', 'Ada Lovelace', 'nodejs');
    const cli = join(root, 'node_modules', 'npm', 'bin', 'npm-cli.js');
    touch(cli);
    touch(join(root, 'npm.cmd'));
    assert.deepEqual(findNpm(`C:\\nowhere;${root}`, 'win32', 'code.exe'), { command: 'code.exe', args: [cli] });
    touch(join(root, 'node.exe'));
    assert.deepEqual(findNpm(root, 'win32', 'code.exe'), { command: join(root, 'node.exe'), args: [cli] });
  });

  it("keeps a prefix with spaces one argument, and the machine's npm runs that way", function () {
    const npm = findNpm(process.env.PATH ?? '', process.platform, process.execPath);
    if (!npm) this.skip();
    const args = npmInstallArgs(npm, '/home/Ada Lovelace/native', '@tensorflow/tfjs-node@4.22.0');
    assert.deepEqual(args.slice(-3), ['--prefix', '/home/Ada Lovelace/native', '@tensorflow/tfjs-node@4.22.0']);
    const version = execFileSync(npm.command, [...npm.args, '--version'], { encoding: 'utf8', shell: false });
    assert.match(version.trim(), /^\d+\.\d+\.\d+/);
  });
});
