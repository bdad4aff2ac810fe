/** The seeded plans; the migration inserts the same rows with the same ids. */
export interface PlanInfo {
  id: number;
  name: string;
  title: string;
  tier: 'free' | 'premium' | 'ultimate';
  paidHosted: boolean;
  top: boolean;
}

export const PLANS: PlanInfo[] = [
  { id: 1, name: 'default', title: 'Default', tier: 'free', paidHosted: false, top: false },
  { id: 2, name: 'free', title: 'Free', tier: 'free', paidHosted: false, top: false },
  { id: 3, name: 'bronze', title: 'Bronze', tier: 'free', paidHosted: true, top: false },
  { id: 4, name: 'silver', title: 'Silver', tier: 'premium', paidHosted: true, top: false },
  { id: 5, name: 'premium', title: 'Premium', tier: 'premium', paidHosted: true, top: false },
  { id: 6, name: 'gold', title: 'Gold', tier: 'ultimate', paidHosted: true, top: true },
  { id: 7, name: 'ultimate', title: 'Ultimate', tier: 'ultimate', paidHosted: true, top: true },
  { id: 8, name: 'ultimate_trial', title: 'Ultimate Trial', tier: 'ultimate', paidHosted: true, top: false },
  { id: 9, name: 'premium_trial', title: 'Premium Trial', tier: 'premium', paidHosted: true, top: false },
  { id: 10, name: 'ultimate_trial_paid_customer', title: 'Ultimate Trial Paid Customer', tier: 'ultimate', paidHosted: true, top: false },
  { id: 11, name: 'opensource', title: 'Opensource', tier: 'ultimate', paidHosted: true, top: true },
  { id: 12, name: 'early_adopter', title: 'Early Adopter', tier: 'free', paidHosted: false, top: false },
];

export const FREE_PLAN_ID = 2;

export function planById(id: number | null | undefined): PlanInfo | null {
  if (id === null || id === undefined) return null;
  return PLANS.find((p) => p.id === Number(id)) ?? null;
}

export function planByName(name: string): PlanInfo | null {
  return PLANS.find((p) => p.name === name) ?? null;
}

/** Plans whose groups do not count guests as billable. */
export const EXCLUDE_GUESTS_PLANS = ['gold', 'ultimate', 'ultimate_trial'];
/** Plans that cannot be upgraded. */
export const NOT_UPGRADABLE_PLANS = ['gold', 'ultimate', 'opensource'];

/** The add-ons, seeded with the same ids. */
export const ADD_ONS = [
  { id: 1, name: 'code_suggestions', title: 'Code Suggestions' },
  { id: 2, name: 'product_analytics', title: 'Product Analytics' },
  { id: 3, name: 'duo_enterprise', title: 'Duo Enterprise' },
];
