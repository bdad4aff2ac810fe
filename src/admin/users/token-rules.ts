import { modelError } from '../../common/api-error';
import { todayUtc } from '../../common/coerce';
import { CreatePatBody } from '../dto/users.dto';

/**
 * A new token's expiry and GitLab's model rules: a name that is not blank and fits 255 characters, at least one
 * scope, and, when the instance requires an expiry, a date no later than a year from today (absent: that date).
 * Returns the expiry (`YYYY-MM-DD` or null); broken rules → 400 `{"message":{…}}`, all at once.
 */
export function tokenExpiry(input: CreatePatBody, requireExpiry: boolean, now = new Date()): string | null {
  const errors: Record<string, string[]> = {};
  if (!input.name.trim()) errors.name = ["can't be blank"];
  else if (input.name.length > 255) errors.name = ['is too long (maximum is 255 characters)'];
  if (!input.scopes.length) errors.scopes = ["can't be blank"];
  const max = todayUtc(new Date(now.getTime() + 365 * 86_400_000));
  let expiresAt = input.expires_at ?? null;
  if (expiresAt === null && requireExpiry) expiresAt = max;
  if (expiresAt !== null && requireExpiry && expiresAt > max) errors.expires_at = [`must be before ${max}`];
  if (Object.keys(errors).length) throw modelError(errors);
  return expiresAt;
}
