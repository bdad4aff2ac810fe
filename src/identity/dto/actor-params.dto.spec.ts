import { readParams } from '../../common/params';
import { ActorParamsDto, StorableActorParamsDto } from './actor-params.dto';

describe('actor parameters', () => {
  it('read ids and names as ActorService resolves them, never answering a parameter error', () => {
    expect({ ...readParams(ActorParamsDto, { key_id: ' 12 ', user_id: 5, username: 7 }) }).toEqual({
      key_id: 12,
      user_id: 5,
      username: '7',
    });
    expect({ ...readParams(ActorParamsDto, { key_id: null, user_id: undefined }) }).toEqual({});
  });

  it('keep a value that names nobody present, so it still wins over the parameters after it', () => {
    for (const key_id of [[], {}, 'abc', 0, -1, 1.5, '99999999999999999999', true]) {
      expect(readParams(ActorParamsDto, { key_id, user_id: 5 }).key_id).toBe(0);
    }
    expect({ ...readParams(ActorParamsDto, { username: { a: 1 }, identifier: ['x'] }) }).toEqual({ username: '', identifier: '' });
  });

  it('read unstorable names as nobody only where the route says so', () => {
    expect(readParams(ActorParamsDto, { username: 'a\u0000' }).username).toBe('a\u0000');
    expect({
      ...readParams(StorableActorParamsDto, { username: 'a\u0000', krb5principal: '\ud800', identifier: 'username-a\u0000' }),
    }).toEqual({
      username: '',
      krb5principal: '',
      identifier: '',
    });
  });
});
