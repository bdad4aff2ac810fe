import { GitalyStorage } from '../../config/config';
import { ActorService } from '../../identity/actor.service';
import { MESSAGES } from '../messages';
import { RepoProject, RepositoryService } from '../repository.service';
import { AccessContext } from './request-context';

/** A key expiring within this time gets a console warning. */
const EXPIRY_WARNING_MS = 7 * 24 * 60 * 60 * 1000;

/** G14: the success payload of `/allowed` (null and undefined top-level keys dropped). */
export function allowedBody(
  ctx: Pick<AccessContext, 'settings' | 'key' | 'deployKey' | 'actor' | 'env'>,
  project: RepoProject,
  storage: GitalyStorage | undefined,
  now = Date.now(),
): Record<string, unknown> {
  const options = ['uploadpack.allowFilter=true', 'uploadpack.allowAnySHA1InWant=true'];
  const maxInput = ctx.settings.receive_max_input_size;
  if (maxInput && maxInput > 0) options.push(`receive.maxInputSize=${maxInput * 1048576}`);
  const glRepository = `project-${project.id}`;
  const expires = ctx.key?.expires_at ? new Date(ctx.key.expires_at).getTime() : null;
  const body: Record<string, unknown> = {
    status: true,
    gl_repository: glRepository,
    gl_project_path: project.full_path,
    gl_project_id: project.id,
    gl_root_namespace_id: project.root_namespace_id,
    gl_id: ActorService.glId(ctx.actor),
    gl_username: ctx.actor.user?.username,
    git_config_options: options,
    gitaly: {
      repository: {
        storage_name: project.repository_storage,
        relative_path: RepositoryService.relativePath(project),
        git_object_directory: ctx.env.GIT_OBJECT_DIRECTORY_RELATIVE ?? '',
        git_alternate_object_directories: ctx.env.GIT_ALTERNATE_OBJECT_DIRECTORIES_RELATIVE ?? [],
        gl_repository: glRepository,
        gl_project_path: project.full_path,
      },
      address: storage?.address ?? '',
      token: storage?.token ?? '',
      features: {},
    },
    gl_console_messages: expires !== null && expires > now && expires < now + EXPIRY_WARNING_MS ? [MESSAGES.keyExpiringSoon] : [],
    need_audit: false,
    gl_key_type: ctx.key ? (ctx.deployKey ? 'deploy_key' : 'key') : undefined,
    gl_key_id: ctx.key ? Number(ctx.key.id) : undefined,
  };
  for (const k of Object.keys(body)) if (body[k] === null || body[k] === undefined) delete body[k];
  return body;
}
