import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GC_FLAGS, heapServing, SERVING_GC_FLAGS, tuneHeap } from './heap';

describe('tuneHeap', () => {
  it('applies the GC flags by default and with V8_GC_TUNING=true', () => {
    expect(tuneHeap({})).toEqual(GC_FLAGS);
    expect(tuneHeap({ V8_GC_TUNING: ' TRUE ' })).toEqual(GC_FLAGS);
  });

  it('leaves V8 alone with V8_GC_TUNING=false (or 0, no)', () => {
    for (const value of ['false', 'FALSE', '0', 'no']) expect(tuneHeap({ V8_GC_TUNING: value })).toEqual([]);
  });

  it('sets flags V8 knows, with valid values (V8 reports anything else on standard error)', () => {
    const script = `const heap = require(${JSON.stringify(compiledHeap)}); heap.tuneHeap({});
      const keep = []; for (let i = 0; i < 200000; i++) keep.push({ i }); heap.heapServing(); console.log(keep.length);`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('200000');
  });

  it("restores the young generation's growth once serving, only where the start tuned it", () => {
    expect(tuneHeap({ V8_GC_TUNING: 'false' })).toEqual([]);
    // this process was tuned by the first test
    expect(heapServing()).toEqual(SERVING_GC_FLAGS);
  });

  it('keeps the young generation small through a start that retains what it allocates, and lets it grow afterwards', () => {
    // a start's allocations: tens of MB of small objects that all stay reachable (module code, metadata)
    const script = (tuning: string) => `const heap = require(${JSON.stringify(compiledHeap)});
      const { getHeapSpaceStatistics } = require('node:v8');
      const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576;
      const retain = (n, into) => { for (let i = 0; i < n; i++) into.push({ i, s: 'x' + i }); };
      heap.tuneHeap({ V8_GC_TUNING: '${tuning}' });
      const started = []; retain(600000, started); const atStart = young();
      heap.heapServing();
      const served = []; retain(600000, served);
      console.log(JSON.stringify({ atStart, serving: young() }));`;
    const measure = (tuning: string) => {
      const run = spawnSync(process.execPath, ['-e', script(tuning)], { encoding: 'utf8' });
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as { atStart: number; serving: number };
    };
    const tuned = measure('true');
    const defaults = measure('false');
    // V8 starts the young generation at 4–8 MB and grows it to 32 MB (two 16 MB semi-spaces) under such a start
    expect(tuned.atStart).toBeLessThanOrEqual(8);
    expect(defaults.atStart).toBeGreaterThan(tuned.atStart);
    expect(tuned.serving).toBeGreaterThan(tuned.atStart);
  });
});

const compiledHeap = join(__dirname, '..', '..', 'dist', 'bootstrap', 'heap.js');
