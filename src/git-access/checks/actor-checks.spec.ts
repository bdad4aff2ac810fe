import { aContext, aKey, aProject, aUser, denialOf, someSettings } from '../../../test/helpers/access-context';
import { MESSAGES } from '../messages';
import { checkCommand, checkKeyValidity, checkProtocol, checkUserState } from './actor-checks';

const denied = (reason: string, message: string) => ({ reason, status: 401, body: { status: false, message } });

describe('G1 protocol', () => {
  const ctx = (protocol: string, instance: string | null, root: string | null, project = true) =>
    aContext({
      protocol,
      settings: someSettings({ enabled_git_access_protocol: instance }),
      project: project ? aProject({ root_enabled_git_access_protocol: root }) : null,
    });

  it('allows any protocol when neither the instance nor the root namespace restricts it', async () => {
    expect(await denialOf(() => checkProtocol(ctx('ssh', null, null)))).toBeNull();
    expect(await denialOf(() => checkProtocol(ctx('http', null, 'all')))).toBeNull();
  });

  it('refuses a protocol the instance does not enable, naming it in capitals', async () => {
    expect(await denialOf(() => checkProtocol(ctx('ssh', 'http', null)))).toEqual(denied('G1', MESSAGES.protocolNotAllowed('ssh')));
    expect(MESSAGES.protocolNotAllowed('ssh')).toBe('Git access over SSH is not allowed');
  });

  it("refuses a protocol the project's root namespace does not enable", async () => {
    expect(await denialOf(() => checkProtocol(ctx('http', null, 'ssh')))).toEqual(denied('G1', MESSAGES.protocolNotAllowed('http')));
    expect(await denialOf(() => checkProtocol(ctx('http', null, 'ssh', false)))).toBeNull();
  });

  it('always allows the web', async () => {
    expect(await denialOf(() => checkProtocol(ctx('web', 'ssh', 'ssh')))).toBeNull();
  });
});

describe('G2 key validity', () => {
  const now = Date.parse('2026-06-01T00:00:00Z');
  it('refuses a key whose expiry is now or past', async () => {
    for (const expires_at of ['2026-06-01T00:00:00Z', '2020-01-01T00:00:00Z']) {
      expect(await denialOf(() => checkKeyValidity({ key: aKey({ expires_at: new Date(expires_at) }) }, now))).toEqual(denied('G2', MESSAGES.keyExpired));
    }
  });

  it('accepts a key expiring later, one without expiry, and no key', async () => {
    expect(await denialOf(() => checkKeyValidity({ key: aKey({ expires_at: new Date(now + 1000) }) }, now))).toBeNull();
    expect(await denialOf(() => checkKeyValidity({ key: aKey() }, now))).toBeNull();
    expect(await denialOf(() => checkKeyValidity({ key: null }, now))).toBeNull();
  });
});

describe('G3 user state', () => {
  const url = 'https://gitlab.example.com';
  it('accepts an active user and no user', async () => {
    expect(await denialOf(() => checkUserState({ user: aUser() }, url))).toBeNull();
    expect(await denialOf(() => checkUserState({ user: null }, url))).toBeNull();
  });

  it('names why an inactive user is refused', async () => {
    expect(await denialOf(() => checkUserState({ user: aUser({ state: 'blocked_pending_approval' }) }, url))).toEqual(
      denied('G3', MESSAGES.accountPendingApproval),
    );
    expect(await denialOf(() => checkUserState({ user: aUser({ state: 'deactivated' }) }, url))).toEqual(
      denied('G3', MESSAGES.accountDeactivated(url)),
    );
    for (const state of ['blocked', 'ldap_blocked'] as const) {
      expect(await denialOf(() => checkUserState({ user: aUser({ state }) }, url))).toEqual(denied('G3', MESSAGES.accountBlocked));
    }
  });
});

describe('G4 command', () => {
  it('accepts the three git commands only', async () => {
    for (const cmd of ['git-upload-pack', 'git-receive-pack', 'git-upload-archive']) expect(await denialOf(() => checkCommand({ cmd }))).toBeNull();
    for (const cmd of ['', 'git-lfs-authenticate', 'rm']) {
      expect(await denialOf(() => checkCommand({ cmd }))).toEqual(denied('G4', MESSAGES.commandNotAllowed));
    }
  });
});
