import { ApiError } from './api-error';
import { pageRequest, paginationHeaders } from './pagination';

describe('pagination', () => {
  it('defaults and clamps page and per_page', () => {
    expect(pageRequest({})).toEqual({ page: 1, perPage: 20, offset: 0 });
    expect(pageRequest({ page: '0', per_page: '500' })).toEqual({ page: 1, perPage: 100, offset: 0 });
    expect(pageRequest({ page: '3', per_page: '-1' })).toEqual({ page: 3, perPage: 20, offset: 40 });
  });

  it('rejects non-integers with Grape-style errors', () => {
    expect(() => pageRequest({ page: 'x' })).toThrow(ApiError);
    try {
      pageRequest({ page: 'x', per_page: '1.5' });
    } catch (e) {
      expect((e as ApiError).status).toBe(400);
      expect((e as ApiError).body).toEqual({ error: 'page is invalid, per_page is invalid' });
    }
  });

  it('writes X-* headers and a Link header with sorted query keys', () => {
    const h = paginationHeaders({ page: 2, perPage: 2, offset: 2 }, 5, 'http://gitlab.test', '/api/v4/users', { search: 'a', page: '2', per_page: '2' });
    expect(h['X-Page']).toBe('2');
    expect(h['X-Per-Page']).toBe('2');
    expect(h['X-Total']).toBe('5');
    expect(h['X-Total-Pages']).toBe('3');
    expect(h['X-Next-Page']).toBe('3');
    expect(h['X-Prev-Page']).toBe('1');
    expect(h.Link).toBe(
      [
        '<http://gitlab.test/api/v4/users?page=1&per_page=2&search=a>; rel="prev"',
        '<http://gitlab.test/api/v4/users?page=3&per_page=2&search=a>; rel="next"',
        '<http://gitlab.test/api/v4/users?page=1&per_page=2&search=a>; rel="first"',
        '<http://gitlab.test/api/v4/users?page=3&per_page=2&search=a>; rel="last"',
      ].join(', '),
    );
  });

  it('an empty list has one page and no prev/next', () => {
    const h = paginationHeaders({ page: 1, perPage: 20, offset: 0 }, 0, 'http://x', '/l', {});
    expect(h['X-Total-Pages']).toBe('1');
    expect(h['X-Next-Page']).toBe('');
    expect(h['X-Prev-Page']).toBe('');
    expect(h.Link).toBe('<http://x/l?page=1&per_page=20>; rel="first", <http://x/l?page=1&per_page=20>; rel="last"');
  });
});
