import { IsIn, ValidateIf } from 'class-validator';
import { isStorableJson } from '../../common/storable-text';
import {
  ArrayOf,
  FreeHash,
  Hash,
  Int64Id,
  Integer,
  INVALID,
  isHash,
  MapOf,
  NestedArray,
  NotBlank,
  Optional,
  ParamType,
  Requires,
  Str,
} from '../../common/params';

/** A JSON object given as an object or as a string holding it (kas sends both). */
export function parseJsonObject(text: string): Hash | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return isHash(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The agent configuration file: a Hash, or a string holding its JSON; every string storable. */
const AgentConfig: ParamType<Hash> = {
  name: 'Hash',
  schema: { type: 'object', additionalProperties: true },
  coerce(raw) {
    const config = typeof raw === 'string' ? parseJsonObject(raw) : isHash(raw) ? raw : undefined;
    return config && isStorableJson(config) ? config : INVALID;
  },
};

export class AgentConfigurationBody {
  @Requires(Int64Id, { api: { example: '1', description: 'Integer (int64 as a string from kas)' } }) agent_id: number;
  @Requires(AgentConfig, { api: { description: 'the agent configuration file as JSON, or a string containing it' } }) agent_config: Hash;
}

export const ACCESS_TYPES = ['session_cookie', 'personal_access_token'] as const;

export class AuthorizeProxyUserBody {
  @Requires(Int64Id, { api: { example: '1' } }) agent_id: number;
  @Requires(Str, { api: { enum: [...ACCESS_TYPES] } }) @IsIn(ACCESS_TYPES) access_type: (typeof ACCESS_TYPES)[number];
  @Requires(Str, { api: { description: 'the personal access token (or session cookie)' } }) access_key: string;
  @Optional(Str, { requiredWhen: (d) => d.access_type === 'session_cookie', api: { description: 'required for session_cookie' } })
  @ValidateIf((d: Hash) => d.access_type === 'session_cookie')
  @NotBlank()
  csrf_token?: string;
}

export const COUNTERS = [
  'gitops_sync',
  'k8s_api_proxy_request',
  'flux_git_push_notifications_total',
  'k8s_api_proxy_requests_via_ci_access',
  'k8s_api_proxy_requests_via_user_access',
  'k8s_api_proxy_requests_via_pat_access',
] as const;

export const UNIQUE_COUNTERS = [
  'agent_users_using_ci_tunnel',
  'k8s_api_proxy_requests_unique_users_via_ci_access',
  'k8s_api_proxy_requests_unique_agents_via_ci_access',
  'k8s_api_proxy_requests_unique_users_via_user_access',
  'k8s_api_proxy_requests_unique_agents_via_user_access',
  'k8s_api_proxy_requests_unique_users_via_pat_access',
  'k8s_api_proxy_requests_unique_agents_via_pat_access',
  'flux_git_push_notified_unique_projects',
] as const;

export class UsageMetricsBody {
  @Optional(MapOf(Integer(), { keys: COUNTERS }), { api: { example: { gitops_sync: 1 } } }) counters?: Partial<
    Record<(typeof COUNTERS)[number], number>
  >;
  @Optional(MapOf(ArrayOf(Integer()), { keys: UNIQUE_COUNTERS }), { api: { example: { agent_users_using_ci_tunnel: [1] } } })
  unique_counters?: Partial<Record<(typeof UNIQUE_COUNTERS)[number], number[]>>;
  @Optional(Integer(), { api: { description: 'legacy: adds to counters[gitops_sync]' } }) gitops_sync_count?: number;
  @Optional(Integer(), { api: { description: 'legacy: adds to counters[k8s_api_proxy_request]' } }) k8s_api_proxy_request_count?: number;
}

export const AGENT_EVENTS = [
  'k8s_api_proxy_requests_unique_users_via_ci_access',
  'k8s_api_proxy_requests_unique_users_via_user_access',
  'k8s_api_proxy_requests_unique_users_via_pat_access',
] as const;

export class AgentEventDto {
  @Optional(Int64Id) user_id?: number;
  @Optional(Int64Id) project_id?: number;
}

export class AgentEventsBody {
  @Optional(
    MapOf(
      NestedArray(() => AgentEventDto),
      { keys: AGENT_EVENTS },
    ),
  )
  events?: Partial<Record<(typeof AGENT_EVENTS)[number], AgentEventDto[]>>;
}

export class ScanResultBody {
  @Requires(ArrayOf(Str), { api: { description: 'uuids of the findings the scan still reports' } }) uuids: string[];
}

export class CiliumAlertBody {
  @Requires(FreeHash({ storable: true }), { api: { example: { title: 'minimal', message: 'network problem' } } }) alert: Hash;
}
