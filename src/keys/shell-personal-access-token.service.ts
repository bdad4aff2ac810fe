import { PAT_SCOPES } from '../identity/personal-access-tokens.service';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isIsoDate, todayUtc } from '../common/coerce';
import { isUnstorableString } from '../common/storable-text';
import { ActorService } from '../identity/actor.service';
import { PersonalAccessTokensService } from '../identity/personal-access-tokens.service';
import { ApplicationSettingsService } from '../settings/application-settings.service';
import { PersonalAccessTokenRequest } from './dto/keys.dto';
import { actorError, fail, ShellResult } from './two-factor.service';

/** Scopes a token created over SSH may carry (GitLab 17.x; `sudo`, `admin_mode` … are not among them). */
export const SHELL_PAT_SCOPES = PAT_SCOPES;

/** Ruby's `Array#inspect` of the valid scopes, as GitLab prints it. */
const SCOPES_INSPECT = `[${SHELL_PAT_SCOPES.map((s) => `"${s}"`).join(', ')}]`;

export const MAX_TOKEN_LIFETIME_DAYS = 365;

/** `today + days` (UTC) as `YYYY-MM-DD`. */
export function dateInDays(days: number, now: Date = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days));
  return todayUtc(d);
}

/** `ssh git@host personal_access_token <name> <scopes> [<ttl days>]`. */
@Injectable()
export class ShellPersonalAccessTokenService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly actors: ActorService,
    private readonly tokens: PersonalAccessTokensService,
    private readonly settings: ApplicationSettingsService,
  ) {}

  async create(input: PersonalAccessTokenRequest): Promise<ShellResult> {
    const actor = await this.actors.resolve(input);
    await this.actors.touchKey(actor);
    if (actor.kind === 'deploy_key') return fail('Deploy keys cannot be used to create personal access tokens');
    if (input.user_id !== undefined && !actor.user) return fail('Could not find the given user');
    const error = actorError(actor);
    if (error) return fail(error);
    const user = actor.user!;

    const name = input.name;
    if (name === undefined || name.trim() === '') return fail('No token name specified');

    const scopes = input.scopes;
    if (!scopes || scopes.length === 0) return fail('No token scopes specified');
    const invalid = scopes.find((s) => !SHELL_PAT_SCOPES.includes(s));
    if (invalid !== undefined) return fail(`Invalid scope: '${invalid}'. Valid scopes are: ${SCOPES_INSPECT}`);

    const settings = await this.settings.current();
    const requireExpiry = settings.require_personal_access_token_expiry;
    const maxDate = dateInDays(MAX_TOKEN_LIFETIME_DAYS);
    const rawExpiry = input.expires_at;
    let expiresAt: string | null;
    if (rawExpiry !== undefined && rawExpiry.trim() !== '') {
      const m = /^(\d{4}-\d{2}-\d{2})(T.*)?$/.exec(rawExpiry.trim());
      if (!m || !isIsoDate(m[1])) return fail(`Invalid token expiry date: '${rawExpiry}'`);
      expiresAt = m[1];
    } else {
      expiresAt = requireExpiry ? maxDate : null;
    }

    if (user.state !== 'active') return fail('Failed to create token: Not permitted to create');
    if ([...name].length > 255) return fail('Failed to create token: Name is too long (maximum is 255 characters)');
    if (isUnstorableString(name)) return fail('Failed to create token: Name is invalid');
    if (requireExpiry && expiresAt !== null && expiresAt > maxDate)
      return fail(`Failed to create token: Expires at must be before ${maxDate}`);

    const { token } = await this.dataSource.transaction((m) => this.tokens.create({ userId: user.id, name, scopes, expiresAt }, m));
    return { success: true, token, scopes, expires_at: expiresAt };
  }
}
