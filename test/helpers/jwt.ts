import jwt from 'jsonwebtoken';

export const SHELL_SECRET = 's3cr3t';
/** base64 of 32 bytes, as the kas secret file holds. */
export const KAS_SECRET_B64 = Buffer.alloc(32, 7).toString('base64');

/** What gitlab-shell sends: HS256, `{"iss":"gitlab-shell","iat":now,"exp":now+60}`. */
export function shellJwt(claims: Record<string, unknown> = {}, key: string | Buffer = SHELL_SECRET, algorithm: jwt.Algorithm = 'HS256'): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: 'gitlab-shell', iat: now, exp: now + 60, ...claims }, key, { algorithm });
}

/** What kas sends: HS256, iss gitlab-kas, aud ["gitlab"]. */
export function kasJwt(claims: Record<string, unknown> = {}, key: Buffer = Buffer.from(KAS_SECRET_B64, 'base64')): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ iss: 'gitlab-kas', aud: ['gitlab'], iat: now, exp: now + 60, ...claims }, key, { algorithm: 'HS256' });
}

export const shellHeaders = (claims?: Record<string, unknown>) => ({ 'Gitlab-Shell-Api-Request': shellJwt(claims) });
export const kasHeaders = () => ({ 'Gitlab-Kas-Api-Request': kasJwt() });
