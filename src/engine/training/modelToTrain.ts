// The model a training run starts with: a built-in architecture, or a saved model's architecture from scratch or
// from its weights (fine-tuning). Saved models are loaded with every check loadModel makes.
import { models, type LayersModel } from '@tensorflow/tfjs-layers';
import { ARCHITECTURE_LAYOUTS, compileModel, createModel } from '../model/architecture';
import { architectureChoiceOf, type ArchitectureSpec } from '../model/architectureNames';
import type { ArchitectureRecord } from '../model/metadata';
import { loadModel } from '../model/storage';
import { disposeModel } from './train';

/** The model, and what the run's metadata records of where it came from. */
export interface ModelToTrain extends ArchitectureRecord {
  model: LayersModel;
}

export async function modelToTrain(spec: ArchitectureSpec, learningRate: number, seed: number): Promise<ModelToTrain> {
  const architectureName = architectureChoiceOf(spec);
  if ('builtIn' in spec) {
    return {
      model: createModel(learningRate, seed, spec.builtIn),
      architecture: ARCHITECTURE_LAYOUTS[spec.builtIn],
      architectureName,
    };
  }
  const loaded = (await loadModel(spec.model)).model;
  let model = loaded;
  if (!spec.fineTune) {
    // The same topology (layer names and configs included), its weights drawn afresh by the layers' initializers.
    try {
      model = await models.modelFromJSON({ modelTopology: loaded.toJSON(null, false) as never });
    } finally {
      disposeModel(loaded);
    }
  }
  compileModel(model, learningRate);
  return { model, architecture: describeLayers(model), architectureName, startedFrom: spec.model };
}

/** "Conv2D → MaxPooling2D → … → Dense": the layer classes in order. */
function describeLayers(model: LayersModel): string {
  return model.layers.map((layer) => layer.getClassName()).join(' → ');
}
