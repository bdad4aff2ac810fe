import { Module } from '@nestjs/common';
import { GitAccessModule } from '../git-access/git-access.module';
import { IdentityModule } from '../identity/identity.module';
import { LfsTokenService } from './lfs-token.service';
import { LfsController } from './lfs.controller';
import { LfsService } from './lfs.service';

/** Lfs: LFS tokens for gitlab-shell, the (empty) LFS object route for Gitaly. */
@Module({
  imports: [GitAccessModule, IdentityModule],
  controllers: [LfsController],
  providers: [LfsService, LfsTokenService],
  exports: [LfsTokenService],
})
export class LfsModule {}
