import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ErrorTrackingAllowedRequest {
  @ApiProperty({ example: 3 }) project_id: number;
  @ApiProperty({ example: 'glet_0123456789abcdef0123456789abcdef' }) public_key: string;
}

export class ErrorTrackingAllowedResponse {
  @ApiProperty({ example: true }) enabled: boolean;
}

export class ErrorTrackingSettingsRequest {
  @ApiProperty({ example: true, description: 'Enables error tracking for the project' }) active: boolean;
  @ApiPropertyOptional({ example: true, description: 'Use the integrated error tracking backend' }) integrated?: boolean;
}

export class ErrorTrackingSettingsResponse {
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: 'priv', description: 'The project name' }) project_name: string;
  @ApiProperty({ type: String, nullable: true, example: null }) sentry_external_url: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) api_url: string | null;
  @ApiProperty({ example: true }) integrated: boolean;
}

export class CreateClientKeyRequest {
  @ApiPropertyOptional({ example: true, description: 'Product extension; default true' }) active?: boolean;
}

export class ClientKeyResponse {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: 'glet_0123456789abcdef0123456789abcdef' }) public_key: string;
  @ApiProperty({ example: 'http://glet_0123456789abcdef0123456789abcdef@gitlab.example.com/api/v4/error_tracking/collector/3' })
  sentry_dsn: string;
}
