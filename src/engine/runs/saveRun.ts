// Saving a training run into a runs folder (runs/runStore.ts): whole, or not at all.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelMetadata } from '../model/metadata';
import { saveModel } from '../model/storage';
import { newRunId, partialRunName, type Run } from './runStore';

/** Saves the run's model and metadata whole into a new run folder; nothing of it is left when that fails. */
export async function saveRun(
  model: LayersModel,
  runsDir: string,
  metadata: ModelMetadata,
  hooks: { beforeCommit?: () => void } = {},
): Promise<Run> {
  mkdirSync(runsDir, { recursive: true });
  const partial = join(runsDir, partialRunName(randomBytes(4).toString('hex')));
  try {
    await saveModel(model, partial, metadata);
    hooks.beforeCommit?.();
    const id = newRunId(runsDir, new Date(metadata.date ?? Date.now()), metadata.architectureName);
    renameSync(partial, join(runsDir, id));
    return { id, dir: join(runsDir, id), metadata };
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}
