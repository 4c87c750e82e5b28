// What a Layers topology from model.json would build, found before anything is built: its structure is checked
// (tfjs's deserialiser loops forever on some graphs), then tfjs deserialises it with weights that are recorded, not
// allocated, so a 9 KB model.json declaring billions of parameters is refused in milliseconds.
import { tidy, io, type DataType, type NamedTensorMap } from '@tensorflow/tfjs-core';
import { initializers, layers, models, type LayersModel, type LayerVariable } from '@tensorflow/tfjs-layers';
import { MODEL_LIMITS, ModelFileError } from './modelFiles';

const MODEL_CLASSES = ['Sequential', 'Model', 'Functional'];
/** Nesting of JSON objects and lists in a topology. */
const MAX_DEPTH = 100;
/** Layer calls in one Functional graph (a shared layer is called more than once). */
const MAX_CALLS = 5000;

/** What the topology builds: its shapes, its parameter count and an estimate of its work per image. */
export interface ModelPlan {
  inputShapes: (number | null)[][];
  outputShapes: (number | null)[][];
  parameters: number;
  multiplyAdds: number;
  /** The layer with the most output values for one image, and that count. */
  largestOutput: { layer: string; values: number };
}

/** The Layers topology in a model.json (a Keras file's model_config), once its structure is checked. */
export function checkTopology(modelTopology: unknown, file: string): object {
  const topology =
    isObject(modelTopology) && isObject(modelTopology.model_config) ? modelTopology.model_config : modelTopology;
  if (!isObject(topology) || typeof topology.class_name !== 'string' || !MODEL_CLASSES.includes(topology.class_name)) {
    throw new ModelFileError(
      file,
      'is not a TensorFlow.js Layers model: its topology is not a Sequential or Functional model',
    );
  }
  let layerCount = 0;
  forEachObject(topology, file, (value) => {
    if (!isModelConfig(value)) return;
    const { class_name: className, config } = value;
    const modelLayers =
      Array.isArray(config) && className === 'Sequential' ? config : (config as { layers?: unknown }).layers;
    if (!Array.isArray(modelLayers))
      throw new ModelFileError(file, `has a ${className} model without a list of layers`);
    layerCount += modelLayers.length;
    if (layerCount > MODEL_LIMITS.layers) {
      throw new ModelFileError(file, `has more than ${MODEL_LIMITS.layers} layers`);
    }
    if (className !== 'Sequential') checkGraph(config as Record<string, unknown>, file);
  });
  return topology;
}

/** Deserialises `topology` with tfjs, recording each weight's shape instead of allocating it. */
export async function planModel(topology: object, file: string): Promise<ModelPlan> {
  let parameters = 0;
  const model = await deserialize(
    topology,
    file,
    () =>
      function (this: Layer, name, shape, dtype, _initializer, _regularizer, trainable) {
        parameters += checkedSize(shape, this.name, file);
        if (parameters > MODEL_LIMITS.parameters) {
          throw new ModelFileError(
            file,
            `declares more than ${MODEL_LIMITS.parameters.toLocaleString('en')} parameters`,
          );
        }
        const weight = { name, shape: [...shape], dtype: dtype ?? 'float32', trainable: trainable ?? true };
        this[weight.trainable ? '_trainableWeights' : '_nonTrainableWeights'].push(weight as unknown as LayerVariable);
        return weight as unknown as LayerVariable;
      },
  );
  return {
    inputShapes: model.inputs.map((input) => input.shape),
    outputShapes: model.outputs.map((output) => output.shape),
    parameters,
    ...estimateWork(model, file),
  };
}

/**
 * Builds the model and sets its weights from `data`. A failure frees every tensor and variable it made: the
 * deserialisation and the weight loading are synchronous, so nothing else runs while they are being made.
 */
