/**
 * Loose parameter types for the routes gitlab-shell, Gitaly and kas call, where GitLab never answers a parameter
 * error: every value is accepted and read as the route has always read it (`stringParam` / `arrayParam`), a value
 * of the wrong kind reading as not given. Their schemas still say what a client should send.
 */
import { arrayParam, stringParam } from '../coerce';
import { ParamType } from './types';

/** Text: a string as sent, a number or boolean as its text; a hash or an array reads as `undefined`. */
export const LooseText: ParamType<string | undefined> = {
  name: 'String',
  schema: { type: 'string' },
  coerce: (raw) => stringParam(raw),
};

/** A list of text: an array's non-null elements as text, a single text value as a one-element list; a hash reads as `undefined`. */
export const LooseTextList: ParamType<string[] | undefined> = {
  name: 'Array[String]',
  schema: { type: 'array', items: { type: 'string' } },
  coerce: (raw) => arrayParam(raw),
};
