import { DocumentBuilder } from '@nestjs/swagger';

/** OpenAPI security scheme names, one per auth scheme */
export const SECURITY = {
  shell: 'shell-jwt',
  kas: 'kas-jwt',
  kasAgent: 'kas-agent-token',
  admin: 'admin-token',
  user: 'user-token',
  scimGroup: 'scim-group-token',
  scimInstance: 'scim-instance-token',
  errorTracking: 'error-tracking-token',
} as const;

export function addSecuritySchemes(builder: DocumentBuilder): DocumentBuilder {
  return builder
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Gitlab-Shell-Api-Request', description: 'HS256 JWT, iss gitlab-shell, signed with the shell secret' },
      SECURITY.shell,
    )
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Gitlab-Kas-Api-Request', description: 'HS256 JWT, iss gitlab-kas, aud gitlab, signed with the kas secret' },
      SECURITY.kas,
    )
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Kubernetes agent token (with the kas JWT)' }, SECURITY.kasAgent)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN', description: "An admin's personal access token with api scope" }, SECURITY.admin)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'PRIVATE-TOKEN', description: "Any active user's personal access token with api or read_api scope" }, SECURITY.user)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: "A group's SCIM token" }, SECURITY.scimGroup)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: "The instance's SCIM token" }, SECURITY.scimInstance)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Gitlab-Error-Tracking-Token', description: 'ERROR_TRACKING_TOKEN' }, SECURITY.errorTracking);
}
