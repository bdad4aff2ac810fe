import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { forbidden } from '../common/api-error';
import { todayUtc } from '../common/coerce';
import { sha256Hex } from '../common/secrets';
import { PersonalAccessToken } from '../identity/entities/personal-access-token.entity';
import { User } from '../identity/entities/user.entity';
import { Principal } from './principal';
import { RequestStrategy } from './request-strategy';
import { bearer, CredentialRequest, header, param } from './request-values';

/** `PRIVATE-TOKEN`, `Authorization: Bearer` or `private_token`. */
export function presentedPat(request: CredentialRequest): string | undefined {
  return header(request, 'private-token') ?? bearer(request) ?? param(request, 'private_token');
}

/** The active user and token behind a presented personal access token, or null (→ 401). */
export async function resolvePat(dataSource: DataSource, token: string | undefined): Promise<{ user: User; pat: PersonalAccessToken } | null> {
  if (!token) return null;
  const pat = await dataSource.getRepository(PersonalAccessToken).findOne({
    where: { token_digest: sha256Hex(token) },
    relations: { user: true },
  });
  if (!pat || !pat.user || pat.revoked) return null;
  if (pat.expires_at !== null && pat.expires_at < todayUtc()) return null;
  if (pat.user.state !== 'active') return null;
  return { user: pat.user, pat };
}

/** `@AdminAuth()`: an admin's token with `api` scope. */
@Injectable()
export class AdminTokenStrategy extends PassportStrategy(RequestStrategy, 'admin-token') {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async validate(request: CredentialRequest): Promise<Principal | null> {
    const found = await resolvePat(this.dataSource, presentedPat(request));
    if (!found) return null;
    if (!found.user.admin || !found.pat.scopes.includes('api')) throw forbidden();
    return { scheme: 'admin', user: found.user, tokenId: found.pat.id, scopes: found.pat.scopes };
  }
}

/** `@UserAuth()`: any active user's token with `api` or `read_api` scope. */
@Injectable()
export class UserTokenStrategy extends PassportStrategy(RequestStrategy, 'user-token') {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async validate(request: CredentialRequest): Promise<Principal | null> {
    const found = await resolvePat(this.dataSource, presentedPat(request));
    if (!found) return null;
    if (!found.pat.scopes.includes('api') && !found.pat.scopes.includes('read_api')) throw forbidden();
    return { scheme: 'user', user: found.user, tokenId: found.pat.id, scopes: found.pat.scopes };
  }
}
