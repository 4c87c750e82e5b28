// In-process inference for the extension host: lazily starts TensorFlow and loads the active model.
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { initBackend, type BackendChoice } from './backend';
import type { BackendPreference } from './backendNames';
import { imageToMnistImage } from './image/decodeImage';
import { predictDigit, type Prediction } from './predict';
import { toMnistImage, type MnistImage } from './image/preprocess';
import { folderStamp } from './model/modelFiles';
import { loadModel, type StoredModel } from './model/storage';
import type { ModelMetadata } from './model/metadata';
import { disposeModel } from './training/train';

export interface Classification extends Prediction {
  /** The 28x28 image the model saw (784 values, 0..1). */
  image: Float32Array;
}

export interface ModelSource {
  /** A TensorFlow.js Layers folder, or a Keras file (.keras, .h5). */
  path: string;
  /** "bundled", "trained", "custom" (the mnist.modelPath setting) or "opened" (MNIST: Open Model…). */
  kind: 'bundled' | 'trained' | 'custom' | 'opened';
}

export interface ActiveModel {
  model: LayersModel;
  metadata?: ModelMetadata;
  source: ModelSource;
}

/** Models whose failed load is remembered. */
const REMEMBERED_FAILURES = 8;

export class DigitClassifier {
  private backend: Promise<BackendChoice> | undefined;
  private active: Promise<ActiveModel> | undefined;
  private source: ModelSource;
  /** Per model path, the error of its last failed load and the path's stamp (folderStamp) at that time. */
  private readonly failures = new Map<string, { stamp: string; error: unknown }>();

  constructor(
    source: ModelSource,
    private readonly backendPreference: () => BackendPreference,
    private readonly nativeSearchPaths: () => string[],
  ) {
    this.source = source;
  }

  get modelSource(): ModelSource {
    return this.source;
  }

  startBackend(): Promise<BackendChoice> {
    this.backend ??= initBackend(this.backendPreference(), { nativeSearchPaths: this.nativeSearchPaths() });
    return this.backend;
  }

  /**
   * The loaded model; loads it on first use. A failed load is remembered: until a file in the folder changes, the
   * same error comes back at once (the sketchpad asks on every stroke); after a change, the folder is loaded again.
   */
  activeModel(): Promise<ActiveModel> {
    if (!this.active) {
      const source = this.source;
      this.active = this.startBackend()
        .then(() => this.load(source.path))
        .then(({ model, metadata }) => ({ model, metadata, source }));
      this.active.catch(() => (this.active = undefined));
    }
    return this.active;
  }

  /** Loads `path`; throws the error of its last load at once when no file of it has changed since. */
  private async load(path: string): Promise<StoredModel> {
    const stamp = await folderStamp(path);
    const failure = this.failures.get(path);
    if (failure?.stamp === stamp) throw failure.error;
    this.failures.delete(path);
    try {
      return await loadModel(path);
    } catch (error) {
      this.failures.set(path, { stamp, error });
      if (this.failures.size > REMEMBERED_FAILURES) this.failures.delete(this.failures.keys().next().value!);
      throw error;
    }
  }

  /** Switches to another model; the old model is freed once loaded ones are no longer in use. */
  async useModel(source: ModelSource): Promise<ActiveModel> {
    const previous = this.active;
    this.source = source;
    this.active = undefined;
    const next = await this.activeModel();
    previous?.then(
      (old) => disposeModel(old.model),
      () => undefined,
    );
    return next;
  }

  async classifyImage(image: MnistImage): Promise<Classification> {
    const { model } = await this.activeModel();
    return { ...predictDigit(model, image.pixels), image: image.pixels };
  }

  /** A PNG or JPEG file's bytes. */
  async classifyImageBytes(bytes: Uint8Array, file = 'image'): Promise<Classification> {
    return this.classifyImage(imageToMnistImage(bytes, file));
  }

  async classifyPixels(rgba: Uint8Array | Uint8ClampedArray, width: number, height: number): Promise<Classification> {
    return this.classifyImage(toMnistImage({ data: rgba, width, height, channels: 4 }));
  }

  dispose(): void {
    this.active?.then(
      (old) => disposeModel(old.model),
      () => undefined,
    );
    this.active = undefined;
  }
}
