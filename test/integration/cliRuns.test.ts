// The CLI's train --arch (built-in, a model's architecture, fine-tuning) and runs list | show | delete.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledModelDir } from '../../src/engine/paths';
import { requireBuiltCli, runCli } from './runCli';

const QUICK = ['--epochs', '1', '--limit', '300', '--backend', 'wasm', '--json'];

describe('CLI train --arch and runs', function () {
  this.timeout(240_000);
  let cwd: string;
  const runs = (...args: string[]) => runCli(['runs', ...args, '--json'], { cwd });

  before(() => {
    requireBuiltCli();
    cwd = mkdtempSync(join(tmpdir(), 'mnist-cli-runs-'));
  });
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('trains lenet5 and fine-tunes the bundled model as runs in --runs-dir, which runs list shows oldest first', async () => {
    const lenet = await runCli(['train', '--arch', 'lenet5', '--runs-dir', 'kept', ...QUICK], { cwd });
    assert.equal(lenet.code, 0, lenet.stderr);
    assert.match(lenet.json.run, /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-lenet5$/);
    assert.equal(lenet.json.parameters, 61_706);
    assert.equal(lenet.json.out, join(cwd, 'kept', lenet.json.run));
    const tuned = await runCli(['train', '--arch', bundledModelDir(), '--fine-tune', '--runs-dir', 'kept', ...QUICK], {
      cwd,
    });
    assert.equal(tuned.code, 0, tuned.stderr);
    assert.equal(tuned.json.architecture, 'fine-tune');
    assert.ok(tuned.json.accuracy > 0.98, `fine-tuned accuracy ${tuned.json.accuracy}`);

    const listed = await runs('list', '--runs-dir', 'kept');
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      listed.json.runs.map((run: { id: string }) => run.id),
      [lenet.json.run, tuned.json.run].sort(),
    );
    const shown = await runs('show', lenet.json.run, '--runs-dir', 'kept');
    assert.equal(shown.json.metadata.architectureName, 'lenet5');
    assert.equal(shown.json.metadata.testAccuracy, lenet.json.accuracy);
    assert.equal(shown.json.metadata.history.length, 1);
    assert.equal(shown.json.metadata.backend, 'wasm');
  });

  it('deletes a run by its id, and names an unknown one', async () => {
    const [run] = (await runs('list', '--runs-dir', 'kept')).json.runs;
    const deleted = await runs('delete', run.id, '--runs-dir', 'kept');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(existsSync(run.dir), false);
    const again = await runs('delete', run.id, '--runs-dir', 'kept');
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`there is no run "${run.id}"`));
    const traversal = await runs('delete', '..', '--runs-dir', 'kept');
    assert.equal(traversal.code, 1);
    assert.ok(existsSync(join(cwd, 'kept')));
  });

  it('refuses an unknown architecture, --fine-tune of a built-in one, and a runs action it does not know', async () => {
    const unknown = await runCli(['train', '--arch', 'resnet', ...QUICK], { cwd });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--arch resnet: neither a built-in architecture \(seed, mlp, lenet5, strong\)/);
    const fineTune = await runCli(['train', '--arch', 'mlp', '--fine-tune', ...QUICK], { cwd });
    assert.equal(fineTune.code, 2);
    assert.match(fineTune.stderr, /--fine-tune starts from a model's weights/);
    const action = await runs('prune');
    assert.equal(action.code, 2);
  });
});
