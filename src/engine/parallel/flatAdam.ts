// Adam over one flat array of all the weights: the update tfjs's AdamOptimizer makes, in a single JavaScript pass.
// tfjs runs about ten kernels per variable for it (1.8 ms a step for this model on wasm); this takes a fraction.

export interface AdamConfig {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export class FlatAdam {
  private readonly firstMoment: Float32Array;
  private readonly secondMoment: Float32Array;
  private readonly gradient: Float32Array;
  // beta^t, kept in float32 as tfjs keeps it.
  private accBeta1: number;
  private accBeta2: number;

  constructor(
    private readonly config: AdamConfig,
    parameters: number,
  ) {
    this.firstMoment = new Float32Array(parameters);
    this.secondMoment = new Float32Array(parameters);
    this.gradient = new Float32Array(parameters);
    this.accBeta1 = Math.fround(config.beta1);
    this.accBeta2 = Math.fround(config.beta2);
  }

  /** One step: `weights` -= Adam(gradient), where the gradient is the sum of `gradientParts` (each as long as `weights`). */
  update(weights: Float32Array, gradientParts: Float32Array[]): void {
    const { firstMoment: m, secondMoment: v, gradient } = this;
    if (
      weights.length !== m.length ||
      gradientParts.length === 0 ||
      gradientParts.some((part) => part.length !== m.length)
    ) {
      throw new Error(`Adam expects ${m.length} weights and gradients`);
    }
    gradient.set(gradientParts[0]);
    for (const part of gradientParts.slice(1)) {
      for (let i = 0; i < gradient.length; i++) gradient[i] += part[i];
    }
    const { beta1, beta2, epsilon, learningRate } = this.config;
    // The bias corrections as factors; intermediate values in float64, rounded to float32 when stored.
    const firstScale = 1 / (1 - this.accBeta1);
    const secondScale = 1 / (1 - this.accBeta2);
    for (let i = 0; i < weights.length; i++) {
      const g = gradient[i];
      const mi = (m[i] = m[i] * beta1 + g * (1 - beta1));
      const vi = (v[i] = v[i] * beta2 + g * g * (1 - beta2));
      weights[i] -= (learningRate * mi * firstScale) / (Math.sqrt(vi * secondScale) + epsilon);
    }
    this.accBeta1 = Math.fround(this.accBeta1 * beta1);
    this.accBeta2 = Math.fround(this.accBeta2 * beta2);
  }
}
