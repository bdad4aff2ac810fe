import { stripUserUrn } from './scim.constants';
import { scimError } from './scim-exceptions';

/**
 * The filter subset: equality terms on `id`, `externalId`, `userName`, `emails.value` and
 * `active`, joined with `and`. Values are JSON strings or bare words taken literally.
 *
 * Not built on `scim2-parse-filter`: that package reads bare words as JSON (so `id eq a-b-c-d` fails), turns
 * numeric bare words into numbers and doubles backslashes inside quoted strings (so `\u00e9` does not decode);
 * the contract's grammar is small enough to parse exactly (docs/decisions.md, Scim).
 */
export type FilterAttribute = 'id' | 'externalId' | 'userName' | 'emails.value' | 'active';
export type FilterTerm = { attribute: Exclude<FilterAttribute, 'active'>; value: string } | { attribute: 'active'; value: boolean };

const ATTRIBUTES: Record<string, FilterAttribute> = {
  id: 'id',
  externalid: 'externalId',
  username: 'userName',
  'emails.value': 'emails.value',
  active: 'active',
};

export const unsupportedFilter = () => scimError(400, 'Unsupported Filter', 'invalidFilter');

type Token = { kind: 'word' | 'string'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    if (/\s/.test(input[i])) {
      i++;
      continue;
    }
    if (input[i] === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw unsupportedFilter();
      let text: unknown;
      try {
        text = JSON.parse(input.slice(i, j + 1));
      } catch {
        throw unsupportedFilter();
      }
      if (typeof text !== 'string') throw unsupportedFilter();
      tokens.push({ kind: 'string', text });
      i = j + 1;
      if (i < input.length && !/\s/.test(input[i])) throw unsupportedFilter();
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j])) j++;
    tokens.push({ kind: 'word', text: input.slice(i, j) });
    i = j;
  }
  return tokens;
}

/** Parses a filter; `null` for an absent or blank one. Anything outside the grammar → 400 `invalidFilter`. */
export function parseScimFilter(input: string | undefined): FilterTerm[] | null {
  if (input === undefined || input.trim() === '') return null;
  const tokens = tokenize(input);
  const terms: FilterTerm[] = [];
  let i = 0;
  for (;;) {
    const [attr, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (!attr || !op || !value || attr.kind !== 'word' || op.kind !== 'word') throw unsupportedFilter();
    const attribute = ATTRIBUTES[stripUserUrn(attr.text).toLowerCase()];
    if (!attribute || op.text.toLowerCase() !== 'eq') throw unsupportedFilter();
    if (value.kind === 'word' && (/["()[\]]/.test(value.text) || value.text.toLowerCase() === 'null')) throw unsupportedFilter();
    if (attribute === 'active') {
      const text = value.text.toLowerCase();
      if (text !== 'true' && text !== 'false') throw unsupportedFilter();
      terms.push({ attribute, value: text === 'true' });
    } else {
      terms.push({ attribute, value: value.text });
    }
    i += 3;
    if (i === tokens.length) return terms;
    const joiner = tokens[i];
    if (joiner.kind !== 'word' || joiner.text.toLowerCase() !== 'and') throw unsupportedFilter();
    i++;
  }
}
