import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../config/config';
import { secretsEqual } from '../common/secrets';
import { Principal } from './principal';
import { RequestStrategy } from './request-strategy';
import { CredentialRequest, header, param } from './request-values';

/** `error_tracking_token` parameter first, then `Gitlab-Error-Tracking-Token`, against ERROR_TRACKING_TOKEN. */
@Injectable()
export class ErrorTrackingStrategy extends PassportStrategy(RequestStrategy, 'error-tracking') {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
  }

  validate(request: CredentialRequest): Principal | null {
    const expected = this.config.errorTrackingToken;
    if (!expected) return null;
    const presented = param(request, 'error_tracking_token') ?? header(request, 'gitlab-error-tracking-token');
    if (presented === undefined) return null;
    return secretsEqual(presented.trim(), expected) ? { scheme: 'error-tracking' } : null;
  }
}
