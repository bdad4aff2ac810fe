// AuthorizedKeysCommand and AuthorizedPrincipalsCommand: print authorized_keys lines for sshd, or nothing
// (sshd then refuses the key). Arguments are validated with gitlab-shell's messages.
import { InternalApi } from './api.mjs';
import { keyLine } from './keyline.mjs';

export async function authorizedKeysCheck(config, args, out, err) {
  if (args.length !== 3) {
    err.write(`# Insufficient arguments. ${args.length}. Usage\n#\tgitlab-shell-authorized-keys-check <expected-username> <actual-username> <key>\n`);
    return 1;
  }
  const [expected, actual, key] = args;
  if (!expected || !actual) {
    err.write('# No username provided\n');
    return 1;
  }
  if (!key) {
    err.write('# No key provided\n');
    return 1;
  }
  // another login user than the one GitLab serves: print nothing, sshd refuses the key
  if (expected !== actual) return 0;
  let found;
  try {
    found = (await new InternalApi(config).get('/authorized_keys', { key })).body;
  } catch {
    found = null;
  }
  if (!found || typeof found.id !== 'number' || typeof found.key !== 'string') {
    out.write(`# No key was found for ${key}\n`);
    return 0;
  }
  try {
    out.write(`${keyLine(config.gitlabShellCommand, [`key-${found.id}`], found.key)}\n`);
  } catch (e) {
    err.write(`${e.message}\n`);
    return 1;
  }
  return 0;
}

export async function authorizedPrincipalsCheck(config, args, out, err) {
  let caFingerprint;
  if (args[0] === '--ca-fingerprint') {
    caFingerprint = args[1] ?? '';
    args = args.slice(2);
  }
  if (args.length < 2) {
    err.write(`# Insufficient arguments. ${args.length}. Usage\n#\tgitlab-shell-authorized-principals-check <key-id> <principal1> [<principal2>...]\n`);
    return 1;
  }
  const [keyId, ...principals] = args;
  if (!keyId) {
    err.write('# No key_id provided\n');
    return 1;
  }
  if (principals.some((p) => !p)) {
    err.write('# An invalid principal was provided\n');
    return 1;
  }
  let who = [`username-${keyId}`];
  if (caFingerprint !== undefined) {
    let answer;
    try {
      answer = (await new InternalApi(config).get('/authorized_certs', { key: caFingerprint.replace(/^SHA256:/, ''), user_identifier: keyId })).body;
    } catch (e) {
      out.write(`# ${e.message}\n`);
      return 0;
    }
    if (!answer?.success || typeof answer.username !== 'string') return 0;
    who = [`username-${answer.username}`, `namespace-${answer.namespace}`];
  }
  try {
    for (const principal of principals) out.write(`${keyLine(config.gitlabShellCommand, who, principal)}\n`);
  } catch (e) {
    err.write(`${e.message}\n`);
    return 1;
  }
  return 0;
}
