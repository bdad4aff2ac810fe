import { arrayParam, stringParam } from '../../common/coerce';
import { ActorParams } from '../../identity/actor.service';
import { GitEnv } from '../git-history.service';

/** The parameters that designate a repository (`gl_repository`, else a hashed `relative_path`, else `project`). */
export interface RepositoryRequest {
  gl_repository?: string;
  relative_path?: string;
  project?: string;
}

/**
 * The `/allowed` request as the decision reads it, typed once at the door. GitLab reads these parameters
 * leniently (gitlab-shell, gitlab-sshd, Gitaly and Workhorse each send their own subset, numbers as numbers or
 * digit strings): a scalar becomes its text, anything else is absent, and no value is refused here. The
 * parameters naming the actor keep their values, since their precedence depends on which are present.
 */
export interface AllowedInput extends RepositoryRequest, ActorParams {
  /** `git-upload-pack`, `git-receive-pack`, `git-upload-archive`; `''` when absent. */
  action: string;
  changes?: string;
  /** `ssh`, `http`, `web`; `''` when absent. */
  protocol: string;
  namespace_path?: string;
  gitaly_client_context_bin?: string;
  /** Gitaly's quarantine directories (`env`, a JSON string or object); `{}` when unusable. */
  env: GitEnv;
}

/** Reads the `/allowed` (and git audit event) parameters from the merged query and body. */
export function readAllowedInput(params: Readonly<Record<string, unknown>>): AllowedInput {
  return {
    action: stringParam(params.action) ?? '',
    changes: stringParam(params.changes),
    protocol: stringParam(params.protocol) ?? '',
    project: stringParam(params.project),
    gl_repository: stringParam(params.gl_repository),
    relative_path: stringParam(params.relative_path),
    namespace_path: stringParam(params.namespace_path),
    gitaly_client_context_bin: stringParam(params.gitaly_client_context_bin),
    env: parseGitEnv(params.env),
    key_id: params.key_id,
    user_id: params.user_id,
    username: params.username,
    krb5principal: params.krb5principal,
    identifier: params.identifier,
  };
}

/** The `env` parameter (Gitaly's quarantine directories): a JSON string or object; anything unparseable is `{}`. */
export function parseGitEnv(value: unknown): GitEnv {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return {};
    }
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const env = parsed as Record<string, unknown>;
  const out: GitEnv = {};
  if (typeof env.GIT_OBJECT_DIRECTORY_RELATIVE === 'string') out.GIT_OBJECT_DIRECTORY_RELATIVE = env.GIT_OBJECT_DIRECTORY_RELATIVE;
  const alternates = arrayParam(env.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE);
  if (alternates) out.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE = alternates;
  return out;
}
