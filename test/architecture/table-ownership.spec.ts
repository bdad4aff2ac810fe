/**
 * Every table belongs to the module whose entity declares it (`@Entity('<table>')` in `src/<module>/…`). Raw SQL
 * in another module must not name that table: it asks the owner's exported service or repository instead
 * (`NamespaceTreeRepository`, `MembershipRepository`, `UsersService`, `BillingNamespaces.rootPlanTier` …).
 * The shared core (`identity/`, `namespaces/`) is one layer: its two modules may name each other's tables.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const SRC = join(__dirname, '../../src');
const CORE = ['identity', 'namespaces'];

/**
 * Known exceptions, each with its reason. The test also fails when an entry is no longer needed, so the list
 * only shrinks.
 */
const EXCEPTIONS: Record<string, { tables: string[]; reason: string }> = {
  'contract/requests.ts': { tables: ['users'], reason: 'a fuzz input (an SQL injection attempt sent to the API), not a query' },
};

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'migrations') sources(path, out);
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      out.push(path);
    }
  }
  return out;
}

const moduleOf = (file: string) => relative(SRC, file).split(sep)[0];
const sameLayer = (a: string, b: string) => a === b || (CORE.includes(a) && CORE.includes(b));

/** Table names that follow an SQL keyword in the text (`FROM x`, `JOIN x`, `UPDATE x`, `INTO x`, `TABLE x`). */
export function tablesNamed(text: string, known: Set<string>): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO|TABLE)\s+"?([a-z_][a-z0-9_]*)"?/g)) if (known.has(m[1])) found.add(m[1]);
  for (const m of text.matchAll(/to_regclass\('([a-z_]+)'\)/g)) if (known.has(m[1])) found.add(m[1]);
  return found;
}

describe('table ownership: raw SQL names only the tables of its own module (or of the shared core, from the core)', () => {
  const files = sources(SRC);
  const owner = new Map<string, string>();
  for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/@Entity\('([a-z_0-9]+)'\)/g)) owner.set(m[1], moduleOf(file));
  }
  const known = new Set(owner.keys());

  const violations = new Map<string, string[]>();
  for (const file of files) {
    const mod = moduleOf(file);
    const foreign = [...tablesNamed(readFileSync(file, 'utf8'), known)].filter((t) => !sameLayer(owner.get(t)!, mod)).sort();
    if (foreign.length) violations.set(relative(SRC, file).split(sep).join('/'), foreign);
  }

  it('finds the owners (sanity: the core and feature tables are known)', () => {
    expect(owner.get('members')).toBe('namespaces');
    expect(owner.get('users')).toBe('identity');
    expect(owner.get('user_two_factor')).toBe('keys');
    expect(owner.get('gitlab_subscriptions')).toBe('billing');
  });

  it('the scanner sees a foreign table in SQL text', () => {
    expect([...tablesNamed("SELECT 1 FROM members m JOIN users u ON u.id = m.user_id WHERE to_regclass('plans')", known)].sort()).toEqual([
      'members',
      'plans',
      'users',
    ]);
  });

  it("no module names another module's table outside the listed exceptions", () => {
    const unexpected = [...violations].filter(([file, tables]) => {
      const allowed = EXCEPTIONS[file]?.tables ?? [];
      return tables.some((t) => !allowed.includes(t));
    });
    expect(Object.fromEntries(unexpected)).toEqual({});
  });

  it('every listed exception is still needed (the list only shrinks)', () => {
    const stale = Object.entries(EXCEPTIONS).filter(
      ([file, { tables }]) => JSON.stringify(violations.get(file) ?? []) !== JSON.stringify(tables),
    );
    expect(stale.map(([file]) => file)).toEqual([]);
  });

  it('the recursive namespace walk is written only in src/namespaces', () => {
    const walks = files
      .filter((f) => moduleOf(f) !== 'namespaces' && /WITH RECURSIVE[\s\S]{0,400}\bnamespaces\b/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f).split(sep).join('/'));
    expect(walks).toEqual([]);
  });
});
