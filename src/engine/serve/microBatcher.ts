// Micro-batching: images that arrive together are classified in one model call. A batch leaves when it is full, or
// `maxWaitMs` after its first image arrived; with 0, once the requests already received have been read (the next
// turn of the event loop). One batch runs at a time, and the images that arrive meanwhile form the next. A bounded
// queue refuses images beyond `maxQueue`.
import { DIGIT_CLASSES, IMAGE_SIZE } from '../../shared/mnistImage';

export interface BatchOptions {
  /** Images per model call at most. */
  maxBatch: number;
  /** How long the first image of a batch waits for others, in ms. */
  maxWaitMs: number;
  /** Images waiting at most (beyond them: QueueFullError). */
  maxQueue: number;
}

/** Classifies `count` images stored back to back (784 values each) and returns their probabilities, 10 per image. */
export type BatchModel = (pixels: Float32Array, count: number) => Promise<Float32Array> | Float32Array;

export class QueueFullError extends Error {
  constructor(readonly maxQueue: number) {
    super(`the server is busy: ${maxQueue} images are already waiting`);
    this.name = 'QueueFullError';
  }
}

interface Waiting {
  pixels: Float32Array;
  /** performance.now() when it arrived. */
  at: number;
  resolve: (probabilities: Float32Array) => void;
  reject: (error: unknown) => void;
}

export class MicroBatcher {
  private readonly waiting: Waiting[] = [];
  /** Clears the wait of the batch being formed, if one is under way. */
  private cancelWait: (() => void) | undefined;
  private running: Promise<void> | undefined;
  /** Model calls made and images they classified, for the server's figures and the tests. */
  readonly stats = { batches: 0, images: 0, largestBatch: 0 };

  constructor(
    private readonly model: BatchModel,
    private readonly options: BatchOptions,
  ) {}

  /** The ten probabilities of one 784-pixel image. */
  classify(pixels: Float32Array): Promise<Float32Array> {
    if (pixels.length !== IMAGE_SIZE) throw new Error(`an image has ${IMAGE_SIZE} pixels, got ${pixels.length}`);
    if (this.waiting.length >= this.options.maxQueue) return Promise.reject(new QueueFullError(this.options.maxQueue));
    return new Promise((resolve, reject) => {
      this.waiting.push({ pixels, at: performance.now(), resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running) return; // the running batch's end starts the next
    if (this.waiting.length >= this.options.maxBatch) return this.flush();
    if (this.cancelWait) return;
    // What is left of the first image's wait (it may have waited already, while the last batch ran).
    const wait = this.options.maxWaitMs - (performance.now() - this.waiting[0].at);
    if (wait >= 1) {
      const timer = setTimeout(() => this.flush(), wait);
      this.cancelWait = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.flush());
      this.cancelWait = () => clearImmediate(immediate);
    }
  }

  private flush(): void {
    this.cancelWait?.();
    this.cancelWait = undefined;
    if (this.running || !this.waiting.length) return;
    const batch = this.waiting.splice(0, this.options.maxBatch);
    this.running = this.run(batch).finally(() => {
      this.running = undefined;
      if (this.waiting.length) this.schedule();
    });
  }

  private async run(batch: Waiting[]): Promise<void> {
    const pixels = new Float32Array(batch.length * IMAGE_SIZE);
    batch.forEach((item, i) => pixels.set(item.pixels, i * IMAGE_SIZE));
    try {
      const probabilities = await this.model(pixels, batch.length);
      this.stats.batches++;
      this.stats.images += batch.length;
      this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      batch.forEach((item, i) => item.resolve(probabilities.slice(i * DIGIT_CLASSES, (i + 1) * DIGIT_CLASSES)));
    } catch (err) {
      for (const item of batch) item.reject(err);
    }
  }
}
