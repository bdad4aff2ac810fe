/**
 * Schemas of environment values (zod). Each receives the trimmed value, or the variable's default when it is unset
 * or blank, and fails with the text that follows the variable's name: `must be … (got "…")`.
 */
import { z } from 'zod';

export interface GitalyStorage {
  address: string;
  token: string;
  path?: string;
}

const got = (input: unknown) => `(got "${String(input)}")`;

/** Any text. */
export const text = z.string();

/** true/1/yes or false/0/no, in any letter case. */
export const bool = z.stringbool({
  truthy: ['true', '1', 'yes'],
  falsy: ['false', '0', 'no'],
  case: 'insensitive',
  error: (issue) => `must be true or false ${got(String(issue.input).toLowerCase())}`,
});

export const port = z
  .string()
  .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, {
    error: (issue) => `must be a TCP port from 1 to 65535 ${got(issue.input)}`,
  })
  .transform(Number);

/** A whole number of seconds from `min` to one day. */
export const seconds = (min: number) =>
  z
    .string()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= 86_400, {
      error: (issue) => `must be a whole number of seconds from ${min} to 86400 ${got(issue.input)}`,
    })
    .transform(Number);

/** A positive number of seconds, fractions allowed. */
export const positiveSeconds = z
  .string()
  .refine((v) => /^\d+(\.\d+)?$/.test(v) && Number(v) > 0, {
    error: (issue) => `must be a positive number of seconds ${got(issue.input)}`,
  })
  .transform(Number);

/** The password of a URL is never repeated in a message. */
const redactUrl = (value: string) => value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');

/** A URL with one of the protocols (`postgres:`), kept as written. */
export const url = (...protocols: string[]) =>
  z.string().refine((v) => URL.canParse(v) && protocols.includes(new URL(v).protocol), {
    error: (issue) => `must be a ${protocols.join(' or ')} URL ${got(redactUrl(String(issue.input)))}`,
  });

/** Comma-separated postgres:// URLs; unset = none. */
export const replicaUrls = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(/^postgres(ql)?:\/\//, { error: 'entries must be postgres:// URLs' })));

/** One of `values`, in any letter case (the value is lower-cased). */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(values, { error: (issue) => `must be ${values.slice(0, -1).join(', ')} or ${values.at(-1)} ${got(issue.input)}` }));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A pino level, exactly as pino spells it. */
export const logLevel = z.enum(LOG_LEVELS, { error: (issue) => `must be one of ${LOG_LEVELS.join(', ')} ${got(issue.input)}` });

/** A path prefix such as `/gitlab` (leading slash added, trailing slashes dropped); unset = ''. */
export const relativeUrlRoot = z
  .string()
  .optional()
  .transform((v) => (v ? '/' + v.replace(/^\/+|\/+$/g, '') : ''))
  .refine((v) => v === '' || /^(\/[A-Za-z0-9._~-]+)+$/.test(v), { error: 'must be a path such as /gitlab' });

const STORAGE = z.object(
  {
    address: z.string({ error: 'needs an address' }),
    token: z.string().optional().catch(undefined),
    path: z.string({ error: 'path must be absolute' }).startsWith('/', { error: 'path must be absolute' }).optional(),
  },
  { error: 'needs an address' },
);

const STORAGES = z
  .record(z.string(), STORAGE, { error: 'not an object' })
  .refine((storages) => Object.keys(storages).length > 0, { error: 'no storage' });

/** JSON: storage name -> {address, token, path?}; at least one storage. */
export const gitalyStorages = z.string().transform((raw, ctx): Record<string, GitalyStorage> => {
  let reason: string;
  try {
    const parsed = STORAGES.safeParse(JSON.parse(raw));
    if (parsed.success) {
      const entries = Object.entries(parsed.data).map(([name, s]) => [
        name,
        { address: s.address, token: s.token ?? '', ...(s.path ? { path: s.path } : {}) },
      ]);
      return Object.fromEntries(entries) as Record<string, GitalyStorage>;
    }
    const issue = parsed.error.issues[0];
    reason = issue.path.length ? `storage ${String(issue.path[0])}${issue.path.length > 1 ? ':' : ''} ${issue.message}` : issue.message;
  } catch (err) {
    reason = (err as Error).message;
  }
  ctx.addIssue({ code: 'custom', message: `must be a JSON object of {address, token, path?} (${reason})`, input: raw });
  return z.NEVER;
});
