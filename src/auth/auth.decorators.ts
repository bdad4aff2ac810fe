import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Type, UseGuards } from '@nestjs/common';
import { ApiForbiddenResponse, ApiSecurity, ApiUnauthorizedResponse } from '@nestjs/swagger';
import {
  AdminAuthGuard,
  ErrorTrackingAuthGuard,
  KasAgentAuthGuard,
  KasAuthGuard,
  scimAuthGuard,
  ShellAuthGuard,
  UserAuthGuard,
} from './guards';
import { ReadBodyGuard } from '../http/body';
import { Principal } from './principal';
import { SECURITY } from './security-schemes';

/** A scheme's guard, then the body reader: a request's body is read only once it is authenticated. */
const authenticatedBy = (guard: Type<CanActivate>) => UseGuards(guard, ReadBodyGuard);

const messageSchema = (example: string) => ({
  schema: { type: 'object', properties: { message: { type: 'string', example } }, required: ['message'] },
});

/** gitlab-shell, gitlab-sshd and Gitaly: `Gitlab-Shell-Api-Request` JWT. */
export const ShellAuth = () =>
  applyDecorators(
    authenticatedBy(ShellAuthGuard),
    ApiSecurity(SECURITY.shell),
    ApiUnauthorizedResponse({ description: 'Missing or invalid shell JWT', ...messageSchema('401 Unauthorized') }),
  );

/** kas: `Gitlab-Kas-Api-Request` JWT. */
export const KasAuth = () =>
  applyDecorators(
    authenticatedBy(KasAuthGuard),
    ApiSecurity(SECURITY.kas),
    ApiUnauthorizedResponse({ description: 'Missing or invalid kas JWT', ...messageSchema('KAS JWT authentication invalid') }),
  );

/** kas on behalf of an agent: the kas JWT plus the agent token. */
export const KasAgentAuth = () =>
  applyDecorators(
    authenticatedBy(KasAgentAuthGuard),
    ApiSecurity({ [SECURITY.kas]: [], [SECURITY.kasAgent]: [] }),
    ApiUnauthorizedResponse({ description: 'Missing or invalid kas JWT or agent token', ...messageSchema('401 Unauthorized') }),
  );

/** Operators and fixtures: an admin's personal access token with `api` scope. */
export const AdminAuth = () =>
  applyDecorators(
    authenticatedBy(AdminAuthGuard),
    ApiSecurity(SECURITY.admin),
    ApiUnauthorizedResponse({ description: 'Missing, unknown, expired or revoked token', ...messageSchema('401 Unauthorized') }),
    ApiForbiddenResponse({ description: 'Not an admin, or no api scope', ...messageSchema('403 Forbidden') }),
  );

/** Any active user's personal access token with `api` or `read_api` scope. */
export const UserAuth = () =>
  applyDecorators(
    authenticatedBy(UserAuthGuard),
    ApiSecurity(SECURITY.user),
    ApiUnauthorizedResponse({ description: 'Missing, unknown, expired or revoked token', ...messageSchema('401 Unauthorized') }),
    ApiForbiddenResponse({ description: 'No api or read_api scope', ...messageSchema('403 Forbidden') }),
  );

/** Identity providers: a SCIM token of a group or of the instance. */
export const ScimAuth = (scope: 'group' | 'instance') =>
  applyDecorators(authenticatedBy(scimAuthGuard(scope)), ApiSecurity(scope === 'group' ? SECURITY.scimGroup : SECURITY.scimInstance));

/** The error-tracking backend: `error_tracking_token` / `Gitlab-Error-Tracking-Token`. */
export const ErrorTrackingAuth = () =>
  applyDecorators(
    authenticatedBy(ErrorTrackingAuthGuard),
    ApiSecurity(SECURITY.errorTracking),
    ApiUnauthorizedResponse({ description: 'Missing or wrong token', ...messageSchema('401 Unauthorized') }),
  );

/** The authenticated principal the guard left on the request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});
