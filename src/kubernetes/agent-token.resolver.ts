import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AgentTokenResolver } from '../auth/guards';
import { sha256Hex } from '../common/secrets';
import { ReadReplicas } from '../database/read-replicas';
import { ClusterAgent, ClusterAgentToken, TOKEN_STATUS } from './entities';

/** The agent principal of `@KasAgentAuth()` routes: the agent with its (live) configuration project loaded. */
export type KasAgent = ClusterAgent & { project: NonNullable<ClusterAgent['project']> };

/**
 * `AGENT_TOKEN_RESOLVER`: sha256 lookup among active tokens; an agent whose project is
 * pending deletion does not authenticate. Accepted tokens get their usage tracked, never failing.
 */
@Injectable()
export class KasAgentTokenResolver implements AgentTokenResolver {
  private readonly logger = new Logger('KasAgentToken');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly replicas: ReadReplicas,
  ) {}

  async resolve(token: string): Promise<{ agent: KasAgent; tokenId: number } | null> {
    if (typeof token !== 'string' || token === '') return null;
    // a read replica may serve the lookup (agent_info answers from it alone); usage tracking writes to the primary
    const found = await this.replicas.read((m) =>
      m.getRepository(ClusterAgentToken).findOne({
        where: { token_digest: sha256Hex(token), status: TOKEN_STATUS.active },
        relations: { agent: { project: true } },
      }),
    );
    const agent = found?.agent;
    if (!found || !agent || !agent.project || agent.project.pending_delete) return null;
    await this.trackUsage(found.id);
    return { agent: agent as KasAgent, tokenId: found.id };
  }

  private async trackUsage(tokenId: number): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE cluster_agent_tokens SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '40 minutes')`,
        [tokenId],
      );
    } catch (err) {
      this.logger.warn({ err }, 'could not record agent token usage');
    }
  }
}
