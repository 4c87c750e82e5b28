// Validation on receipt for the processes' and threads' message protocols.
import * as v from 'valibot';

/** `message` as the schema's output, or undefined when it does not match. */
export function validMessage<const S extends v.GenericSchema>(schema: S, message: unknown): v.InferOutput<S> | undefined {
  const result = v.safeParse(schema, message);
  return result.success ? result.output : undefined;
}
