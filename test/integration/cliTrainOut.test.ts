// Where `mnist train` saves: a new runs/<time> folder without --out, never the bundled model; --out only when new,
// empty or a model's folder (only that model's files replaced); otherwise a refusal that touches nothing.
import { strict as assert } from 'node:assert';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL_FILE } from '../../src/engine/model/metadata';
import { bundledModelDir } from '../../src/engine/paths';
import { requireBuiltCli, runCli, type CliRun } from './runCli';

const QUICK = ['--epochs', '1', '--limit', '200', '--backend', 'wasm', '--json'];

function train(cwd: string, ...args: string[]): Promise<CliRun> {
  return runCli(['train', ...args], { cwd });
}

const weightFiles = (dir: string) => readdirSync(dir).filter((name) => /^weights-.*\.bin$/.test(name));

describe('CLI train: where the model is saved', function () {
  this.timeout(180_000);
  let cwd: string;
  let firstRun: string;

  before(() => {
    requireBuiltCli();
    cwd = mkdtempSync(join(tmpdir(), 'mnist-train-out-'));
  });
  after(() => rmSync(cwd, { recursive: true, force: true }));

  it('without --out, saves to a new folder under runs/, not the bundled model', async () => {
    const bundled = statSync(join(bundledModelDir(), MODEL_FILE)).mtimeMs;
    const { code, json, stderr } = await train(cwd, ...QUICK);
    assert.equal(code, 0, stderr);
    firstRun = json.out;
    assert.match(firstRun, /[\\/]runs[\\/]\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-seed$/);
    assert.ok(firstRun.startsWith(cwd), firstRun);
    assert.ok(existsSync(join(firstRun, MODEL_FILE)));
    assert.equal(statSync(join(bundledModelDir(), MODEL_FILE)).mtimeMs, bundled);
  });

  it('replaces a model in --out: its own weights go, other files (even weights-*.bin it does not name) stay', async () => {
    const [previous] = weightFiles(firstRun);
    const unrelated = 'weights-0123456789abcdef.bin';
    writeFileSync(join(firstRun, unrelated), 'not this model');
    writeFileSync(join(firstRun, 'notes.txt'), 'mine');
    const { code, stderr } = await train(cwd, ...QUICK, '--seed', '7', '--out', firstRun);
    assert.equal(code, 0, stderr);
    const now = weightFiles(firstRun);
    assert.ok(!now.includes(previous), `the replaced model's ${previous} is removed`);
    assert.ok(now.includes(unrelated));
    assert.equal(readFileSync(join(firstRun, 'notes.txt'), 'utf8'), 'mine');
    assert.ok(readFileSync(join(firstRun, MODEL_FILE), 'utf8').includes(now.find((n) => n !== unrelated)!));
  });

  it('refuses a folder that holds other files and no model, and a file, touching neither', async () => {
    const folder = join(cwd, 'photos');
    mkdirSync(folder);
    writeFileSync(join(folder, 'cat.jpg'), 'meow');
    const refused = await train(cwd, ...QUICK, '--out', 'photos');
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--out photos: the folder holds other files and no model \(model\.json\)/);
    assert.deepEqual(readdirSync(folder), ['cat.jpg']);
    const file = await train(cwd, ...QUICK, '--out', join('photos', 'cat.jpg'));
    assert.equal(file.code, 2);
    assert.match(file.stderr, /cat\.jpg: is a file, not a folder/);
  });

  it('saves into an empty folder or a new one', async () => {
    mkdirSync(join(cwd, 'empty'));
    const { code, json, stderr } = await train(cwd, ...QUICK, '--out', 'empty');
    assert.equal(code, 0, stderr);
    assert.equal(json.out, join(cwd, 'empty'));
    assert.ok(existsSync(join(cwd, 'empty', MODEL_FILE)));
  });
});
