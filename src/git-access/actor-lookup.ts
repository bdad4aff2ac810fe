import { EntityManager } from 'typeorm';
import { idParam } from '../common/coerce';
import { RawParams } from '../common/params.decorator';
import { Actor, ActorService, ANONYMOUS } from '../identity/actor.service';
import { Key } from '../identity/key.entity';

const ACTOR_PARAMS = ['key_id', 'user_id', 'username', 'krb5principal', 'identifier'];

/**
 * The actor of §1.9, as `ActorService.resolve` finds it, but with the `key_id` case (gitlab-shell's hot path)
 * in one SQL round trip: `findOne` with a relation issues a DISTINCT pre-query plus the main query.
 */
export async function resolveActor(actors: ActorService, params: RawParams, manager: EntityManager): Promise<Actor> {
  const name = ACTOR_PARAMS.find((p) => params[p] !== undefined && params[p] !== null);
  if (name !== 'key_id') return actors.resolve(params, manager);
  const id = idParam(params.key_id);
  if (!id) return { ...ANONYMOUS, source: name };
  const key = await manager
    .getRepository(Key)
    .createQueryBuilder('k')
    .leftJoinAndSelect('k.user', 'u')
    .where('k.id = :id', { id })
    .andWhere(`k.usage_type IN ('auth', 'auth_and_signing')`)
    .getOne();
  if (!key) return { ...ANONYMOUS, source: name };
  return { kind: key.type === 'DeployKey' ? 'deploy_key' : 'key', key, user: key.user ?? null, source: name };
}
