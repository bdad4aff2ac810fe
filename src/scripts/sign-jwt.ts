/**
 * Prints a JWT for curl: `npm run jwt -- shell` (Gitlab-Shell-Api-Request) or `npm run jwt -- kas`
 * (Gitlab-Kas-Api-Request), signed with the configured secret files, valid for 60 seconds.
 */
import jwt from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/config';

const kind = process.argv[2];
const config = loadConfig();
const now = Math.floor(Date.now() / 1000);
if (kind === 'shell') {
  const key = readFileSync(config.gitlabShellSecretFile, 'utf8').trim();
  process.stdout.write(jwt.sign({ iss: 'gitlab-shell', iat: now, exp: now + 60 }, key, { algorithm: 'HS256' }) + '\n');
} else if (kind === 'kas') {
  const key = Buffer.from(readFileSync(config.gitlabKasSecretFile, 'utf8').trim(), 'base64');
  process.stdout.write(jwt.sign({ iss: 'gitlab-kas', aud: ['gitlab'], iat: now, exp: now + 60 }, key, { algorithm: 'HS256' }) + '\n');
} else {
  process.stderr.write('usage: npm run jwt -- shell|kas\n');
  process.exit(2);
}
