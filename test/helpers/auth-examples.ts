import { TestApp } from './test-app';
import { shellJwt } from './jwt';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Shared examples: a shell route rejects a missing, malformed or wrongly signed JWT with GitLab's 401. */
export function itRejectsWithoutShellJwt(getApp: () => TestApp, method: Method, path: string, body: object = {}): void {
  describe(`${method.toUpperCase()} ${path} without a valid shell JWT`, () => {
    const cases: [string, Record<string, string>][] = [
      ['no header', {}],
      ['empty header', { 'Gitlab-Shell-Api-Request': '' }],
      ['garbage', { 'Gitlab-Shell-Api-Request': 'not.a.jwt' }],
      ['wrong key', { 'Gitlab-Shell-Api-Request': shellJwt({}, 'wrong') }],
      ['wrong issuer', { 'Gitlab-Shell-Api-Request': shellJwt({ iss: 'gitlab-workhorse' }) }],
    ];
    it.each(cases)('%s → 401', async (_name, headers) => {
      const res = await getApp().http()[method](path).set(headers).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: '401 Unauthorized' });
      expect(res.headers['www-authenticate']).toBeUndefined();
    });
  });
}

/** Shared examples: an admin route answers 401 without a token and 403 to a non-admin. */
export function itRequiresAdmin(getApp: () => TestApp, method: Method, path: string, userToken: () => string, body: object = {}): void {
  describe(`${method.toUpperCase()} ${path} admin authentication`, () => {
    it('401 without a token', async () => {
      const res = await getApp().http()[method](path).send(body);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ message: '401 Unauthorized' });
    });
    it('403 with a non-admin token', async () => {
      const res = await getApp().http()[method](path).set('PRIVATE-TOKEN', userToken()).send(body);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ message: '403 Forbidden' });
    });
  });
}
