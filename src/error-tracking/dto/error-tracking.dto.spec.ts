import { paramErrorOf } from '../../../test/helpers/param-errors';
import { readParams } from '../../common/params';
import { ErrorTrackingAllowedRequest, ErrorTrackingSettingsRequest } from './error-tracking.dto';

describe('error tracking parameters', () => {
  it('/allowed: blank reads as undefined (422), a project_id that is not an id as 0 (404)', () => {
    const read = (source: Record<string, unknown>) => ({ ...readParams(ErrorTrackingAllowedRequest, source) });
    expect(read({ project_id: '3', public_key: 'glet_x' })).toEqual({ project_id: 3, public_key: 'glet_x' });
    expect(read({ project_id: ' ', public_key: { a: 1 } })).toEqual({ project_id: undefined, public_key: undefined });
    expect(read({ project_id: true, public_key: '  ' })).toEqual({ project_id: 0, public_key: undefined });
    expect(read({ project_id: 'abc' })).toEqual({ project_id: 0 });
  });

  it('settings: a missing active is answered alone; otherwise every invalid value', () => {
    expect(paramErrorOf(() => readParams(ErrorTrackingSettingsRequest, { integrated: 'x' }))).toBe('active is missing');
    expect(paramErrorOf(() => readParams(ErrorTrackingSettingsRequest, { active: 'maybe', integrated: 'x' }))).toBe(
      'active is invalid, integrated is invalid',
    );
    expect({ ...readParams(ErrorTrackingSettingsRequest, { active: 'true', integrated: 0 }) }).toEqual({ active: true, integrated: false });
  });
});
