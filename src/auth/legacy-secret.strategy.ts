import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { APP_CONFIG, AppConfig } from '../config/config';
import { secretsEqual } from '../common/secrets';
import { AuthSecrets } from './auth-secrets.service';
import { Principal } from './principal';
import { RequestStrategy } from './request-strategy';
import { CredentialRequest, header, param } from './request-values';

/**
 * The pre-JWT shared secret of gitlab-shell (only with LEGACY_SHARED_SECRET_AUTH=true): `secret_token`
 * compared raw, or `Gitlab-Shared-Secret: base64(secret)` decoded leniently.
 */
@Injectable()
export class ShellLegacySecretStrategy extends PassportStrategy(RequestStrategy, 'shell-legacy') {
  constructor(
    private readonly secrets: AuthSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  validate(request: CredentialRequest): Principal | null {
    if (!this.config.legacySharedSecretAuth) return null;
    const candidates = [this.secrets.shell, this.secrets.shellPrevious].filter((s): s is string => !!s);
    const token = param(request, 'secret_token');
    if (token !== undefined && candidates.some((s) => secretsEqual(token.trim(), s))) return { scheme: 'shell' };
    const shared = header(request, 'gitlab-shared-secret');
    if (shared !== undefined) {
      const decoded = Buffer.from(shared.replace(/[^A-Za-z0-9+/]/g, ''), 'base64').toString('utf8').trim();
      if (candidates.some((s) => secretsEqual(decoded, s))) return { scheme: 'shell' };
    }
    return null;
  }
}
