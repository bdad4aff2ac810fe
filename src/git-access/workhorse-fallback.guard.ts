import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { MESSAGES } from './messages';

/**
 * `shellhorse/git_audit_event`: without a `Gitlab-Shell-Api-Request` header GitLab falls back to
 * Workhorse authentication, which the product does not provide → 403. With the header, `@ShellAuth()` decides.
 */
@Injectable()
export class WorkhorseFallbackGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const value = request.headers['gitlab-shell-api-request'];
    const text = Array.isArray(value) ? value[0] : value;
    if (!text || text.trim() === '') throw new ApiError(403, { message: MESSAGES.workhorseOnly });
    return true;
  }
}
