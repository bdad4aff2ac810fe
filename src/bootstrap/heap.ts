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
 * - `--semi-space-growth-factor=1` while the service starts, back to V8's 2 once it listens: loading the modules
 *   keeps most of what it allocates, so V8 would grow the young generation to its maximum (2 × 16 MB) and keep it
 *   committed however idle the service is afterwards; started at 1 MB, it grows only under load, as before.
 * `V8_GC_TUNING=false` starts with V8's defaults.
 */
import { setFlagsFromString } from 'node:v8';
import { gcTuningEnabled } from '../config/config';

export const GC_FLAGS = ['--no-allocation-site-pretenuring', '--heap-growing-percent=30', '--semi-space-growth-factor=1'] as const;
/** Set once the service listens: V8's own growth factor of the young generation. */
export const SERVING_GC_FLAGS = ['--semi-space-growth-factor=2'] as const;

let tuned = false;

/** Applies GC_FLAGS unless `V8_GC_TUNING` is false; returns the flags applied. */
export function tuneHeap(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  if (!gcTuningEnabled(env)) return [];
  for (const flag of GC_FLAGS) setFlagsFromString(flag);
  tuned = true;
  return GC_FLAGS;
}

/** Once the service listens, lets the young generation grow with the load again; returns the flags applied. */
export function heapServing(): readonly string[] {
  if (!tuned) return [];
  for (const flag of SERVING_GC_FLAGS) setFlagsFromString(flag);
  return SERVING_GC_FLAGS;
}