export async function buildModel(
  topology: object,
  data: Uint8Array,
  specs: io.WeightsManifestEntry[],
  file: string,
): Promise<LayersModel> {
  const created: LayerVariable[] = [];
  const zeros = initializers.zeros();
  try {
    const model = await deserialize(
      topology,
      file,
      (addWeight) =>
        function (this: Layer, name, shape, dtype, _initializer, regularizer, trainable, constraint) {
          // Like tfjs's own loader: no initializer runs for values that are about to be overwritten.
          const weight = addWeight.call(this, name, shape, dtype, zeros, regularizer, trainable, constraint);
          created.push(weight);
          return weight;
        },
    );
    try {
      tidy(() => model.loadWeights(decodeModelWeights(data, specs), true));
    } catch (err) {
      throw new ModelFileError(file, `its weights do not fit its layers: ${firstLine(err)}`);
    }
    return model;
  } catch (err) {
    // Not model.dispose(): it keeps the weights of a layer that is called more than once.
    created.forEach((weight) => weight.dispose());
    throw err;
  }
}

type AddWeight = (
  this: Layer,
  name: string,
  shape: number[],
  dtype?: DataType,
  initializer?: unknown,
  regularizer?: unknown,
  trainable?: boolean,
  constraint?: unknown,
) => LayerVariable;
/** addWeight's `this`: a layer, with the lists it adds its weights to. */
interface Layer {
  name: string;
  _trainableWeights: LayerVariable[];
  _nonTrainableWeights: LayerVariable[];
}

/**
 * tfjs's deserialiser (models.modelFromJSON, which builds the model before its first await), run while every layer
 * adds its weights through `replacement(tfjsAddWeight)`. Layer.addWeight is replaced for that synchronous call
 * only: it belongs to this bundle's copy of tfjs-layers and nothing else can run before it is put back.
 */
async function deserialize(
  topology: object,
  file: string,
  replacement: (addWeight: AddWeight) => AddWeight,
): Promise<LayersModel> {
  const prototype = layers.Layer.prototype as unknown as { addWeight: AddWeight };
  const addWeight = prototype.addWeight;
  let loading: Promise<LayersModel>;
  prototype.addWeight = replacement(addWeight);
  try {
    loading = models.modelFromJSON({ modelTopology: structuredClone(topology) } as never);
  } finally {
    prototype.addWeight = addWeight;
  }
  try {
    return await loading;
  } catch (err) {
    if (err instanceof ModelFileError) throw err;
    throw new ModelFileError(file, `could not be loaded as a model: ${firstLine(err)}`);
  }
}

function decodeModelWeights(data: Uint8Array, specs: io.WeightsManifestEntry[]): NamedTensorMap {
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const tensors = io.decodeWeights(buffer, specs);
  return Object.fromEntries(
    specs.filter((spec) => spec.group !== 'optimizer').map((spec) => [spec.name, tensors[spec.name]]),
  );
}

function checkedSize(shape: unknown, layer: string, file: string): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new ModelFileError(file, `the layer "${layer}" would make a weight of shape ${JSON.stringify(shape)}`);
  }
  return shape.reduce((a: number, b: number) => a * b, 1);
}

