import { MESSAGES } from '../messages';
import { deny } from './access-denied';
import { AccessContext } from './request-context';

/** The access steps that need no project and no query: protocol, key, user state, command (G1–G4). */

const COMMANDS = ['git-upload-pack', 'git-receive-pack', 'git-upload-archive'];

type ProtocolFacts = Pick<AccessContext, 'protocol' | 'settings' | 'project'>;

/** G1: the instance's and the root namespace's `enabled_git_access_protocol` (the web is always allowed). */
export function checkProtocol(ctx: ProtocolFacts): void {
  if (ctx.protocol === 'web') return;
  const instance = ctx.settings.enabled_git_access_protocol;
  if (instance && instance !== ctx.protocol) throw deny('G1', MESSAGES.protocolNotAllowed(ctx.protocol));
  const root = ctx.project?.root_enabled_git_access_protocol;
  if (ctx.project && root && root !== 'all' && root !== ctx.protocol) throw deny('G1', MESSAGES.protocolNotAllowed(ctx.protocol));
}

/** G2: an expired key (user key or deploy key). */
export function checkKeyValidity(ctx: Pick<AccessContext, 'key'>, now = Date.now()): void {
  const expires = ctx.key?.expires_at;
  if (expires && new Date(expires).getTime() <= now) throw deny('G2', MESSAGES.keyExpired);
}

/** G3: the user must be active. */
export function checkUserState(ctx: Pick<AccessContext, 'user'>, externalUrl: string): void {
  const state = ctx.user?.state;
  if (!state || state === 'active') return;
  if (state === 'blocked_pending_approval') throw deny('G3', MESSAGES.accountPendingApproval);
  if (state === 'deactivated') throw deny('G3', MESSAGES.accountDeactivated(externalUrl));
  throw deny('G3', MESSAGES.accountBlocked);
}

/** G4: one of the three git commands. */
export function checkCommand(ctx: Pick<AccessContext, 'cmd'>): void {
  if (!COMMANDS.includes(ctx.cmd)) throw deny('G4', MESSAGES.commandNotAllowed);
}
