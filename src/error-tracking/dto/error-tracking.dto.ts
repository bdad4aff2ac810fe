import { ApiProperty } from '@nestjs/swagger';
import { idParam, stringParam } from '../../common/coerce';
import { Bool, INVALID, LooseText, Optional, ParamType, Requires } from '../../common/params';

/** Blank: absent, a hash or an array, or text of only whitespace. */
const isBlankText = (text: string | undefined): boolean => text === undefined || text.trim() === '';

/** Text as sent; `undefined` when blank. */
const NonBlankText: ParamType<string | undefined> = {
  ...LooseText,
  coerce: (raw, at) => {
    const text = LooseText.coerce(raw, at) as string | undefined;
    return isBlankText(text) ? undefined : text;
  },
};

/** A project id: `undefined` when blank, 0 when it can name no project (not an id), else the id. */
const ProjectIdParam: ParamType<number | undefined> = {
  name: 'Integer',
  schema: { type: 'integer' },
  coerce: (raw) => (isBlankText(stringParam(raw)) ? undefined : (idParam(raw) ?? 0)),
};

/**
 * `POST /error_tracking/allowed`. Never a parameter error: a blank (absent, not text, only whitespace)
 * `project_id` or `public_key` reads as `undefined` (422 Unprocessable Entity), a `project_id` that is not an id
 * as 0 (404 Not found).
 */
export class ErrorTrackingAllowedRequest {
  @ApiProperty({ required: true })
  @Optional(ProjectIdParam, { api: { example: 3 } })
  project_id?: number;
  @ApiProperty({ required: true })
  @Optional(NonBlankText, { api: { example: 'glet_0123456789abcdef0123456789abcdef' } })
  public_key?: string;
}

export class ErrorTrackingAllowedResponse {
  @ApiProperty({ example: true }) enabled: boolean;
}

/** `integrated` is judged only when `active` was given: a missing `active` is answered alone. */
const IntegratedParam: ParamType<boolean | undefined> = {
  ...Bool,
  coerce(raw, at) {
    const value = Bool.coerce(raw, at);
    return value === INVALID && at.errors.includes('active is missing') ? undefined : value;
  },
};

export class ErrorTrackingSettingsRequest {
  @Requires(Bool, { api: { example: true, description: 'Enables error tracking for the project' } }) active: boolean;
  @Optional(IntegratedParam, { api: { example: true, description: 'Use the integrated error tracking backend' } }) integrated?: boolean;
}

export class ErrorTrackingSettingsResponse {
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: 'priv', description: 'The project name' }) project_name: string;
  @ApiProperty({ type: String, nullable: true, example: null }) sentry_external_url: string | null;
  @ApiProperty({ type: String, nullable: true, example: null }) api_url: string | null;
  @ApiProperty({ example: true }) integrated: boolean;
}

export class CreateClientKeyRequest {
  @Optional(Bool, { api: { example: true, description: 'Product extension; default true' } }) active?: boolean;
}

export class ClientKeyResponse {
  @ApiProperty({ example: 1 }) id: number;
  @ApiProperty({ example: true }) active: boolean;
  @ApiProperty({ example: 'glet_0123456789abcdef0123456789abcdef' }) public_key: string;
  @ApiProperty({ example: 'http://glet_0123456789abcdef0123456789abcdef@gitlab.example.com/api/v4/error_tracking/collector/3' })
  sentry_dsn: string;
}