/** Multiply-adds per image (each layer's weights times its output positions) and the largest layer output. */
function estimateWork(model: LayersModel, file: string): Pick<ModelPlan, 'multiplyAdds' | 'largestOutput'> {
  let multiplyAdds = 0;
  let largestOutput = { layer: '', values: 0 };
  const visit = (layer: layers.Layer) => {
    const nested = (layer as Partial<LayersModel>).layers;
    if (nested) return nested.forEach(visit);
    const weights = layer.weights.reduce((sum, w) => sum + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
    for (const node of layer.inboundNodes) {
      for (const output of node.outputTensors) {
        const values = imageValues(output.shape, layer.name, file);
        if (values > largestOutput.values) largestOutput = { layer: layer.name, values };
        multiplyAdds += values + (weights * values) / Math.max(1, output.shape.at(-1) ?? 1);
      }
    }
  };
  model.layers.forEach(visit);
  if (largestOutput.values > MODEL_LIMITS.layerOutputValues) {
    throw new ModelFileError(
      file,
      `the layer "${largestOutput.layer}" outputs ${largestOutput.values.toLocaleString('en')} values per image; at most ${MODEL_LIMITS.layerOutputValues.toLocaleString('en')}`,
    );
  }
  if (multiplyAdds > MODEL_LIMITS.multiplyAdds) {
    throw new ModelFileError(
      file,
      `needs about ${Math.round(multiplyAdds).toLocaleString('en')} multiply-adds per image; at most ${MODEL_LIMITS.multiplyAdds.toLocaleString('en')}`,
    );
  }
  return { multiplyAdds, largestOutput };
}

/** Values of one image's output of shape [batch, ...dims]. */
function imageValues(shape: (number | null)[], layer: string, file: string): number {
  if (!shape.slice(1).every((d) => typeof d === 'number')) {
    throw new ModelFileError(file, `the output size of the layer "${layer}" is not known: ${JSON.stringify(shape)}`);
  }
  return (shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
}

/**
 * Checks what tfjs's Functional deserialiser needs to end: unique layer names, layer calls that name existing layers,
 * and a graph in which every call's inputs are eventually computed (tfjs waits forever for the others).
 */
function checkGraph(config: Record<string, unknown>, file: string): void {
  const entries = config.layers as unknown[];
  const calls = new Map<string, unknown[][]>();
  const made = new Map<string, number>();
  let callCount = 0;
  for (const entry of entries) {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.class_name !== 'string') {
      throw new ModelFileError(file, 'has a layer without a name or class_name');
    }
    const { name, class_name: className } = entry;
    if (calls.has(name)) throw new ModelFileError(file, `has two layers named "${name}"`);
    if (!isObject(entry.config) || (entry.config.name !== undefined && entry.config.name !== name)) {
      throw new ModelFileError(file, `has a layer "${name}" whose config names another layer`);
    }
    if (MODEL_CLASSES.includes(className)) {
      throw new ModelFileError(file, `has a model ("${name}") inside a Functional model, which is not supported`);
    }
    const nodes = entry.inbound_nodes;
    if (!Array.isArray(nodes) || !nodes.every((node) => Array.isArray(node) && node.every(isLayerReference))) {
      throw new ModelFileError(
        file,
        `has a layer "${name}" whose inbound_nodes are not lists of [layer, node, tensor]`,
      );
    }
    callCount += nodes.length;
    if (callCount > MAX_CALLS) throw new ModelFileError(file, `has more than ${MAX_CALLS} layer calls`);
    calls.set(name, [...nodes]);
    made.set(name, className === 'InputLayer' ? 1 : 0);
  }
  resolveCalls(calls, made, file);
  for (const key of ['input_layers', 'output_layers']) {
    const references = config[key];
    if (!Array.isArray(references) || !references.every((r) => isLayerReference(r) && made.has(r[0] as string))) {
      throw new ModelFileError(file, `has ${key} that are not lists of [layer, node, tensor] naming its layers`);
    }
  }
}

/** Makes every call whose inputs exist, as tfjs does, until none is left or none can be made. */
function resolveCalls(calls: Map<string, unknown[][]>, made: Map<string, number>, file: string): void {
  const ready = (node: unknown[]) =>
    node.every((input) => {
      const [layer, index] = input as [string, number];
      return (made.get(layer) ?? 0) > index;
    });
  for (let progress = true; progress;) {
    progress = false;
    for (const [name, nodes] of calls) {
      for (let i = 0; i < nodes.length; i++) {
        if (!ready(nodes[i])) continue;
        if (nodes[i].length) made.set(name, made.get(name)! + 1);
        nodes.splice(i--, 1);
        progress = true;
      }
    }
  }
  for (const [name, nodes] of calls) {
    if (nodes.length) {
      throw new ModelFileError(
        file,
        `the layer "${name}" takes its input from a layer that is missing or never computed (a loop in the graph?)`,
      );
    }
  }
}

function isLayerReference(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length >= 3 &&
    typeof value[0] === 'string' &&
    Number.isSafeInteger(value[1]) &&
    value[1] >= 0 &&
    Number.isSafeInteger(value[2]) &&
    value[2] >= 0
  );
}

function isModelConfig(value: unknown): value is { class_name: string; config: unknown } {
  return isObject(value) && MODEL_CLASSES.includes(value.class_name as string) && typeof value.config === 'object';
}

/** Calls `visit` on every object and list in `root`, refusing nesting deeper than MAX_DEPTH. */
function forEachObject(root: object, file: string, visit: (value: object) => void): void {
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_DEPTH) throw new ModelFileError(file, `is nested more than ${MAX_DEPTH} levels deep`);
    visit(value);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err)
    .split('\n')[0]
    .slice(0, 500);
}
