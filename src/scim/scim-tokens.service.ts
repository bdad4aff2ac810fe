import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ScimTokenResolver } from '../auth/guards';
import { CredentialRequest, header } from '../auth/request-values';
import { idParam } from '../common/coerce';
import { secretsEqual, sha256Hex } from '../common/secrets';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { scimNotFound, scimUnauthorized } from './scim-exceptions';

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
export const SCIM_TOKEN_PREFIX = 'glsoat-';

/** The scope a SCIM request runs in, left on the request by the guard. */
export interface ScimScope {
  /** null: the instance scope */
  group: Namespace | null;
  /** absolute URL of the canonical base path, e.g. `https://gitlab.example.com/api/scim/v2/groups/test_group` */
  baseUrl: string;
  tokenId: number;
}

/** How log lines name a scope: `group:<full path>` or `instance`. */
export const scopeName = (scope: ScimScope): string => (scope.group ? `group:${scope.group.full_path}` : 'instance');

/** `glsoat-` + 20 characters of `[A-Za-z0-9_-]` from a CSPRNG (64 symbols: every byte maps without bias). */
export function newScimToken(): string {
  let out = SCIM_TOKEN_PREFIX;
  for (const b of randomBytes(20)) out += TOKEN_ALPHABET[b % 64];
  return out;
}

function firstString(value: unknown): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Issues SCIM tokens and checks them: the `SCIM_TOKEN_RESOLVER` of `@ScimAuth()`. */
@Injectable()
export class ScimTokensService implements ScimTokenResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** A group by numeric id or full path (case-insensitive); user namespaces and oversized ids are "not found". */
  async findGroup(idOrPath: string): Promise<Namespace | null> {
    const qb = this.dataSource.getRepository(Namespace).createQueryBuilder('n').where(`n.type = 'Group'`);
    if (/^\d+$/.test(idOrPath)) {
      const id = idParam(idOrPath);
      if (!id) return null;
      qb.andWhere('n.id = :id', { id });
    } else qb.andWhere('lower(n.full_path) = lower(:p)', { p: idOrPath });
    return qb.getOne();
  }

  scopeBaseUrl(group: Namespace | null): string {
    return group
      ? `${this.config.externalUrl}/api/scim/v2/groups/${encodeURIComponent(group.full_path)}`
      : `${this.config.externalUrl}/api/scim/v2/application`;
  }

  /** Creates the scope's new token, replacing the previous one in one upsert; returns the clear token. */
  async issue(groupId: number | null, defaultAccessLevel?: number): Promise<string> {
    const token = newScimToken();
    const digest = sha256Hex(token);
    await this.dataSource.transaction(async (m) => {
      if (groupId === null) {
        await m.query(
          `INSERT INTO scim_access_tokens (group_id, token_digest) VALUES (NULL, $1)
           ON CONFLICT ((group_id IS NULL)) WHERE group_id IS NULL
           DO UPDATE SET token_digest = EXCLUDED.token_digest, updated_at = now()`,
          [digest],
        );
        return;
      }
      await m.query(
        `INSERT INTO scim_access_tokens (group_id, token_digest) VALUES ($1, $2)
         ON CONFLICT (group_id) WHERE group_id IS NOT NULL
         DO UPDATE SET token_digest = EXCLUDED.token_digest, updated_at = now()`,
        [groupId, digest],
      );
      if (defaultAccessLevel !== undefined) {
        await m.query(
          `INSERT INTO scim_group_settings (group_id, default_access_level) VALUES ($1, $2)
           ON CONFLICT (group_id) DO UPDATE SET default_access_level = EXCLUDED.default_access_level, updated_at = now()`,
          [groupId, defaultAccessLevel],
        );
      }
    });
    return token;
  }

  /** The token of the request: `access_token` (wins) or `Authorization: Bearer` (scheme in any case). */
  private presentedToken(request: CredentialRequest): string | undefined {
    const fromQuery = firstString(request.query?.access_token);
    if (fromQuery !== undefined) return fromQuery;
    const value = header(request, 'authorization');
    const m = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
    return m ? m[1] : undefined;
  }

  /** Group lookup (404, before the token), then the token of exactly this scope (401). */
  async authenticate(request: CredentialRequest & { params?: Record<string, string> }, scope: 'group' | 'instance'): Promise<ScimScope> {
    let group: Namespace | null = null;
    if (scope === 'group') {
      const path = request.params?.group_path ?? '';
      group = await this.findGroup(path);
      if (!group) throw scimNotFound(`Group ${path} not found`);
    }
    const token = this.presentedToken(request);
    if (!token) throw scimUnauthorized();
    const digest = sha256Hex(token);
    const rows: { id: number; group_id: number | null; token_digest: string }[] = await this.dataSource.query(
      `SELECT id, group_id, token_digest FROM scim_access_tokens WHERE token_digest = $1`,
      [digest],
    );
    const row = rows[0];
    if (!row || !secretsEqual(row.token_digest, digest)) throw scimUnauthorized();
    const rowGroup = row.group_id === null ? null : Number(row.group_id);
    if (rowGroup !== (group ? group.id : null)) throw scimUnauthorized();
    return { group, baseUrl: this.scopeBaseUrl(group), tokenId: Number(row.id) };
  }
}
