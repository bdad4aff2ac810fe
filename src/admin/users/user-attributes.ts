import { modelError } from '../../common/api-error';
import { isValidNamespacePath, NAMESPACE_PATH_ERROR } from '../../common/path-format';
import { User } from '../../identity/entities/user.entity';
import { UserAttributesInput } from '../dto/users.dto';
import { tooLong } from '../model-errors';

const EMAIL_FORMAT = /^[^\s@]+@[^\s@]+$/;

/**
 * GitLab's model rules for the attributes given (absent ones are not checked): a well-formed email and
 * notification email (`""` clears the latter), a name that is not blank and fits 255 characters, a username
 * that is a valid namespace path, a password of at least 8 characters, columns of 255 characters.
 * Every broken rule is answered at once: 400 `{"message":{"email":["is invalid"],…}}`.
 */
export function checkUserAttributes(input: UserAttributesInput): void {
  const errors: Record<string, string[]> = {};
  if (input.email !== undefined && !EMAIL_FORMAT.test(input.email)) errors.email = ['is invalid'];
  if (input.name !== undefined && !input.name.trim()) errors.name = ["can't be blank"];
  else if (input.name !== undefined && input.name.length > 255) errors.name = ['is too long (maximum is 255 characters)'];
  if (input.username !== undefined && !isValidNamespacePath(input.username)) errors.username = [NAMESPACE_PATH_ERROR];
  if (input.password !== undefined && input.password.length < 8) errors.password = ['is too short (minimum is 8 characters)'];
  if (input.notification_email !== undefined && input.notification_email !== '' && !EMAIL_FORMAT.test(input.notification_email))
    errors.notification_email = ['is invalid'];
  Object.assign(errors, tooLong({ email: input.email, notification_email: input.notification_email, provider: input.provider, extern_uid: input.extern_uid }));
  if (Object.keys(errors).length) throw modelError(errors);
}

export type UserChanges = Partial<
  Pick<User, 'email' | 'name' | 'username' | 'encrypted_password' | 'admin' | 'external' | 'state' | 'enterprise_group_id' | 'notification_email'>
>;

/** The columns an update writes: the attributes given, a new password as its digest, `""` clearing the notification email. */
export function userChanges(input: UserAttributesInput, encryptedPassword: string | undefined): UserChanges {
  const changes: UserChanges = {};
  if (input.email !== undefined) changes.email = input.email;
  if (input.name !== undefined) changes.name = input.name;
  if (input.username !== undefined) changes.username = input.username;
  if (encryptedPassword !== undefined) changes.encrypted_password = encryptedPassword;
  if (input.admin !== undefined) changes.admin = input.admin;
  if (input.external !== undefined) changes.external = input.external;
  if (input.state !== undefined) changes.state = input.state;
  if (input.enterprise_group_id !== undefined) changes.enterprise_group_id = input.enterprise_group_id;
  if (input.notification_email !== undefined) changes.notification_email = input.notification_email || null;
  return changes;
}
