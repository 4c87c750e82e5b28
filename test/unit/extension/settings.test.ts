import { strict as assert } from 'node:assert';
import { DEFAULT_TRAIN_OPTIONS } from '../../../src/engine/training/trainOptions';
import {
  architectureFromSettings,
  backendFromSettings,
  runsKeepFromSettings,
  modelPathFromSettings,
  resolveModelPath,
  serverPortFromSettings,
  trainOptionsFromSettings,
  type SettingReader,
} from '../../../src/extension/settings';
import { parseTrainerRequest } from '../../../src/engine/training/trainerProtocol';

const reader =
  (values: Record<string, unknown>): SettingReader =>
  <T>(key: string) =>
    values[key] as T | undefined;

describe('settings → engine options', () => {
  it('reads mnist.server.port, warning about a port that cannot be one', () => {
    assert.equal(serverPortFromSettings(reader({})), 7860);
    assert.equal(serverPortFromSettings(reader({ 'server.port': 0 })), 0);
    assert.equal(serverPortFromSettings(reader({ 'server.port': 8080 })), 8080);
    for (const bad of [70000, -1, 80.5, '8080']) {
      const warnings: string[] = [];
      assert.equal(
        serverPortFromSettings(reader({ 'server.port': bad }), (id, problem) => warnings.push(`${id} ${problem}`)),
        7860,
      );
      assert.match(warnings[0], /^mnist\.server\.port must be a whole number from 0 to 65535/);
    }
  });

  it('uses the defaults when nothing is set', () => {
    assert.deepEqual(trainOptionsFromSettings(reader({})), DEFAULT_TRAIN_OPTIONS);
  });

  it('maps every mnist.training.* setting', () => {
    const options = trainOptionsFromSettings(
      reader({
        'training.epochs': 1,
        'training.batchSize': 128,
        'training.learningRate': 0.01,
        'training.validationSplit': 0.2,
        'training.earlyStoppingPatience': 0,
        'training.augment': true,
        'training.trainingSubset': 500,
      }),
    );
    assert.deepEqual(options, {
      ...DEFAULT_TRAIN_OPTIONS,
      epochs: 1,
      batchSize: 128,
      learningRate: 0.01,
      validationSplit: 0.2,
      earlyStoppingPatience: 0,
      augment: true,
      trainingSubset: 500,
    });
  });

  it('rejects out-of-range values with a message naming them', () => {
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.epochs': 0 })),
      /mnist\.training\.epochs must be an integer in \[1, 1000\] \(got 0\)/,
    );
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.validationSplit': 1.5 })),
      /mnist\.training\.validationSplit must be a number in \[0, 1\) \(got 1\.5\)/,
    );
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.batchSize': 2.5 })),
      /batchSize must be an integer/,
    );
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.learningRate': 'fast' })),
      /mnist\.training\.learningRate must be a number in \(0, 1\) \(got "fast"\)/,
    );
  });

  it('refuses a batch size above what the training process accepts, up front', () => {
    // 5,000 once passed this check and then failed in the training process as a "malformed request".
    assert.throws(
      () => trainOptionsFromSettings(reader({ 'training.batchSize': 5000 })),
      /mnist\.training\.batchSize must be an integer in \[1, 4096\] \(got 5000\)/,
    );
  });

  it('accepts exactly what the training process accepts', () => {
    const options = trainOptionsFromSettings(reader({ 'training.batchSize': 4096, 'training.trainingSubset': 60000 }));
    const start = {
      type: 'start',
      options,
      architecture: { builtIn: 'seed' },
      backend: 'auto',
      nativeSearchPaths: [],
      dataDir: '/d',
      destination: { runsDir: '/r' },
    };
    assert.ok(parseTrainerRequest(start));
    assert.equal(parseTrainerRequest({ ...start, options: { ...options, batchSize: 5000 } }), undefined);
  });

  it('reads the architecture and how many runs to keep, warning about a bad value and using the default', () => {
    const warnings: string[] = [];
    const warn = (setting: string, problem: string) => warnings.push(`${setting} ${problem}`);
    assert.equal(architectureFromSettings(reader({})), 'seed');
    assert.equal(architectureFromSettings(reader({ 'training.architecture': 'fine-tune' })), 'fine-tune');
    assert.equal(architectureFromSettings(reader({ 'training.architecture': 'resnet' }), warn), 'seed');
    assert.equal(runsKeepFromSettings(reader({})), 20);
    assert.equal(runsKeepFromSettings(reader({ 'runs.keep': 3 })), 3);
    assert.equal(runsKeepFromSettings(reader({ 'runs.keep': 0 }), warn), 20);
    assert.deepEqual(warnings, [
      'mnist.training.architecture must be one of "seed", "mlp", "lenet5", "strong", "active", "fine-tune" (got "resnet")',
      'mnist.runs.keep must be a whole number from 1 to 1000 (got 0)',
    ]);
  });

  it('reads the backend and the model path', () => {
    assert.equal(backendFromSettings(reader({})), 'auto');
    assert.equal(backendFromSettings(reader({ backend: 'wasm' })), 'wasm');
    assert.equal(backendFromSettings(reader({ backend: 'gpu' })), 'auto');
    assert.equal(modelPathFromSettings(reader({ modelPath: '  ' })), undefined);
    assert.equal(modelPathFromSettings(reader({ modelPath: '/models/x' })), '/models/x');
  });

  it('warns about a backend or model path of the wrong type, naming the setting, and uses the default', () => {
    const warnings: string[] = [];
    const warn = (setting: string, problem: string) => warnings.push(`${setting} ${problem}`);
    assert.equal(backendFromSettings(reader({ backend: 3 }), warn), 'auto');
    assert.equal(modelPathFromSettings(reader({ modelPath: 42 }), warn), undefined);
    assert.equal(modelPathFromSettings(reader({ modelPath: ['/a'] }), warn), undefined);
    assert.deepEqual(warnings, [
      'mnist.backend must be one of "auto", "tensorflow", "wasm", "cpu" (got 3)',
      'mnist.modelPath must be a path, a string (got 42)',
      'mnist.modelPath must be a path, a string (got ["/a"])',
    ]);
  });
});

describe('mnist.modelPath resolution', () => {
  const context = { workspaceFolder: '/work/project', home: '/home/ada' };

  it('resolves relative paths against the first workspace folder', () => {
    assert.deepEqual(resolveModelPath('models/mine', context), { path: '/work/project/models/mine' });
    assert.deepEqual(resolveModelPath('../shared', context), { path: '/work/shared' });
    assert.deepEqual(resolveModelPath('/opt/models/x', context), { path: '/opt/models/x' });
  });

  it('expands ~ and ${workspaceFolder}', () => {
    assert.deepEqual(resolveModelPath('~', context), { path: '/home/ada' });
    assert.deepEqual(resolveModelPath('~/models/x', context), { path: '/home/ada/models/x' });
    assert.deepEqual(resolveModelPath('${workspaceFolder}/out/model', context), { path: '/work/project/out/model' });
  });

  it('names the problem when a path needs a folder and none is open', () => {
    assert.deepEqual(resolveModelPath('models/mine', { home: '/h' }), {
      problem: 'mnist.modelPath is a relative path (models/mine), but no folder is open',
    });
    assert.deepEqual(resolveModelPath('${workspaceFolder}/m', { home: '/h' }), {
      problem: 'mnist.modelPath uses ${workspaceFolder} (${workspaceFolder}/m), but no folder is open',
    });
  });
});
