// The summary of a model on disk that is not the active one (a Keras file opened in the editor): loaded through the
// same checks as any model, summarised, then freed.
import type { ModelMetadata } from './metadata';
import { loadModel } from './storage';
import { summarizeModel, type ModelSummary } from './summary';
import { disposeModel } from '../training/train';

/** Loads the folder or Keras file at `path` (a backend must be running), and frees it once summarised. */
export async function summarizeModelFile(path: string): Promise<{ summary: ModelSummary; metadata?: ModelMetadata }> {
  const { model, metadata } = await loadModel(path);
  try {
    return { summary: summarizeModel(model), metadata };
  } finally {
    disposeModel(model);
  }
}
