import { Inject, Injectable } from '@nestjs/common';
import { notFound, paramError, recordNotFound } from '../common/api-error';
import { isPresent, stringParam } from '../common/coerce';
import { RawParams } from '../common/params.decorator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ReadReplicas } from '../database/read-replicas';
import { ActorService } from '../identity/actor.service';
import { invalidGlRepository, parseGlRepository, RepositoryService } from '../git-access/repository.service';
import { LFS_TOKEN_TTL_SECONDS, LfsActor, LfsTokenService } from './lfs-token.service';

/** `/lfs_authenticate` and `/lfs`. */
@Injectable()
export class LfsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repositories: RepositoryService,
    private readonly actors: ActorService,
    private readonly tokens: LfsTokenService,
    private readonly replicas: ReadReplicas,
  ) {}

  async authenticate(params: RawParams) {
    // 1. repository (the lookups of steps 1 and 2 may be served by a read replica)
    const { project } = await this.replicas.read((m) => this.repositories.resolve(params, m));
    if (!project || !this.config.lfsEnabled || !project.lfs_enabled) throw notFound();
    // 2. actor
    const actor = await this.replicas.read((m) => this.actors.resolve(params, m));
    let lfsActor: LfsActor;
    if (actor.kind === 'deploy_key' && actor.key) lfsActor = { kind: 'deploy_key', key: actor.key };
    else if (actor.user) lfsActor = { kind: 'user', user: actor.user };
    else throw recordNotFound();
    // 3. key last-used tracking
    await this.actors.touchKey(actor);
    // 4. the token
    return {
      username: LfsTokenService.actorName(lfsActor),
      lfs_token: this.tokens.issue(lfsActor, project.id),
      repository_http_path: this.repositories.httpUrlToRepo(project.full_path),
      expires_in: LFS_TOKEN_TTL_SECONDS,
    };
  }

  async object(params: RawParams): Promise<never> {
    const missing = ['oid', 'gl_repository'].filter((name) => !isPresent(params[name]));
    if (missing.length) throw paramError(...missing.map((name) => `${name} is missing`));
    const glRepository = stringParam(params.gl_repository) ?? '';
    if (glRepository && !parseGlRepository(glRepository)) throw invalidGlRepository(glRepository);
    throw notFound();
  }
}
