/**
 * Prints a JWT for curl: `npm run jwt -- shell` (Gitlab-Shell-Api-Request) or `npm run jwt -- kas`
 * (Gitlab-Kas-Api-Request), signed with the configured secret files, valid for 60 seconds.
 */
import jwt from 'jsonwebtoken';
import { readKasSecret, readShellSecret, SecretFileError } from '../auth/secret-files';
import { ConfigError, loadConfig } from '../config/config';

function main(): void {
  const kind = process.argv[2];
  if (kind !== 'shell' && kind !== 'kas') {
    process.stderr.write('usage: npm run jwt -- shell|kas\n');
    process.exit(2);
  }
  const config = loadConfig();
  const now = Math.floor(Date.now() / 1000);
  if (kind === 'shell') {
    const key = readShellSecret({ variable: 'GITLAB_SHELL_SECRET_FILE', path: config.gitlabShellSecretFile }, { create: false });
    process.stdout.write(jwt.sign({ iss: 'gitlab-shell', iat: now, exp: now + 60 }, key, { algorithm: 'HS256' }) + '\n');
  } else {
    const key = readKasSecret({ variable: 'GITLAB_KAS_SECRET_FILE', path: config.gitlabKasSecretFile }, { create: false });
    process.stdout.write(jwt.sign({ iss: 'gitlab-kas', aud: ['gitlab'], iat: now, exp: now + 60 }, key, { algorithm: 'HS256' }) + '\n');
  }
}

try {
  main();
} catch (err) {
  if (err instanceof SecretFileError || err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
