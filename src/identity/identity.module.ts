import { Module } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Identity } from './entities/identity.entity';
import { Key } from './entities/key.entity';
import { PersonalAccessToken } from './entities/personal-access-token.entity';
import { PersonalAccessTokensService } from './personal-access-tokens.service';
import { User } from './entities/user.entity';
import { UsersService } from './users.service';
import { KeysService } from './keys.service';
import { ActorService } from './actor.service';

/** The tables this module owns (see database/entity-registry.ts). */
export const IDENTITY_ENTITIES = registerEntities([User, Identity, Key, PersonalAccessToken]);

/** Users, identities, SSH keys and personal access tokens (shared core). */
@Module({
  imports: [TypeOrmModule.forFeature(IDENTITY_ENTITIES)],
  providers: [UsersService, KeysService, PersonalAccessTokensService, ActorService],
  exports: [UsersService, KeysService, PersonalAccessTokensService, ActorService],
})
export class IdentityModule {}
