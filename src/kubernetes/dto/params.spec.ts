import { paramErrorOf } from '../../../test/helpers/param-errors';
import { rawOf, readParams } from '../../common/params';
import { PolicyConfigurationBody } from './admin.dto';
import { AgentConfigurationBody, AgentEventsBody, AuthorizeProxyUserBody, UsageMetricsBody } from './kas.dto';
import { StarboardVulnerabilityBody } from './starboard.dto';

describe('kas parameters', () => {
  it('reads int64 ids and the agent configuration as an object or a JSON string', () => {
    expect(readParams(AgentConfigurationBody, { agent_id: '12', agent_config: '{"ci_access":{}}' })).toMatchObject({
      agent_id: 12,
      agent_config: { ci_access: {} },
    });
    expect(readParams(AgentConfigurationBody, { agent_id: '9223372036854775807', agent_config: {} }).agent_id).toBe(0);
    expect(paramErrorOf(() => readParams(AgentConfigurationBody, { agent_id: null, agent_config: '[1]' }))).toBe(
      'agent_id is missing, agent_config is invalid',
    );
    expect(paramErrorOf(() => readParams(AgentConfigurationBody, { agent_id: 1, agent_config: { a: 'x\u0000' } }))).toBe(
      'agent_config is invalid',
    );
  });

  it('requires a non-blank csrf_token for session cookies only', () => {
    const base = { agent_id: 1, access_key: 'k' };
    expect(paramErrorOf(() => readParams(AuthorizeProxyUserBody, { ...base, access_type: 'session_cookie' }))).toBe(
      'csrf_token is missing',
    );
    expect(paramErrorOf(() => readParams(AuthorizeProxyUserBody, { ...base, access_type: 'session_cookie', csrf_token: ' ' }))).toBe(
      'csrf_token is empty',
    );
    expect(readParams(AuthorizeProxyUserBody, { ...base, access_type: 'personal_access_token', csrf_token: ' ' }).csrf_token).toBe(' ');
    expect(paramErrorOf(() => readParams(AuthorizeProxyUserBody, { ...base, access_type: 'x' }))).toBe(
      'access_type does not have a valid value',
    );
  });

  it('reads the known counters and events only, naming each bad entry', () => {
    expect({ ...readParams(UsageMetricsBody, { counters: { gitops_sync: '2', unknown: 'x' }, gitops_sync_count: 1 }) }).toEqual({
      counters: { gitops_sync: 2 },
      gitops_sync_count: 1,
    });
    expect(
      paramErrorOf(() =>
        readParams(UsageMetricsBody, { counters: { gitops_sync: 'x' }, unique_counters: { agent_users_using_ci_tunnel: [1, null] } }),
      ),
    ).toBe('counters[gitops_sync] is invalid, unique_counters[agent_users_using_ci_tunnel] is invalid');
    const name = 'k8s_api_proxy_requests_unique_users_via_ci_access';
    expect(paramErrorOf(() => readParams(AgentEventsBody, { events: { [name]: [{ user_id: 'x' }, 3] } }))).toBe(
      `events[${name}][0][user_id] is invalid, events[${name}][1] is invalid`,
    );
  });

  it('reads a starboard finding in the order of its table, normalising severity and confidence', () => {
    expect(
      paramErrorOf(() =>
        readParams(StarboardVulnerabilityBody, {
          vulnerability: { severity: 'bad', location: {}, identifiers: [] },
          scanner: { vendor: 1.5 },
        }),
      ),
    ).toBe(
      [
        'vulnerability[name] is missing',
        'vulnerability[severity] does not have a valid value',
        'vulnerability[location][kubernetes_resource] is missing',
        'vulnerability[identifiers] is empty',
        'scanner[id] is missing',
        'scanner[name] is missing',
      ].join(', '),
    );
    const location = { kubernetes_resource: { namespace: 'ns', name: 'n', kind: 'Pod' }, extra: 1 };
    const dto = readParams(StarboardVulnerabilityBody, {
      vulnerability: { name: 'CVE', severity: 'HIGH', location, identifiers: [{ type: 'cve', name: 'CVE-1' }] },
      scanner: { id: 's', name: 'Trivy', vendor: { name: 'Aqua' } },
    });
    expect(dto.vulnerability).toMatchObject({ severity: 'high', confidence: 'unknown' });
    expect(rawOf(dto.vulnerability.location)).toEqual(location);
    expect(
      paramErrorOf(() =>
        readParams(StarboardVulnerabilityBody, {
          vulnerability: { ...dto.vulnerability, location },
          scanner: { id: 's', name: 'n', vendor: {} },
        }),
      ),
    ).toBe('scanner[vendor][name] is missing');
  });

  it('checks scan execution policies with full paths and keeps what was sent', () => {
    const policy = {
      name: 'p',
      enabled: 'true',
      actions: [{ scan: 'sast' }],
      rules: [{ type: 'schedule', cadence: '* * * * *', agents: { a: { namespaces: ['x'] } }, extra: 1 }],
    };
    const dto = readParams(PolicyConfigurationBody, { scan_execution_policy: [policy] });
    expect(dto.scan_execution_policy[0].enabled).toBe(true);
    expect(rawOf(dto.scan_execution_policy[0])).toEqual(policy);
    expect(
      paramErrorOf(() =>
        readParams(PolicyConfigurationBody, {
          scan_execution_policy: [{ ...policy, rules: [{ type: 'schedule', agents: { a: { namespaces: [1] } } }] }],
        }),
      ),
    ).toBe('scan_execution_policy[0][rules][0][cadence] is missing, scan_execution_policy[0][rules][0][agents][a][namespaces] is invalid');
  });
});
