import { CanActivate, ExecutionContext, Inject, Injectable, mixin, Optional, Type } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiError, unauthorized } from '../common/api-error';
import { isDatabaseUnavailable } from '../common/db-outage';
import { Principal } from './principal';
import { bearer, CredentialRequest, header } from './request-values';

/**
 * A passport guard over `strategies` (tried in order) that fails with `failure()`. A token lookup that could not
 * reach the database is no verdict on the token: it passes on (503 with Retry-After), never a 401.
 */
function schemeGuard(strategies: string[], failure: () => ApiError): Type<CanActivate> {
  class SchemeGuard extends AuthGuard(strategies) {
    handleRequest<T>(err: unknown, user: T): T {
      if (err instanceof ApiError || isDatabaseUnavailable(err)) throw err;
      if (err || !user) throw failure();
      return user;
    }
  }
  return mixin(SchemeGuard);
}

export const ShellAuthGuard = schemeGuard(['shell-jwt', 'shell-jwt-previous', 'shell-legacy'], () => unauthorized());
export const kasJwtFailure = () => unauthorized('KAS JWT authentication invalid');
export const KasAuthGuard = schemeGuard(['kas-jwt', 'kas-jwt-previous'], kasJwtFailure);
export const AdminAuthGuard = schemeGuard(['admin-token'], () => unauthorized());
export const UserAuthGuard = schemeGuard(['user-token'], () => unauthorized());
export const ErrorTrackingAuthGuard = schemeGuard(['error-tracking'], () => unauthorized());

/** Provided by the Kubernetes module: the agent behind an agent token (sha256 lookup among active tokens). */
export const AGENT_TOKEN_RESOLVER = Symbol('AGENT_TOKEN_RESOLVER');
export interface AgentTokenResolver {
  resolve(token: string): Promise<{ agent: unknown; tokenId: number } | null>;
}

/** `@KasAgentAuth()`: the kas JWT, then the agent token (`Authorization: Bearer`, else `Gitlab-Agentk-Api-Request`). */
@Injectable()
export class KasAgentAuthGuard implements CanActivate {
  private readonly jwt: CanActivate;

  constructor(@Optional() @Inject(AGENT_TOKEN_RESOLVER) private readonly resolver?: AgentTokenResolver) {
    this.jwt = new KasAuthGuard();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    await this.jwt.canActivate(context);
    const request = context.switchToHttp().getRequest<CredentialRequest & { user?: Principal }>();
    const hasAuthorization = header(request, 'authorization') !== undefined;
    const token = hasAuthorization ? bearer(request) : header(request, 'gitlab-agentk-api-request');
    const found = token && this.resolver ? await this.resolver.resolve(token) : null;
    if (!found) throw unauthorized();
    request.user = { scheme: 'kas-agent', agent: found.agent, tokenId: found.tokenId };
    return true;
  }
}

/** Provided by the SCIM module: checks the SCIM token of the request for a scope, throwing SCIM errors. */
export const SCIM_TOKEN_RESOLVER = Symbol('SCIM_TOKEN_RESOLVER');
export interface ScimTokenResolver {
  authenticate(request: CredentialRequest & { params?: Record<string, string> }, scope: 'group' | 'instance'): Promise<unknown>;
}

export function scimAuthGuard(scope: 'group' | 'instance'): Type<CanActivate> {
  @Injectable()
  class ScimAuthGuard implements CanActivate {
    constructor(@Optional() @Inject(SCIM_TOKEN_RESOLVER) private readonly resolver?: ScimTokenResolver) {}

    async canActivate(context: ExecutionContext): Promise<boolean> {
      const request = context.switchToHttp().getRequest<CredentialRequest & { user?: Principal; params?: Record<string, string> }>();
      if (!this.resolver) throw unauthorized();
      const token = await this.resolver.authenticate(request, scope);
      request.user = { scheme: 'scim', token };
      return true;
    }
  }
  return mixin(ScimAuthGuard);
}
