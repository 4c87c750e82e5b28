// The architectures a training run can start from, the one list the setting, the CLI and the training process's
// protocol check against. No TensorFlow.js here: the extension host reads it (model/architecture.ts builds them).
import * as v from 'valibot';

/** Architectures built from code, each fresh from random weights. */
export const BUILT_IN_ARCHITECTURES = ['seed', 'mlp', 'lenet5', 'strong'] as const;
export type BuiltInArchitecture = (typeof BUILT_IN_ARCHITECTURES)[number];

/** What mnist.training.architecture offers: a built-in one, or the active model's, from scratch or from its weights. */
export const ARCHITECTURE_CHOICES = [...BUILT_IN_ARCHITECTURES, 'active', 'fine-tune'] as const;
export type ArchitectureChoice = (typeof ARCHITECTURE_CHOICES)[number];

/** One line per choice, for the quick pick, the setting's descriptions and the CLI's usage. */
export const ARCHITECTURE_DESCRIPTIONS: Record<ArchitectureChoice, string> = {
  seed: 'The seed CNN: 3 convolutions, 2 max poolings, Dense 64',
  mlp: 'Flatten → Dense 128 relu → Dropout 0.2 → Dense 10',
  lenet5: "LeNet-5: 'same' 5x5 convolutions with average pooling, Dense 120 → 84 → 10",
  strong: 'A CNN with BatchNormalization and Dropout: 4 convolutions, Dense 128',
  active: "The active model's architecture, trained from scratch",
  'fine-tune': 'The active model, trained on from its weights',
};

export function isBuiltInArchitecture(value: unknown): value is BuiltInArchitecture {
  return BUILT_IN_ARCHITECTURES.includes(value as BuiltInArchitecture);
}

export function isArchitectureChoice(value: unknown): value is ArchitectureChoice {
  return ARCHITECTURE_CHOICES.includes(value as ArchitectureChoice);
}

/**
 * What a training run starts from, as the training process is asked for it: a built-in architecture, or a saved model
 * (a folder or a Keras file) whose architecture is trained from scratch or, with fineTune, on from its weights.
 */
export const ArchitectureSpecSchema = v.union([
  v.object({ builtIn: v.picklist(BUILT_IN_ARCHITECTURES) }),
  v.object({ model: v.pipe(v.string(), v.minLength(1)), fineTune: v.boolean() }),
]);
export type ArchitectureSpec = v.InferOutput<typeof ArchitectureSpecSchema>;

/** The choice a spec stands for, as the run's metadata records it. */
export function architectureChoiceOf(spec: ArchitectureSpec): ArchitectureChoice {
  if ('builtIn' in spec) return spec.builtIn;
  return spec.fineTune ? 'fine-tune' : 'active';
}
