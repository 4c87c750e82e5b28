// package.json's contributed settings (what VS Code's Settings editor offers and checks) against the engine's own lists.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { BACKEND_PREFERENCES } from '../../../src/engine/backendNames';

interface SettingSchema {
  type: string;
  default: unknown;
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
});
