import { DataSource } from 'typeorm';
import { Queryable } from '../../common/queryable';
import { DeployKeyLinksRepository } from './deploy-key-links.repository';
import { ProtectedRefsRepository } from './protected-refs.repository';

/** A Queryable answering fixed rows, as PostgreSQL (json objects) or the embedded driver (json text) returns them. */
const answering = (rows: unknown[]): Queryable & { calls: unknown[][] } => {
  const calls: unknown[][] = [];
  return { calls, query: async (sql: string, params?: unknown[]) => (calls.push([sql, params]), rows) };
};

describe('protected refs of a project', () => {
  const repo = new ProtectedRefsRepository({} as DataSource);

  it('branch rules: access levels as numbers, from JSON values or JSON text', async () => {
    const q = answering([
      { name: 'main', allow_force_push: false, push: [{ access_level: '30', deploy_key_id: null }], merge: ['40'] },
      { name: 'rel/*', allow_force_push: true, push: '[{"access_level":null,"deploy_key_id":"5"}]', merge: '[]' },
    ]);
    expect(await repo.branchRules(7, q)).toEqual([
      { name: 'main', allow_force_push: false, push: [{ access_level: 30, deploy_key_id: null }], merge: [40] },
      { name: 'rel/*', allow_force_push: true, push: [{ access_level: null, deploy_key_id: 5 }], merge: [] },
    ]);
    expect(q.calls[0][1]).toEqual([7]);
  });

  it('tag rules: the create levels', async () => {
    const q = answering([{ name: 'v*', create: '[{"access_level":60,"deploy_key_id":null}]' }]);
    expect(await repo.tagRules(3, q)).toEqual([{ name: 'v*', create: [{ access_level: 60, deploy_key_id: null }] }]);
    expect(q.calls[0][1]).toEqual([3]);
  });
});

describe('deploy key links', () => {
  const repo = new DeployKeyLinksRepository({} as DataSource);

  it('the link of the key to the project, or null', async () => {
    const q = answering([{ can_push: true }]);
    expect(await repo.linkOf(9, 7, q)).toEqual({ can_push: true });
    expect(q.calls[0][1]).toEqual([9, 7]);
    expect(await repo.linkOf(9, 7, answering([]))).toBeNull();
  });
});
