export * from './cluster-agent.entity';
export * from './cluster-agent-token.entity';
export * from './cluster-agent-authorization.entity';
export * from './kubernetes-usage.entities';
export * from './vulnerability-finding.entity';
export * from './cluster-agent-alert.entity';
export * from './security-policy-configuration.entity';
