import { ApiError } from '../api-error';
import { pageRequest } from '../pagination';
import { PageParams, readParams, Str, Optional } from '.';

class ListQuery extends PageParams {
  @Optional(Str) search?: string;
}

describe('PageParams', () => {
  it('reads page and per_page as integers, before the list route own parameters', () => {
    expect(pageRequest(readParams(ListQuery, { page: '2', per_page: 500 }))).toEqual({ page: 2, perPage: 100, offset: 100 });
    try {
      readParams(ListQuery, { page: 'x', per_page: '', search: {} });
      throw new Error('accepted');
    } catch (err) {
      expect((err as ApiError).body).toEqual({ error: 'page is invalid, per_page is invalid, search is invalid' });
    }
  });
});
