import { Inject, Injectable } from '@nestjs/common';
import { notFound, recordNotFound } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ReadReplicas } from '../database/read-replicas';
import { ActorService } from '../identity/actor.service';
import { invalidGlRepository, parseGlRepository, RepositoryService } from '../git-access/repository.service';
import { LfsAuthenticateRequest, LfsObjectQuery } from './dto/lfs.dto';
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

  async authenticate(input: LfsAuthenticateRequest) {
    // 1. repository (the lookups of steps 1 and 2 may be served by a read replica)
    const { project, gl_repository, relative_path } = input;
    const { project: found } = await this.replicas.read((m) => this.repositories.resolve({ project, gl_repository, relative_path }, m));
    if (!found || !this.config.lfsEnabled || !found.lfs_enabled) throw notFound();
    // 2. actor
    const actor = await this.replicas.read((m) => this.actors.resolve(input, m));
    let lfsActor: LfsActor;
    if (actor.kind === 'deploy_key' && actor.key) lfsActor = { kind: 'deploy_key', key: actor.key };
    else if (actor.user) lfsActor = { kind: 'user', user: actor.user };
    else throw recordNotFound();
    // 3. key last-used tracking
    await this.actors.touchKey(actor);
    // 4. the token
    return {
      username: LfsTokenService.actorName(lfsActor),
      lfs_token: this.tokens.issue(lfsActor, found.id),
      repository_http_path: this.repositories.httpUrlToRepo(found.full_path),
      expires_in: LFS_TOKEN_TTL_SECONDS,
    };
  }

  /** `oid` and `gl_repository` were given (the DTO answers their absence). */
  async object(query: LfsObjectQuery): Promise<never> {
    const glRepository = query.gl_repository ?? '';
    if (glRepository && !parseGlRepository(glRepository)) throw invalidGlRepository(glRepository);
    throw notFound();
  }
}
