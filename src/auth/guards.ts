import { CanActivate, ExecutionContext, Inject, Injectable, mixin, Optional, Type } from '@nestjs/common';
import passport from 'passport';
import type { Strategy } from 'passport-strategy';
import { ApiError, unauthorized } from '../common/api-error';
import { isDatabaseUnavailable } from '../common/db-outage';
import { Principal } from './principal';
import { bearer, CredentialRequest, header } from './request-values';

type Outcome = { user?: unknown; err?: unknown };
type Attempt = Strategy & { success(user: unknown): void; fail(): void; error(err: unknown): void; pass(): void; redirect(): void };

const registered = passport as unknown as { _strategy(name: string): Strategy | undefined };

/**
 * Runs one registered passport strategy on `request`, as `passport.authenticate` does (a fresh instance with its
 * action functions), without the session helpers and option merging it adds to every request.
 */
function attempt(name: string, request: unknown): Promise<Outcome> {
  const strategy = registered._strategy(name);
  if (!strategy) return Promise.resolve({ err: new Error(`Unknown authentication strategy "${name}"`) });
  return new Promise<Outcome>((resolve) => {
    const run = Object.create(strategy) as Attempt;
    run.success = (user) => resolve({ user });
    run.fail = () => resolve({});
    run.pass = () => resolve({});
    run.redirect = () => resolve({});
    run.error = (err) => resolve({ err });
    run.authenticate(request as Parameters<Strategy['authenticate']>[0], {});
  });
}

/**
 * A guard over passport `strategies`, tried in order until one authenticates (an error stops the chain); the
 * principal is left on `request.user`. Fails with the strategy's ApiError, else with `failure()`.
 */
function schemeGuard(strategies: string[], failure: () => ApiError): Type<CanActivate> {
  class SchemeGuard implements CanActivate {
    async canActivate(context: ExecutionContext): Promise<boolean> {
      const request = context.switchToHttp().getRequest<{ user?: unknown }>();
      for (const name of strategies) {
        const { user, err } = await attempt(name, request);
        // a lookup that could not reach the database is no verdict on the credential: 503 with Retry-After, never 401
        if (err instanceof ApiError || isDatabaseUnavailable(err)) throw err;
        if (err) throw failure();
        if (user) {
          request.user = user;
          return true;
        }
      }
      throw failure();
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
