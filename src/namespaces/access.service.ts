import { Injectable } from '@nestjs/common';
import { Queryable } from '../common/queryable';
import { MembershipRepository } from './membership.repository';

/** Max access levels L(user, project) and L(user, group), one query each (answered by {@link MembershipRepository}). */
@Injectable()
export class AccessService {
  constructor(private readonly memberships: MembershipRepository) {}

  /** L(user, project): 50 in the user's personal namespace, else the highest counting membership of the project and its groups. */
  projectAccessLevel(userId: number, projectId: number, q?: Queryable): Promise<number> {
    return this.memberships.maxAccessLevel(userId, projectId, q);
  }

  /** L(user, group): the highest counting membership of the group and its ancestors. */
  groupAccessLevel(userId: number, groupId: number, q?: Queryable): Promise<number> {
    return this.memberships.maxGroupAccessLevel(userId, groupId, q);
  }
}
