import { aRefAccess, BLANK, denialOf, SHA_A, SHA_B } from '../../../test/helpers/access-context';
import { ChangeLine } from '../changes';
import { MESSAGES } from '../messages';
import { checkChange, checkChangesWithinBudget, PUSH_BUDGET_MS } from './change-access';
import { RefHistory } from './ref-access';

const git: RefHistory = { isForcePush: async () => false, branchesContaining: async () => [] };
const lineTo = (ref: string, oldrev = SHA_A, newrev = SHA_B): ChangeLine => ({ oldrev, newrev, ref });

describe('one change', () => {
  it('C1: nothing is pushed without push rights, whatever the ref', async () => {
    for (const ref of ['refs/heads/topic', 'refs/tags/v1', 'refs/merge-requests/1/head']) {
      expect(await denialOf(() => checkChange(aRefAccess({ canPush: false }), git, lineTo(ref)))).toEqual({
        reason: 'C1',
        status: 401,
        body: { status: false, message: MESSAGES.pushNotAllowed },
      });
    }
  });

  it('sends branches to the branch rules and tags to the tag rules; other refs pass', async () => {
    expect((await denialOf(() => checkChange(aRefAccess(), git, lineTo('refs/heads/main', SHA_A, BLANK))))?.reason).toBe('B1');
    expect((await denialOf(() => checkChange(aRefAccess(), git, lineTo('refs/tags/main', BLANK))))?.reason).toBe('T2');
    expect(await denialOf(() => checkChange(aRefAccess(), git, lineTo('refs/notes/main', SHA_A, BLANK)))).toBeNull();
  });
});

describe('the change runner', () => {
  /** A clock that advances by `step` ms on every reading. */
  const ticking = (step: number) => {
    let t = 0;
    return () => (t += step);
  };

  it('checks every line in order and stops at the first denial', async () => {
    const seen: string[] = [];
    const lines = ['refs/heads/a', 'refs/heads/b', 'refs/heads/c'].map((ref) => lineTo(ref));
    const failure = new Error('b refused');
    await expect(
      checkChangesWithinBudget(lines, async (l) => {
        seen.push(l.ref);
        if (l.ref.endsWith('/b')) throw failure;
      }),
    ).rejects.toBe(failure);
    expect(seen).toEqual(['refs/heads/a', 'refs/heads/b']);
  });

  it('past the budget answers 503 with the time each checked line took', async () => {
    const lines = ['refs/heads/a', 'refs/heads/b', 'refs/heads/c'].map((ref) => lineTo(ref));
    const checked: string[] = [];
    const denial = await denialOf(() => checkChangesWithinBudget(lines, async (l) => void checked.push(l.ref), ticking(1500), 5000));
    // readings: start 1500; a: 3000, 4500, 6000; b: 7500 (> budget) → stop before b
    expect(checked).toEqual(['refs/heads/a']);
    expect(denial).toEqual({
      reason: 'G13f',
      status: 503,
      body: {
        status: false,
        message: 'Push operation timed out\n\nTiming information for debugging purposes:\nChecking refs/heads/a (1.500s)',
      },
    });
  });

  it('a budget exceeded by the last line still fails; within it everything passes', async () => {
    const lines = [lineTo('refs/heads/a')];
    expect((await denialOf(() => checkChangesWithinBudget(lines, async () => undefined, ticking(2000), 5000)))?.status).toBe(503);
    expect(await denialOf(() => checkChangesWithinBudget(lines, async () => undefined, ticking(1000), 5000))).toBeNull();
    expect(PUSH_BUDGET_MS).toBe(50_000);
  });
});
