// The prediction server's HTTP API, which the server and the sketchpad's web page both speak (types and paths only:
// the request schema stays in the engine).

export const SERVER_PATHS = {
  page: '/',
  predict: '/predict',
  health: '/health',
  openApi: '/openapi.json',
  /** Prefix of the web page's scripts, styles and font. */
  assets: '/assets/',
} as const;

/** The multipart field that holds the image (`curl -F "image=@digit.png"`). */
export const IMAGE_FIELD = 'image';
/** `POST /predict?image=1` adds the 28x28 image the model saw to the answer. */
export const SEEN_IMAGE_QUERY = 'image';

/** A digit and its probability (also what the engine's ranking returns). */
export interface RankedDigit {
  digit: number;
  probability: number;
}

/** The answer to POST /predict. */
export interface PredictionAnswer {
  digit: number;
  probability: number;
  /** The three likeliest digits, likeliest first. */
  top3: RankedDigit[];
  /** Every digit's probability, keyed "0" to "9". */
  probabilities: Record<string, number>;
  /** Base64 of the 784 bytes (0..255) the model saw; only when asked for (SEEN_IMAGE_QUERY). */
  image?: string;
}

/** The answer to GET /health. */
export interface HealthAnswer {
  status: 'ok';
  /** Which model answers: "bundled", "trained" or "custom". */
  model: string;
  /** The test accuracy the model's file records, if any. */
  testAccuracy?: number;
  backend: string;
  /** Images classified since the start, in how many model calls, and the largest call. */
  served: { images: number; batches: number; largestBatch: number };
}

/** Every error answer. */
export interface ErrorAnswer {
  error: string;
}
