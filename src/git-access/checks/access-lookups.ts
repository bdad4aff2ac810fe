import { DataSource, EntityManager } from 'typeorm';
import { ReadReplicas } from '../../database/read-replicas';
import { User } from '../../identity/entities/user.entity';
import { AccessService } from '../../namespaces/access.service';
import { NamespaceTreeRepository } from '../../namespaces/namespace-tree.repository';
import { RepoProject } from '../repository.service';
import { DeployKeyLinksRepository } from './deploy-key-links.repository';

/** The per-project facts the access steps ask for; a request asks each at most once. */
export interface ProjectAccessFacts {
  /** L(user, project); 0 without a user. */
  level(user: User | null, project: RepoProject): Promise<number>;
  /** The acting deploy key's link to the project; null without a deploy key or when it is not enabled there. */
  deployKeyLink(project: RepoProject): Promise<{ can_push: boolean } | null>;
}

/** What the lookups read through, shared by every request. */
export interface LookupSources {
  dataSource: DataSource;
  replicas: ReadReplicas;
  access: AccessService;
  deployKeyLinks: DeployKeyLinksRepository;
  tree: NamespaceTreeRepository;
}

/** A namespace named by a request path, with its root's full path. */
export type PathNamespace = NonNullable<Awaited<ReturnType<NamespaceTreeRepository['findByPathWithRoot']>>>;

/**
 * The reads of one request, memoised: a read replica in rotation serves them until the request writes rows it
 * reads again (project auto-creation), after which every read goes to the primary.
 */
export class AccessLookups implements ProjectAccessFacts {
  private primaryOnly = false;
  private levels?: Map<number, Promise<number>>;
  private link?: Promise<{ can_push: boolean } | null>;

  constructor(
    private readonly sources: LookupSources,
    private readonly deployKeyId: number | null,
  ) {}

  /** From now on this request reads from the primary. */
  usePrimary(): void {
    this.primaryOnly = true;
  }

  read<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.primaryOnly ? work(this.sources.dataSource.manager) : this.sources.replicas.read(work);
  }

  level(user: User | null, project: RepoProject): Promise<number> {
    if (!user) return Promise.resolve(0);
    this.levels ??= new Map();
    let cached = this.levels.get(user.id);
    if (!cached) {
      cached = this.read((m) => this.sources.access.projectAccessLevel(user.id, project.id, m));
      this.levels.set(user.id, cached);
    }
    return cached;
  }

  deployKeyLink(project: RepoProject): Promise<{ can_push: boolean } | null> {
    const deployKeyId = this.deployKeyId;
    if (deployKeyId === null) return Promise.resolve(null);
    this.link ??= this.read((m) => this.sources.deployKeyLinks.linkOf(deployKeyId, project.id, m));
    return this.link;
  }

  /** A namespace and its root's path, by full path (case-insensitive). */
  namespaceByPath(fullPath: string): Promise<PathNamespace | null> {
    return this.read((m) => this.sources.tree.findByPathWithRoot(fullPath, m));
  }

  /** L(user, group). */
  groupLevel(userId: number, groupId: number): Promise<number> {
    return this.read((m) => this.sources.access.groupAccessLevel(userId, groupId, m));
  }
}
