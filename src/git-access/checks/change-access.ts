import { ChangeLine } from '../changes';
import { MESSAGES } from '../messages';
import { deny } from './access-denied';
import { checkBranchChange } from './branch-check';
import { RefAccess, RefHistory } from './ref-access';
import { checkTagChange } from './tag-check';

/** The time budget of a push's per-change checks. */
export const PUSH_BUDGET_MS = 50_000;

/** C1: the actor can push at all. */
export function checkCanPush(access: Pick<RefAccess, 'canPush'>): void {
  if (!access.canPush) throw deny('C1', MESSAGES.pushNotAllowed);
}

/** The checks of one change line: C1, then the branch rules or the tag rules by the ref's kind. */
export async function checkChange(access: RefAccess, git: RefHistory, line: ChangeLine): Promise<void> {
  checkCanPush(access);
  if (line.ref.startsWith('refs/heads/')) await checkBranchChange(access, git, line, line.ref.slice('refs/heads/'.length));
  else if (line.ref.startsWith('refs/tags/')) checkTagChange(access, line, line.ref.slice('refs/tags/'.length));
}

/**
 * G13f: `check` for every line, in order, within the budget. Past it (before a line, or after the last one) the
 * push is refused with 503 and the time each checked line took.
 */
export async function checkChangesWithinBudget(
  lines: ChangeLine[],
  check: (line: ChangeLine) => Promise<void>,
  clock: () => number = Date.now,
  budgetMs = PUSH_BUDGET_MS,
): Promise<void> {
  const started = clock();
  const timings: string[] = [];
  for (const line of lines) {
    if (clock() - started > budgetMs) throw deny('G13f', MESSAGES.pushTimedOut(timings), 503);
    const lineStarted = clock();
    await check(line);
    timings.push(`Checking ${line.ref} (${((clock() - lineStarted) / 1000).toFixed(3)}s)`);
  }
  if (clock() - started > budgetMs) throw deny('G13f', MESSAGES.pushTimedOut(timings), 503);
}
