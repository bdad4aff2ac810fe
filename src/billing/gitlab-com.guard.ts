import { CanActivate, Inject, Injectable } from '@nestjs/common';
import { forbidden } from '../common/api-error';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * The GitLab.com check of the upcoming-reconciliation routes: it runs **before**
 * authentication, so it is listed before the auth guard (`@UseGuards` below `@AdminAuth()` on the controller).
 */
@Injectable()
export class GitlabComFirstGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.gitlabSaas) throw forbidden('This API is gitlab.com only!');
    return true;
  }
}

/** The GitLab.com check of the storage-exclusion routes, after authentication and before the parameters are read. */
@Injectable()
export class GitlabComOnlyGuard implements CanActivate {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  canActivate(): boolean {
    if (!this.config.gitlabSaas) throw forbidden('this API is for GitLab.com only');
    return true;
  }
}
