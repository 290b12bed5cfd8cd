import type fc from 'fast-check';

/**
 * How many cases a property tries: `base` in `npm test` (bounded, so the suite stays fast), FUZZ_RUNS (never fewer
 * than `base`) under `npm run fuzz`. FUZZ_SEED replays a failure fast-check reported.
 */
export function runs(base: number): fc.Parameters<unknown> {
  const fuzz = Number(process.env.FUZZ_RUNS);
  const seed = Number(process.env.FUZZ_SEED);
  return {
    numRuns: Number.isInteger(fuzz) && fuzz > 0 ? Math.max(fuzz, base) : base,
    ...(Number.isInteger(seed) ? { seed } : {}),
  };
}

/** Whether this is a long `npm run fuzz` run (tests raise their mocha timeout then). */
export const fuzzing = Number(process.env.FUZZ_RUNS) > 0;
