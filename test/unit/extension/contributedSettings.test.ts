// package.json's contributed settings (what VS Code's Settings editor offers and checks) against the engine's own lists.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { BACKEND_PREFERENCES } from '../../../src/engine/backendNames';
import { ARCHITECTURE_CHOICES, ARCHITECTURE_DESCRIPTIONS } from '../../../src/engine/model/architectureNames';
import { DEFAULT_RUNS_KEEP, MAX_LISTED_RUNS } from '../../../src/engine/runs/runStore';
import { DEFAULT_TRAIN_OPTIONS, optionLimits, type TrainOptionName } from '../../../src/engine/training/trainOptions';
import { DEFAULT_SERVE_OPTIONS } from '../../../src/engine/serve/serveOptions';
import {
  ARCHITECTURE_SETTING,
  MAX_PORT,
  RUNS_KEEP_SETTING,
  TRAINING_SETTINGS,
  trainingSettingId,
} from '../../../src/extension/settings';

interface SettingSchema {
  type: string;
  default: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: string[];
  markdownEnumDescriptions?: string[];
}

const settings: Record<string, SettingSchema> = JSON.parse(readFileSync('package.json', 'utf8')).contributes
  .configuration.properties;

describe('contributed settings (package.json) match the engine', () => {
  it('offers exactly the backends the engine knows, each described', () => {
    const backend = settings['mnist.backend'];
    assert.deepEqual(backend.enum, [...BACKEND_PREFERENCES]);
    assert.equal(backend.default, 'auto');
    assert.equal(backend.markdownEnumDescriptions?.length, BACKEND_PREFERENCES.length);
  });

  it('offers exactly the architectures the engine knows, each with its description', () => {
    const architecture = settings[`mnist.${ARCHITECTURE_SETTING}`];
    assert.deepEqual(architecture.enum, [...ARCHITECTURE_CHOICES]);
    assert.equal(architecture.default, 'seed');
    assert.deepEqual(
      architecture.markdownEnumDescriptions,
      ARCHITECTURE_CHOICES.map((name) => ARCHITECTURE_DESCRIPTIONS[name]),
    );
  });

  it("declares mnist.runs.keep with the run store's default and limits", () => {
    const { type, default: value, minimum, maximum } = settings[`mnist.${RUNS_KEEP_SETTING}`];
    assert.deepEqual(
      { type, value, minimum, maximum },
      {
        type: 'integer',
        value: DEFAULT_RUNS_KEEP,
        minimum: 1,
        maximum: MAX_LISTED_RUNS,
      },
    );
  });

  it("declares every training setting with the engine schema's type, limits and default", () => {
    for (const name of TRAINING_SETTINGS) {
      const setting = settings[trainingSettingId(name)];
      assert.ok(setting, `${trainingSettingId(name)} is missing from package.json`);
      const { type, minimum, maximum, exclusiveMinimum, exclusiveMaximum } = setting;
      const declared = { type, minimum, maximum, exclusiveMinimum, exclusiveMaximum };
      const expected = {
        minimum: undefined,
        maximum: undefined,
        exclusiveMinimum: undefined,
        exclusiveMaximum: undefined,
        ...optionLimits(name),
      };
      assert.deepEqual(declared, expected, trainingSettingId(name));
      assert.equal(setting.default, DEFAULT_TRAIN_OPTIONS[name], `${trainingSettingId(name)} default`);
    }
  });

  it('declares no training setting the engine does not read', () => {
    const declared = Object.keys(settings).filter((id) => id.startsWith('mnist.training.'));
    const read = [...TRAINING_SETTINGS.map(trainingSettingId), `mnist.${ARCHITECTURE_SETTING}`];
    assert.deepEqual(declared.sort(), read.sort());
  });

  it("declares mnist.server.port with the server's default port and the port range", () => {
    const { type, default: value, minimum, maximum } = settings['mnist.server.port'];
    assert.deepEqual(
      { type, value, minimum, maximum },
      {
        type: 'integer',
        value: DEFAULT_SERVE_OPTIONS.port,
        minimum: 0,
        maximum: MAX_PORT,
      },
    );
  });

  it('reads its limits off the schema', () => {
    const limits = (name: TrainOptionName) => optionLimits(name);
    assert.deepEqual(limits('batchSize'), { type: 'integer', minimum: 1, maximum: 4096 });
    assert.deepEqual(limits('learningRate'), { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 });
    assert.deepEqual(limits('augment'), { type: 'boolean' });
  });
});

describe('workspace trust (package.json)', () => {
  it("supports Restricted Mode with limits, ignoring a workspace's mnist.modelPath there", () => {
    const { untrustedWorkspaces } = JSON.parse(readFileSync('package.json', 'utf8')).capabilities;
    assert.equal(untrustedWorkspaces.supported, 'limited');
    assert.match(untrustedWorkspaces.description, /mnist\.modelPath is used only once you trust the workspace/);
    assert.deepEqual(untrustedWorkspaces.restrictedConfigurations, ['mnist.modelPath']);
  });
});
