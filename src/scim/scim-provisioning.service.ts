import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { retryOnConflict } from '../common/retry';
import { UsersService } from '../identity/users.service';
import { SCIM_IDENTITY_INDEX, ScimIdentity } from './entities/scim-identity.entity';
import { CreateInput, readCreateBody } from './scim-create-body';
import { uniqueness } from './scim-exceptions';
import { ScimIdentitiesRepository } from './scim-identities.repository';
import { lostRaceOr, RETRY_LOST_RACES, RetryTransaction } from './scim-lost-race';
import { scopeName, ScimScope } from './scim-tokens.service';
import { identityResource, ScimResource } from './scim-user.presenter';
import { ScimUserStateService } from './scim-user-state.service';
import { sanitizeUsername, uniqueUsername } from './username';

/**
 * The answer to a create that failed: an API error as it is; a unique violation of scim_identities (a concurrent
 * create won) as the 409 of the attribute its index guards; a race lost on every attempt as `User has already been
 * taken`; anything else unchanged (a 500).
 */
export function createRefusal(err: unknown, input: CreateInput): unknown {
  if (err instanceof ApiError) return err;
  const index = uniqueViolation(err);
  if (index === SCIM_IDENTITY_INDEX.groupExternUid || index === SCIM_IDENTITY_INDEX.instanceExternUid)
    return uniqueness(`externalId "${input.externUid}" has already been taken`);
  if (index === SCIM_IDENTITY_INDEX.groupUserName || index === SCIM_IDENTITY_INDEX.instanceUserName)
    return uniqueness(`userName "${input.userName}" has already been taken`);
  if (index === SCIM_IDENTITY_INDEX.groupUser || index === SCIM_IDENTITY_INDEX.instanceUser)
    return uniqueness('User has already been taken');
  if (err instanceof RetryTransaction) return uniqueness('User has already been taken');
  return err;
}

/**
 * POST /Users: links the identity to the user with the email, or creates that user (a username derived from the
 * userName, free of every taken name and path), and in a group scope adds the membership. One transaction,
 * serialised per externalId, run again when it loses a race.
 */
@Injectable()
export class ScimProvisioningService {
  private readonly logger = new Logger('Scim');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: ScimIdentitiesRepository,
    private readonly users: UsersService,
    private readonly state: ScimUserStateService,
  ) {}

  async create(scope: ScimScope, body: Record<string, unknown>): Promise<ScimResource> {
    const input = readCreateBody(body);
    try {
      const identity = await retryOnConflict(() => this.dataSource.transaction((m) => this.createIn(m, scope, input)), RETRY_LOST_RACES);
      return identityResource(identity, scope.baseUrl);
    } catch (err) {
      if (err instanceof RetryTransaction)
        this.logger.warn({ scope: scopeName(scope), extern_uid: input.externUid }, 'SCIM provisioning kept losing races');
      const refusal = createRefusal(err, input);
      if (refusal instanceof ApiError)
        this.logger.log(
          { scope: scopeName(scope), extern_uid: input.externUid, outcome: `refused ${refusal.status}` },
          'SCIM user not provisioned',
        );
      throw refusal;
    }
  }

  private async createIn(m: EntityManager, scope: ScimScope, input: CreateInput): Promise<ScimIdentity> {
    await this.identities.lockProvisioning(scope, input.externUid, m);
    if (await this.identities.externUidTaken(scope, input.externUid, m))
      throw uniqueness(`externalId "${input.externUid}" has already been taken`);
    if (await this.identities.userNameTaken(scope, input.userName, m))
      throw uniqueness(`userName "${input.userName}" has already been taken`);
    let user = await this.users.findByEmail(input.email, m);
    let outcome = 'linked';
    if (user) {
      if (await this.identities.userLinked(scope, user.id, m)) throw uniqueness('User has already been taken');
    } else {
      const username = await uniqueUsername((prefix) => this.users.takenNamesWithPrefix(prefix, m), sanitizeUsername(input.userName));
      try {
        user = await this.users.create(
          { username, name: input.displayName, email: input.email, encryptedPassword: null, state: 'active' },
          m,
        );
      } catch (err) {
        // a concurrent request took the username, the namespace path or the email: start again
        throw lostRaceOr(err);
      }
      outcome = 'created';
    }
    const identity = await this.identities.insert(
      {
        group_id: scope.group ? scope.group.id : null,
        user_id: user.id,
        extern_uid: input.externUid,
        user_name: input.userName,
        given_name: input.givenName,
        family_name: input.familyName,
        active: true,
      },
      m,
    );
    if (scope.group) await this.state.ensureMembership(m, scope.group.id, user.id);
    identity.user = user;
    this.logger.log({ scope: scopeName(scope), extern_uid: input.externUid, user_id: user.id, outcome }, 'SCIM user provisioned');
    return identity;
  }
}
