import { Injectable } from '@nestjs/common';
import { createSecretKey, KeyObject, randomBytes } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AuthSecrets } from './auth-secrets.service';
import { Principal } from './principal';

/** Clock skew tolerated on `exp` and `nbf`. */
const LEEWAY_SECONDS = 60;

/**
 * HMAC keys are handed to jsonwebtoken as KeyObjects: given a string or Buffer it first tries (and fails) to read
 * it as a public key on every call, which costs about a millisecond per request.
 */
// passport-jwt's typings name only string | Buffer, but it hands the key to jsonwebtoken unchanged
const hmacKey = (secret: string | Buffer): Buffer => createSecretKey(typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret) as KeyObject as unknown as Buffer;

function shellOptions(secret: string) {
  const key = hmacKey(secret);
  return {
    // passport-jwt wants the lower-case header name
    jwtFromRequest: ExtractJwt.fromHeader('gitlab-shell-api-request'),
    secretOrKey: key,
    algorithms: ['HS256' as const],
    issuer: 'gitlab-shell',
    jsonWebTokenOptions: { clockTolerance: LEEWAY_SECONDS },
  };
}

function kasOptions(secret: Buffer) {
  const key = hmacKey(secret);
  return {
    jwtFromRequest: ExtractJwt.fromHeader('gitlab-kas-api-request'),
    secretOrKey: key,
    algorithms: ['HS256' as const],
    issuer: 'gitlab-kas',
    audience: 'gitlab',
    jsonWebTokenOptions: { clockTolerance: LEEWAY_SECONDS },
  };
}

@Injectable()
export class ShellJwtStrategy extends PassportStrategy(Strategy, 'shell-jwt') {
  constructor(secrets: AuthSecrets) {
    super(shellOptions(secrets.shell));
  }
  validate(): Principal {
    return { scheme: 'shell' };
  }
}

/** Accepts tokens signed with the previous shell secret during a rotation (never matches otherwise). */
@Injectable()
export class ShellJwtPreviousStrategy extends PassportStrategy(Strategy, 'shell-jwt-previous') {
  constructor(secrets: AuthSecrets) {
    super({ ...shellOptions(secrets.shellPrevious ?? randomBytes(32).toString('hex')), jwtFromRequest: secrets.shellPrevious ? ExtractJwt.fromHeader('gitlab-shell-api-request') : () => null });
  }
  validate(): Principal {
    return { scheme: 'shell' };
  }
}

@Injectable()
export class KasJwtStrategy extends PassportStrategy(Strategy, 'kas-jwt') {
  constructor(secrets: AuthSecrets) {
    super(kasOptions(secrets.kas));
  }
  validate(): Principal {
    return { scheme: 'kas' };
  }
}

@Injectable()
export class KasJwtPreviousStrategy extends PassportStrategy(Strategy, 'kas-jwt-previous') {
  constructor(secrets: AuthSecrets) {
    super({ ...kasOptions(secrets.kasPrevious ?? randomBytes(32)), jwtFromRequest: secrets.kasPrevious ? ExtractJwt.fromHeader('gitlab-kas-api-request') : () => null });
  }
  validate(): Principal {
    return { scheme: 'kas' };
  }
}
