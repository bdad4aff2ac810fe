import { IsIn } from 'class-validator';
import { AllOrNoneOf, ArrayOf, Bool, Integer, Optional, PageParams, ParamType, Requires, Str, Timestamp } from '../../common/params';
import { PAT_SCOPES } from '../../identity/personal-access-tokens.service';
import { KEY_USAGE_TYPES } from '../../identity/entities/key.entity';
import { USER_STATES, UserState } from '../../identity/entities/user.entity';
import { IsoDate } from '../../common/params';

/** A row id: a positive integer (number or digits); anything else is invalid. */
export const Id = Integer({ min: 1 });

/** Scopes an admin may give a token: the list plus `sudo` and `admin_mode`. */
export const ADMIN_PAT_SCOPES = [...PAT_SCOPES, 'sudo', 'admin_mode'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern requires any[]
type Ctor<T = object> = new (...args: any[]) => T;

/** The optional attributes of a user, shared by creation and update (declared after the identifying fields). */
function WithUserAttributes<B extends Ctor>(Base: B) {
  @AllOrNoneOf('extern_uid', 'provider')
  class UserAttributes extends Base {
    @Optional(Str, { api: { minLength: 8 } }) password?: string;
    @Optional(Bool) admin?: boolean;
    @Optional(Bool) external?: boolean;
    @Optional(Str, { api: { example: 'kerberos' } }) provider?: string;
    @Optional(Str, { api: { example: 'alice@EXAMPLE.COM' } }) extern_uid?: string;
    @Optional(Str, { api: { enum: [...USER_STATES], description: 'product extension' } }) @IsIn(USER_STATES) state?: UserState;
    @Optional(Id, { api: { description: 'product extension' } }) enterprise_group_id?: number;
    @Optional(Str, { api: { description: 'product extension' } }) notification_email?: string;
  }
  return UserAttributes;
}

class NewUserIdentity {
  @Requires(Str, { api: { example: 'alice@example.com' } }) email: string;
  @Requires(Str, { api: { example: 'Alice Example' } }) name: string;
  @Requires(Str, { api: { example: 'alice' } }) username: string;
}

class UserIdentityChanges {
  @Optional(Str) email?: string;
  @Optional(Str) name?: string;
  @Optional(Str) username?: string;
}

export class CreateUserBody extends WithUserAttributes(NewUserIdentity) {}

export class UpdateUserBody extends WithUserAttributes(UserIdentityChanges) {}

/** The attributes a user row may take, as read by creation or update. */
export type UserAttributesInput = CreateUserBody | UpdateUserBody;

export class ListUsersQuery extends PageParams {
  @Optional(Str, { api: { description: 'exact username, case-insensitive' } }) username?: string;
  @Optional(Str, { api: { description: 'part of the username or name, or the whole email' } }) search?: string;
}

/** Blank titles are a model error (`title can't be blank`), as in GitLab. */
export class CreateKeyBody {
  @Requires(Str, { api: { example: 'laptop' } }) title: string;
  @Requires(Str, { api: { example: 'ssh-ed25519 AAAA… alice@laptop' } }) key: string;
  @Optional(Timestamp, { null: 'value', api: { example: '2027-01-31T00:00:00.000Z' } }) expires_at?: Date | null;
  @Optional(Str, { api: { enum: [...KEY_USAGE_TYPES] } }) @IsIn(KEY_USAGE_TYPES) usage_type?: (typeof KEY_USAGE_TYPES)[number];
}

/** One scope or a list of them; an empty list is a model error (`scopes can't be blank`). */
const Scopes: ParamType<unknown[]> = {
  name: 'Array[String]',
  schema: ArrayOf(Str).schema,
  coerce: (raw) => (Array.isArray(raw) ? raw : [raw]),
};

export class CreatePatBody {
  @Requires(Str, { api: { example: 'ci' } }) name: string;
  @Requires(Scopes, { api: { example: ['api'], items: { type: 'string', enum: ADMIN_PAT_SCOPES } } }) @IsIn(ADMIN_PAT_SCOPES, { each: true })
  scopes: string[];
  @Optional(IsoDate, { null: 'value', api: { example: '2027-01-31' } }) expires_at?: string | null;
}
