import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ApiError, notFound } from '../common/api-error';
import { isUnstorableString } from '../common/storable-text';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ReadReplicas } from '../database/read-replicas';
import { ActorService } from '../identity/actor.service';
import { User } from '../identity/entities/user.entity';
import { MembershipRepository } from '../namespaces/membership.repository';
import { GroupSshCertificate } from './entities/group-ssh-certificate.entity';
import { AuthorizedCertsQuery, DiscoverQuery } from './dto/keys.dto';
import { blobFingerprint, normalizeCaFingerprint } from './ssh-blob';

export interface AuthorizedKeyBody {
  id: number;
  title: string;
  created_at: string;
  expires_at: string | null;
  key: string;
  usage_type: string;
}

export interface AuthorizedCertBody {
  success: true;
  namespace: string;
  username: string;
}

export interface DiscoverBody {
  id: number;
  username: string;
  name: string;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

/** `/authorized_keys`, `/authorized_certs` and `/discover`. */
@Injectable()
export class AuthorizedKeysService {
  private readonly host: string;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly actors: ActorService,
    private readonly replicas: ReadReplicas,
    private readonly memberships: MembershipRepository,
  ) {
    this.host = hostName(config.externalUrl);
  }

  /**
   * The key a client presents, by its SHA-256 fingerprint: one indexed query, on a read replica when one is in
   * rotation. Anything not found → 404 `Key Not Found`.
   */
  async authorizedKey(blob: string | undefined): Promise<AuthorizedKeyBody> {
    const fingerprint = blob ? blobFingerprint(blob) : null;
    if (!fingerprint) throw notFound('Key');
    const row = await this.replicas.read((m) => this.actors.authenticationKeyByFingerprint(fingerprint, m));
    if (!row) throw notFound('Key');
    return {
      id: Number(row.id),
      title: row.title,
      created_at: iso(row.created_at)!,
      expires_at: iso(row.expires_at),
      key: this.publicKeyLine(row.key, row.owner_name),
      usage_type: row.usage_type,
    };
  }

  /** `<type> <blob> <owner name> (<host>)`: the stored comment replaced, never a newline. */
  publicKeyLine(stored: string, ownerName: string | null): string {
    const [type, blob] = stored.trim().split(/\s+/);
    const owner = ownerName ? ownerName.replace(/[\r\n]+/g, ' ').trim() : '';
    return [type, blob, owner, `(${this.host})`].filter((part) => part).join(' ');
  }

  /** Which top-level group trusts a CA, and which of its enterprise users a certificate names. */
  async authorizedCert(query: AuthorizedCertsQuery): Promise<AuthorizedCertBody> {
    if (!this.config.sshCertificatesEnabled) throw new ApiError(403, { message: 'Feature is not available' });
    return this.replicas.read((m) => this.certificateUser(query, m));
  }

  private async certificateUser(query: AuthorizedCertsQuery, m: EntityManager): Promise<AuthorizedCertBody> {
    const rawKey = query.key;
    const fingerprint = rawKey && !isUnstorableString(rawKey) ? normalizeCaFingerprint(rawKey) : '';
    const cert = fingerprint
      ? await m.getRepository(GroupSshCertificate).findOne({ where: { fingerprint }, relations: { namespace: true } })
      : null;
    if (!cert || !cert.namespace) throw new ApiError(404, { message: 'Certificate Not Found' });
    const identifier = query.user_identifier?.trim();
    const user = identifier && !isUnstorableString(identifier) ? await this.userByIdentifier(identifier, m) : null;
    if (!user || !(await this.isCountingMember(user.id, cert.namespace_id, m))) throw new ApiError(404, { message: 'User Not Found' });
    if (user.enterprise_group_id === null || Number(user.enterprise_group_id) !== Number(cert.namespace_id))
      throw new ApiError(403, { message: 'Not an Enterprise User of the group' });
    return { success: true, namespace: cert.namespace.full_path, username: user.username };
  }

  /** The user a `/discover` request names, or null (the route then writes the literal `null`). */
  async discover(query: DiscoverQuery): Promise<DiscoverBody | null> {
    const actor = await this.replicas.read((m) => this.actors.resolve(query, m));
    const user = actor.user;
    if (!user) return null;
    return { id: Number(user.id), username: user.username, name: user.name };
  }

  private async userByIdentifier(identifier: string, m: EntityManager): Promise<User | null> {
    const users = m.getRepository(User);
    return (
      (await users.createQueryBuilder('u').where('lower(u.username) = lower(:v)', { v: identifier }).getOne()) ??
      (await users.createQueryBuilder('u').where('lower(u.email) = lower(:v)', { v: identifier }).getOne())
    );
  }

  /** A counting membership in the certificate's own group (clarification 8: subgroups do not count). */
  private isCountingMember(userId: number, groupId: number, m: EntityManager): Promise<boolean> {
    return this.memberships.hasCountingMembership(userId, 'Namespace', groupId, m);
  }
}

function hostName(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return 'localhost';
  }
}
