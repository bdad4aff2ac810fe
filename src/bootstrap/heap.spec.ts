import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { GC_FLAGS, tuneHeap } from './heap';

describe('tuneHeap', () => {
  it('applies the GC flags by default and with V8_GC_TUNING=true', () => {
    expect(tuneHeap({})).toEqual(GC_FLAGS);
    expect(tuneHeap({ V8_GC_TUNING: ' TRUE ' })).toEqual(GC_FLAGS);
  });

  it('leaves V8 alone with V8_GC_TUNING=false (or 0, no)', () => {
    for (const value of ['false', 'FALSE', '0', 'no']) expect(tuneHeap({ V8_GC_TUNING: value })).toEqual([]);
  });

  it('sets flags V8 knows, with valid values (V8 reports anything else on standard error)', () => {
    const heap = join(__dirname, '..', '..', 'dist', 'bootstrap', 'heap.js');
    const script = `require(${JSON.stringify(heap)}).tuneHeap({});
      const keep = []; for (let i = 0; i < 200000; i++) keep.push({ i }); console.log(keep.length);`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('200000');
  });
});
