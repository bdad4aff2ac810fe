import { Transform, Type } from 'class-transformer';
import { ArrayNotEmpty, IsIn } from 'class-validator';
import {
  FreeArray,
  HashArray,
  HashParam,
  KeepsRaw,
  Nested,
  OneOfTypes,
  Optional,
  Requires,
  StorableHashParam,
  Str,
} from '../../common/params';

export const SEVERITIES = ['info', 'unknown', 'low', 'medium', 'high', 'critical'] as const;
export const CONFIDENCES = ['undefined', 'ignore', 'unknown', 'experimental', 'low', 'medium', 'high', 'confirmed'] as const;
const lower = ({ value }: { value: unknown }) => (value as string).toLowerCase();

export class KubernetesResourceDto {
  @Requires(Str) namespace: string;
  @Requires(Str) name: string;
  @Requires(Str) kind: string;
  @Optional(Str) container_name?: string;
  @Optional(Str) container?: string;
  @Optional(Str) agent_id?: string;
}

export class DependencyPackageDto {
  @Optional(Str) name?: string;
}

export class DependencyDto {
  @Optional(HashParam) @Type(() => DependencyPackageDto) package?: DependencyPackageDto;
  @Optional(Str) version?: string;
}

/** Stored as sent (`rawOf`). */
@KeepsRaw()
export class FindingLocationDto {
  @Requires(HashParam) @Type(() => KubernetesResourceDto) kubernetes_resource: KubernetesResourceDto;
  @Optional(Str) image?: string;
  @Optional(HashParam) @Type(() => DependencyDto) dependency?: DependencyDto;
  @Optional(Str) operating_system?: string;
}

/** Stored as sent (`rawOf`). */
@KeepsRaw()
export class FindingIdentifierDto {
  @Requires(Str, { api: { example: 'cve' } }) type: string;
  @Requires(Str, { api: { example: 'CVE-2019-3462' } }) name: string;
  @Optional(Str) value?: string;
  @Optional(Str) url?: string;
  @Optional(Str) external_type?: string;
  @Optional(Str) external_id?: string;
}

export class StarboardFindingDto {
  @Requires(Str) name: string;
  @Requires(Str, { api: { enum: [...SEVERITIES] } }) @Transform(lower) @IsIn(SEVERITIES) severity: string;
  @Optional(Str, { default: 'unknown', api: { enum: [...CONFIDENCES] } }) @Transform(lower) @IsIn(CONFIDENCES) confidence: string;
  @Requires(HashParam) @Type(() => FindingLocationDto) location: FindingLocationDto;
  @Requires(HashArray()) @Type(() => FindingIdentifierDto) @ArrayNotEmpty() identifiers: FindingIdentifierDto[];
  @Optional(Str) message?: string;
  @Optional(Str) description?: string;
  @Optional(Str) solution?: string;
  @Optional(FreeArray) links?: unknown[];
}

export class ScannerVendorDto {
  @Requires(Str) name: string;
}

export class StarboardScannerDto {
  @Requires(Str) id: string;
  @Requires(Str) name: string;
  @Requires(
    OneOfTypes<ScannerVendorDto | string>(
      Nested(() => ScannerVendorDto),
      Str,
    ),
    { api: { description: '{name} or a string' } },
  )
  vendor: ScannerVendorDto | string;
}

export class StarboardVulnerabilityBody {
  @Requires(StorableHashParam, { api: { description: 'name, severity, confidence, location.kubernetes_resource, identifiers, …' } })
  @Type(() => StarboardFindingDto)
  vulnerability: StarboardFindingDto;
  @Requires(StorableHashParam, { api: { description: 'id, name, vendor ({name} or a string)' } })
  @Type(() => StarboardScannerDto)
  scanner: StarboardScannerDto;
}
