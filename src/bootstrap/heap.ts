/**
 * The garbage collector's settings for the service, applied first thing in `main.ts`, before the application
 * allocates anything (they are V8 flags, which Node does not accept in NODE_OPTIONS, and this way every start
 * command gets them):
 * - `--no-allocation-site-pretenuring`: V8 otherwise learns, under concurrent load, to allocate a request's
 *   short-lived objects straight in the old generation (they look long-lived while 32 requests are in flight), and
 *   then pays for them with full collections; the old generation grew by 30–50 MB a second under `/allowed` load.
 * - `--heap-growing-percent=30`: after a full collection the old generation may grow by 30 % of what is live before
 *   the next one, instead of V8's factor of up to 4 for a fast-allocating heap, which let peak memory under load
 *   reach twice the live size.
 * `V8_GC_TUNING=false` starts with V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';
import { gcTuningEnabled } from '../config/config';

export const GC_FLAGS = ['--no-allocation-site-pretenuring', '--heap-growing-percent=30'] as const;

/** Applies GC_FLAGS unless `V8_GC_TUNING` is false; returns the flags applied. */
export function tuneHeap(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  if (!gcTuningEnabled(env)) return [];
  for (const flag of GC_FLAGS) setFlagsFromString(flag);
  return GC_FLAGS;
}
