import { CanActivate, Inject, Injectable, Type } from '@nestjs/common';
import { forbidden } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config';

/** A guard answering 403 `403 Forbidden - <message>` unless the instance is GitLab.com. */
function gitlabComGuard(message: string): Type<CanActivate> {
  @Injectable()
  class GitlabComGuard implements CanActivate {
    constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

    canActivate(): boolean {
      if (!this.config.gitlabSaas) throw forbidden(message);
      return true;
    }
  }
  return GitlabComGuard;
}

/**
 * The GitLab.com check of the upcoming-reconciliation routes: it runs **before**
 * authentication, so it is listed before the auth guard (`@UseGuards` below `@AdminAuth()` on the controller).
 */
export const GitlabComFirstGuard = gitlabComGuard('This API is gitlab.com only!');

/** The GitLab.com check of the storage-exclusion routes, after authentication and before the parameters are read. */
export const GitlabComOnlyGuard = gitlabComGuard('this API is for GitLab.com only');
