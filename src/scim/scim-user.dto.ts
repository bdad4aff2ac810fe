import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI shapes of the SCIM messages. */
/** Every key but `schemas` and `id` may be left out by `attributes` / `excludedAttributes` (RFC 7644 §3.9). */
export class ScimNameDto {
  @ApiPropertyOptional({ example: 'Test User' }) formatted?: string;
  @ApiPropertyOptional({ example: 'Test' }) givenName?: string;
  @ApiPropertyOptional({ example: 'User' }) familyName?: string;
}

export class ScimEmailDto {
  @ApiPropertyOptional({ example: 'work' }) type?: string;
  @ApiPropertyOptional({ example: 'name@example.com' }) value?: string;
  @ApiPropertyOptional({ example: true }) primary?: boolean;
}

export class ScimMetaDto {
  @ApiPropertyOptional({ example: 'User' }) resourceType?: string;
  @ApiPropertyOptional({ example: '2024-05-02T10:15:30.123Z' }) created?: string;
  @ApiPropertyOptional({ example: '2024-05-02T10:15:30.123Z' }) lastModified?: string;
  @ApiPropertyOptional({ example: 'https://gitlab.example.com/api/scim/v2/groups/test_group/Users/0b1d561c-21ff-4092-beab-8154b17f82f2' })
  location?: string;
}

/** The User resource. All keys are present unless `attributes` / `excludedAttributes` removed them. */
export class ScimUserDto {
  @ApiProperty({ example: ['urn:ietf:params:scim:schemas:core:2.0:User'], type: [String] }) schemas: string[];
  @ApiProperty({ description: "The identity's extern_uid (the IdP's externalId)", example: '0b1d561c-21ff-4092-beab-8154b17f82f2' })
  id: string;
  @ApiPropertyOptional({ example: '0b1d561c-21ff-4092-beab-8154b17f82f2' }) externalId?: string;
  @ApiPropertyOptional() active?: boolean;
  @ApiPropertyOptional({ type: ScimNameDto }) name?: ScimNameDto;
  @ApiPropertyOptional({
    name: 'name.formatted',
    description: 'Compatibility alias of name.formatted, present exactly when it is',
    example: 'Test User',
  })
  nameFormatted?: string;
  @ApiPropertyOptional({ description: 'userName exactly as the identity provider sent it', example: 'username' }) userName?: string;
  @ApiPropertyOptional({ type: ScimMetaDto }) meta?: ScimMetaDto;
  @ApiPropertyOptional({ type: [ScimEmailDto] }) emails?: ScimEmailDto[];
}

export class ScimUserListDto {
  @ApiProperty({ example: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], type: [String] }) schemas: string[];
  @ApiProperty({ example: 1 }) totalResults: number;
  @ApiProperty({ example: 20 }) itemsPerPage: number;
  @ApiProperty({ example: 1 }) startIndex: number;
  @ApiProperty({ type: [ScimUserDto] }) Resources: ScimUserDto[];
}

export class ScimCreateUserDto {
  @ApiPropertyOptional({ type: [String] }) schemas?: string[];
  @ApiProperty({ example: '0b1d561c-21ff-4092-beab-8154b17f82f2' }) externalId: string;
  @ApiProperty({ example: 'jane.doe@example.com' }) userName: string;
  @ApiProperty({ type: [ScimEmailDto] }) emails: ScimEmailDto[];
  @ApiPropertyOptional({ type: ScimNameDto }) name?: ScimNameDto;
  @ApiPropertyOptional({ description: 'Ignored: a new identity always starts active' }) active?: boolean;
}

export class ScimPatchOperationDto {
  @ApiProperty({ example: 'replace', description: 'add, replace, update (alias of replace) or remove' }) op: string;
  @ApiPropertyOptional({ example: 'active' }) path?: string;
  @ApiPropertyOptional({ description: 'Any JSON value, e.g. "False" for path active, or an object when path is omitted' }) value?: unknown;
}

export class ScimPatchDto {
  @ApiPropertyOptional({ example: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], type: [String] }) schemas?: string[];
  @ApiProperty({ type: [ScimPatchOperationDto] }) Operations: ScimPatchOperationDto[];
}

export class ScimErrorDto {
  @ApiProperty({ example: ['urn:ietf:params:scim:api:messages:2.0:Error'], type: [String] }) schemas: string[];
  @ApiPropertyOptional({ example: 'invalidValue' }) scimType?: string;
  @ApiProperty({ example: 'Resource 123 not found' }) detail: string;
  @ApiProperty({ example: '404', description: 'The HTTP status as a string' }) status: string;
  @ApiPropertyOptional({ example: '401 Unauthorized', description: 'Only on 401' }) message?: string;
}

/** Discovery documents are described loosely: their exact content is RFC 7643 §5–§7. */
export const SCIM_OBJECT_SCHEMA = { type: 'object', additionalProperties: true } as const;
