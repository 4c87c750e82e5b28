// Whether a prediction is one confident digit, and how to say it when it is not: shared by the host's messages,
// the CLI and the panels.

export type Certainty =
  | { sure: true }
  | {
      sure: false;
      /** "unlike-digits": the input resembles nothing the model learned; "undecided": no digit stands out. */
      reason: 'unlike-digits' | 'undecided';
      /** The two likeliest digits, most likely first. */
      candidates: [number, number];
    };

/** "not sure: 3 or 5?" / "this does not look like a digit (3 or 5?)"; undefined when sure. */
export function unsureText(certainty: Certainty): string | undefined {
  if (certainty.sure) return undefined;
  const [first, second] = certainty.candidates;
  return certainty.reason === 'undecided'
    ? `not sure: ${first} or ${second}?`
    : `this does not look like a digit (${first} or ${second}?)`;
}
