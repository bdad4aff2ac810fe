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

  it('counts per action, project and actor', () => {
    const key = operationLimitKey(params, anActor('key', aUser(), aKey({ id: 1 })));
    expect(key).toMatch(/^gitlab_shell_operation:[0-9a-f]{64}$/);
    expect(operationLimitKey(params, anActor('key', aUser(), aKey({ id: 1 })))).toBe(key);
    expect(operationLimitKey(params, anActor('key', aUser(), aKey({ id: 2 })))).not.toBe(key);
    expect(operationLimitKey(params, anActor('user', aUser({ id: 1 })))).not.toBe(key);
    expect(operationLimitKey({ ...params, action: 'git-receive-pack' }, anActor('key', aUser(), aKey({ id: 1 })))).not.toBe(key);
    expect(operationLimitKey({ ...params, project: 'grp/other.git' }, anActor('key', aUser(), aKey({ id: 1 })))).not.toBe(key);
  });

  describe('within the minute that starts with the first operation', () => {
    const rateLimited = { reason: 'P3', status: 429, body: { message: MESSAGES.rateLimited } };
    const settings = someSettings({ gitlab_shell_operation_limit: 2 });
    const actor = anActor('anonymous');
    let limit: OperationLimit;
    beforeEach(() => {
      // 50 s into a clock minute: an operation counted per clock minute would start a new count 10 s later
      jest.useFakeTimers({ now: 60_000 * 1000 + 50_000 });
      limit = new OperationLimit(new InProcessSharedState());
    });
    afterEach(() => jest.useRealTimers());

    it('answers 429 once the count passes the limit, across the clock minute', async () => {
      expect(await denialOf(() => limit.check(params, actor, settings))).toBeNull();
      jest.advanceTimersByTime(20_000);
      expect(await denialOf(() => limit.check(params, actor, settings))).toBeNull();
      expect(await denialOf(() => limit.check(params, actor, settings))).toEqual(rateLimited);
    });

    it('counts again a minute after the first operation, however often it was refused meanwhile', async () => {
      await limit.check(params, actor, settings);
      await limit.check(params, actor, settings);
      jest.advanceTimersByTime(59_000);
      expect(await denialOf(() => limit.check(params, actor, settings))).toEqual(rateLimited);
      jest.advanceTimersByTime(1_000);
      expect(await denialOf(() => limit.check(params, actor, settings))).toBeNull();
      expect(await denialOf(() => limit.check(params, actor, settings))).toBeNull();
      expect(await denialOf(() => limit.check(params, actor, settings))).toEqual(rateLimited);
    });
  });

  it('counts nothing without a positive limit', async () => {
    const state = { incrInWindow: jest.fn() } as unknown as SharedState;
    const limit = new OperationLimit(state);
    await limit.check(params, anActor('anonymous'), someSettings({ gitlab_shell_operation_limit: 0 }));
    expect(state.incrInWindow).not.toHaveBeenCalled();
  });

  it('lets the request through when the counter store fails, with a warning', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const state = { incrInWindow: jest.fn().mockRejectedValue(new Error('down')) } as unknown as SharedState;
    const limit = new OperationLimit(state);
    expect(await denialOf(() => limit.check(params, anActor('anonymous'), someSettings({ gitlab_shell_operation_limit: 1 })))).toBeNull();
    expect(state.incrInWindow).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith({ err: 'down' }, 'rate limiter unavailable, request let through');
    warn.mockRestore();
  });
});
