import type { AllowedInput } from '../dto/allowed-input';
import { Actor } from '../../identity/actor.service';
import { Key } from '../../identity/entities/key.entity';
import { User } from '../../identity/entities/user.entity';
import { ChangeLine, parseChanges } from '../changes';
import { GitEnv } from '../git-history.service';
import { RepoProject, RepoSettings, ResolvedRepository } from '../repository.service';

/** Who asks, for which repository, over which protocol, to do what: the facts every step reads, derived once. */
export interface AccessContext {
  params: AllowedInput;
  /** The git audit event runs the same steps without their side effects (no project creation, no notices). */
  audit: boolean;
  requestId: unknown;
  actor: Actor;
  /** The user whose access is checked: none for a deploy-key actor (its creator only counts for ref rules). */
  user: User | null;
  key: Key | null;
  deployKey: Key | null;
  repo: ResolvedRepository;
  settings: RepoSettings;
  /** The designated project; set later by auto-creation when the push creates it. */
  project: RepoProject | null;
  redirectedPath: string | null;
  cmd: string;
  push: boolean;
  download: boolean;
  /** No real change lines (`_any` or none): the push is checked as a whole, not per ref. */
  any: boolean;
  lines: ChangeLine[];
  protocol: string;
  env: GitEnv;
}

/** The context of one request (step P5, without its key-usage write). */
export function buildAccessContext(
  params: AllowedInput,
  actor: Actor,
  repo: ResolvedRepository,
  settings: RepoSettings,
  options: { audit: boolean; requestId: unknown },
): AccessContext {
  const cmd = params.action;
  const changes = params.changes;
  const lines = changes && changes.trim() !== '_any' ? parseChanges(changes) : [];
  const deployKey = actor.kind === 'deploy_key';
  return {
    params,
    audit: options.audit,
    requestId: options.requestId,
    actor,
    user: deployKey ? null : actor.user,
    key: actor.key,
    deployKey: deployKey ? actor.key : null,
    repo,
    settings,
    project: repo.project,
    redirectedPath: repo.redirectedPath,
    cmd,
    push: cmd === 'git-receive-pack',
    download: cmd === 'git-upload-pack' || cmd === 'git-upload-archive',
    any: lines.length === 0,
    lines,
    protocol: params.protocol,
    env: params.env,
  };
}

export { parseGitEnv } from '../dto/allowed-input';

/** Namespace part and project part of a request path (text on both sides of the last `/`), or null. */
export function splitRequestPath(path: string): { namespace: string; project: string } | null {
  const i = path.lastIndexOf('/');
  if (i <= 0 || i === path.length - 1) return null;
  return { namespace: path.slice(0, i), project: path.slice(i + 1) };
}
