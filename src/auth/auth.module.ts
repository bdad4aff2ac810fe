import { Global, Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuthSecrets } from './auth-secrets.service';
import { ErrorTrackingStrategy } from './error-tracking.strategy';
import { KasJwtPreviousStrategy, KasJwtStrategy, ShellJwtPreviousStrategy, ShellJwtStrategy } from './jwt.strategies';
import { ShellLegacySecretStrategy } from './legacy-secret.strategy';
import { AdminTokenStrategy, UserTokenStrategy } from './personal-access-token.strategy';

/** Registers every passport strategy once; the decorators of auth.decorators.ts apply them per controller. */
@Global()
@Module({
  imports: [PassportModule.register({ session: false })],
  providers: [
    AuthSecrets,
    ShellJwtStrategy,
    ShellJwtPreviousStrategy,
    ShellLegacySecretStrategy,
    KasJwtStrategy,
    KasJwtPreviousStrategy,
    AdminTokenStrategy,
    UserTokenStrategy,
    ErrorTrackingStrategy,
  ],
  exports: [AuthSecrets, PassportModule],
})
export class AuthModule {}
