import { ApiPropertyOptional } from '@nestjs/swagger';
import { AllStorable, KeepsRaw, LooseText, LooseTextList, Optional, Requires } from '../../common/params';

/**
 * Bodies of the routes Gitaly and gitlab-shell call around a push. Every parameter, declared or not, must be
 * storable text (else 400 `… contains a NUL character or invalid UTF-8`, before anything else); the declared ones
 * are read loosely, as these routes never answer a parameter error for a value of the wrong kind.
 */

@AllStorable()
export class PreReceiveRequest {
  @Optional(LooseText, { api: { example: 'project-3' } }) gl_repository?: string;
}

@AllStorable()
export class PostReceiveRequest {
  @Optional(LooseText, { api: { example: 'project-3' } }) gl_repository?: string;
  @Optional(LooseText, { api: { example: 'key-12', description: '`key-<id>`, `user-<id>` or `username-<name>`' } }) identifier?: string;
  @Optional(LooseText, {
    api: { example: '0000000000000000000000000000000000000000 570e7b2abdd848b95f2f578043fc23bd6f6fd24d refs/heads/feature\n' },
  })
  changes?: string;
  @Optional(LooseTextList, { api: { nullable: true } }) push_options?: string[];
  @Optional(LooseText, { api: { nullable: true } }) gitaly_client_context_bin?: string;
}

/**
 * `POST /shellhorse/git_audit_event`: the four required parameters are checked here (only `action`'s value is
 * read); the access decision then reads the request as sent (`rawOf`), as `/allowed` does.
 */
@AllStorable()
@KeepsRaw()
export class GitAuditEventRequest {
  @Requires(LooseText, { api: { enum: ['git-upload-pack', 'git-receive-pack'] } }) action: string | undefined;
  @Requires(LooseText, { api: { example: 'ssh' } }) protocol: string | undefined;
  @Requires(LooseText, { api: { example: 'project-3' } }) gl_repository: string | undefined;
  @Requires(LooseText, { api: { example: '_any' } }) changes: string | undefined;
  // read by the access decision from the request as sent
  @ApiPropertyOptional() check_ip?: string;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional({ type: 'integer' }) key_id?: number;
  @ApiPropertyOptional() namespace_path?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) packfile_stats?: Record<string, unknown>;
}
