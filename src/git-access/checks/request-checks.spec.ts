import { Logger } from '@nestjs/common';
import { aKey, anActor, aUser, denialOf, someSettings } from '../../../test/helpers/access-context';
import { ApiError } from '../../common/api-error';
import { InProcessSharedState, SharedState } from '../../shared-state/shared-state.service';
import { MESSAGES } from '../messages';
import { operationLimitKey, OperationLimit, repositoryOrDeny, validateGitalyClientContext } from './request-checks';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('P2 gitaly_client_context_bin', () => {
  it('accepts an absent or empty value and base64 of a JSON object', async () => {
    for (const value of [undefined, '', b64('{}'), b64('{"a":1}')]) {
      expect(await denialOf(() => validateGitalyClientContext({ gitaly_client_context_bin: value }))).toBeNull();
    }
  });

  it('answers 400 for undecodable JSON', async () => {
    expect(await denialOf(() => validateGitalyClientContext({ gitaly_client_context_bin: b64('{no') }))).toEqual({
      reason: 'P2',
      status: 400,
      body: { message: MESSAGES.malformedGitalyContext },
    });
  });

  it('answers 400 for JSON that is not an object', async () => {
    for (const text of ['[1]', 'null', '3', '"x"']) {
      expect(await denialOf(() => validateGitalyClientContext({ gitaly_client_context_bin: b64(text) }))).toEqual({
        reason: 'P2',
        status: 400,
        body: { message: MESSAGES.gitalyContextNotObject },
      });
    }
  });
});

describe('P4 repository', () => {
  it('passes the repository through, or turns the lookup error into the P4 denial with its body', async () => {
    const repo = { project: null, redirectedPath: null, requestPath: '', rule: 'none' as const, excluded: false, settings: someSettings() };
    expect(repositoryOrDeny({ repo })).toBe(repo);
    const body = { message: MESSAGES.invalidGlRepository('x') };
    expect(await denialOf(() => repositoryOrDeny({ error: new ApiError(400, body) }))).toEqual({ reason: 'P4', status: 400, body });
  });
});

describe('P3 operation limit', () => {
  const params = { action: 'git-upload-pack', project: 'grp/proj.git' };

  it('counts per action, project, actor and minute', () => {
    const key = operationLimitKey(params, anActor('key', aUser(), aKey({ id: 1 })), 100);
    expect(key).toMatch(/^gitlab_shell_operation:[0-9a-f]{64}:100$/);
    expect(operationLimitKey(params, anActor('key', aUser(), aKey({ id: 1 })), 100)).toBe(key);
    expect(operationLimitKey(params, anActor('key', aUser(), aKey({ id: 2 })), 100)).not.toBe(key);
    expect(operationLimitKey(params, anActor('user', aUser({ id: 1 })), 100)).not.toBe(key);
    expect(operationLimitKey({ ...params, action: 'git-receive-pack' }, anActor('key', aUser(), aKey({ id: 1 })), 100)).not.toBe(key);
    expect(operationLimitKey(params, anActor('key', aUser(), aKey({ id: 1 })), 101)).not.toBe(key);
  });

  it('answers 429 once the count passes the limit within a minute', async () => {
    const limit = new OperationLimit(new InProcessSharedState());
    const settings = someSettings({ gitlab_shell_operation_limit: 2 });
    const actor = anActor('anonymous');
    const now = 60_000 * 1000;
    expect(await denialOf(() => limit.check(params, actor, settings, now))).toBeNull();
    expect(await denialOf(() => limit.check(params, actor, settings, now))).toBeNull();
    expect(await denialOf(() => limit.check(params, actor, settings, now))).toEqual({ reason: 'P3', status: 429, body: { message: MESSAGES.rateLimited } });
    expect(await denialOf(() => limit.check(params, actor, settings, now + 60_000))).toBeNull();
  });

  it('counts nothing without a positive limit', async () => {
    const state = { incr: jest.fn() } as unknown as SharedState;
    const limit = new OperationLimit(state);
    await limit.check(params, anActor('anonymous'), someSettings({ gitlab_shell_operation_limit: 0 }));
    expect(state.incr).not.toHaveBeenCalled();
  });

  it('lets the request through when the counter store fails, with a warning', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const state = { incr: jest.fn().mockRejectedValue(new Error('down')) } as unknown as SharedState;
    const limit = new OperationLimit(state);
    expect(await denialOf(() => limit.check(params, anActor('anonymous'), someSettings({ gitlab_shell_operation_limit: 1 })))).toBeNull();
    expect(state.incr).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ err: 'down' }, 'rate limiter unavailable, request let through');
    warn.mockRestore();
  });
});
