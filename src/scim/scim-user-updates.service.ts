import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { uniqueViolation } from '../common/db-errors';
import { retryOnConflict } from '../common/retry';
import { UsersService } from '../identity/users.service';
import { scimError, uniqueness } from './scim-exceptions';
import { ScimIdentitiesRepository } from './scim-identities.repository';
import { RETRY_LOST_RACES, RetryTransaction } from './scim-lost-race';
import { interpretPatch, PatchOutcome } from './scim-patch';
import { scopeName, ScimScope } from './scim-tokens.service';
import { ScimUserStateService } from './scim-user-state.service';

/** A PATCH that lost a race on every attempt. */
export const concurrentChanges = () => scimError(409, 'Conflicting concurrent changes, try again', 'uniqueness');

/**
 * PATCH /Users/:id (a new externalId, `active`) and DELETE /Users/:id: in a group, DELETE removes the memberships
 * and the identity; in the instance it blocks the user and keeps the identity (inactive).
 */
@Injectable()
export class ScimUserUpdatesService {
  private readonly logger = new Logger('Scim');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identities: ScimIdentitiesRepository,
    private readonly users: UsersService,
    private readonly state: ScimUserStateService,
  ) {}

  async patch(scope: ScimScope, id: string, body: Record<string, unknown>): Promise<void> {
    await this.identities.get(scope, id);
    const outcome = interpretPatch(body);
    try {
      return await retryOnConflict(() => this.patchIn(scope, id, outcome), RETRY_LOST_RACES);
    } catch (err) {
      if (err instanceof RetryTransaction) throw concurrentChanges();
      throw err;
    }
  }

  private async patchIn(scope: ScimScope, id: string, outcome: PatchOutcome): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const identity = await this.identities.lock(scope, id, m);
      const user = (await this.users.lockById(identity.user_id, m))!;
      let changed = false;
      if (outcome.externUid !== undefined && outcome.externUid !== identity.extern_uid) {
        const taken = () => uniqueness(`externalId "${outcome.externUid}" has already been taken`);
        if (await this.identities.externUidTaken(scope, outcome.externUid, m)) throw taken();
        try {
          await this.identities.setExternUid(identity.id, outcome.externUid, m);
        } catch (err) {
          if (uniqueViolation(err) !== null) throw taken();
          throw err;
        }
        changed = true;
      }
      if (outcome.active !== undefined) changed = (await this.state.setActive(m, scope, identity, user, outcome.active)) || changed;
      if (changed) await this.identities.touch(identity.id, m);
      this.logger.log(
        { scope: scopeName(scope), extern_uid: identity.extern_uid, user_id: user.id, outcome: changed ? 'updated' : 'unchanged' },
        'SCIM user patched',
      );
    });
  }

  async remove(scope: ScimScope, id: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const identity = await this.identities.lock(scope, id, m);
      const user = (await this.users.lockById(identity.user_id, m))!;
      if (scope.group) {
        await this.state.removeMemberships(m, scope, user);
        await this.identities.delete(identity.id, m);
      } else if (await this.state.setActive(m, scope, identity, user, false)) {
        await this.identities.touch(identity.id, m);
      }
      this.logger.log(
        { scope: scopeName(scope), extern_uid: identity.extern_uid, user_id: user.id, outcome: 'deprovisioned' },
        'SCIM user deleted',
      );
    });
  }
}
