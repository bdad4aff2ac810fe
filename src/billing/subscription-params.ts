import { ParamReader } from './params/reader';

/** Attributes of a subscription write: `undefined` = absent, `null` = explicit null. */
export interface SubscriptionAttrs {
  start_date?: string | null;
  end_date?: string | null;
  plan_code?: string | null;
  seats?: number | null;
  max_seats_used?: number | null;
  auto_renew?: boolean | null;
  trial?: boolean | null;
  trial_starts_on?: string | null;
  trial_ends_on?: string | null;
  trial_extension_type?: number | null;
}

/** Reads the subscription parameters in the documented order; errors are collected by the reader. */
export function readSubscriptionAttrs(r: ParamReader, opts: { requireStartDate: boolean }): SubscriptionAttrs {
  const attrs: SubscriptionAttrs = {
    start_date: r.date('start_date', { required: opts.requireStartDate }),
    end_date: r.date('end_date'),
    plan_code: r.string('plan_code'),
    seats: r.int('seats'),
    max_seats_used: r.int('max_seats_used'),
    auto_renew: r.bool('auto_renew'),
    trial: r.bool('trial'),
    trial_starts_on: r.date('trial_starts_on'),
    trial_ends_on: r.date('trial_ends_on'),
  };
  if (r.has('trial_extension_type')) {
    const raw = r.params.trial_extension_type;
    const value = raw === null || raw === '' ? null : r.int('trial_extension_type', { min: -32768, max: 32767 });
    if (value !== undefined && value !== null && value !== 1 && value !== 2) {
      r.fail(`${r.label('trial_extension_type')} does not have a valid value`);
    } else if (value !== undefined) {
      attrs.trial_extension_type = value;
    }
  }
  // drop absent keys so that "absent" and "null" stay distinguishable with `in`
  for (const key of Object.keys(attrs) as (keyof SubscriptionAttrs)[]) if (attrs[key] === undefined) delete attrs[key];
  return attrs;
}
