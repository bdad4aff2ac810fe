import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/* Response shapes of the billing routes, for the OpenAPI document. */

export class SubscriptionPlanDto {
  @ApiProperty({ type: String, nullable: true, example: 'premium' }) code: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Premium' }) name: string | null;
  @ApiProperty({ type: Boolean, nullable: true }) trial: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) auto_renew: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) upgradable: boolean | null;
  @ApiProperty({ type: Boolean, nullable: true }) exclude_guests: boolean | null;
}

export class SubscriptionUsageDto {
  @ApiProperty({ type: 'integer', nullable: true, example: 10 }) seats_in_subscription: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1 }) seats_in_use: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 0 }) max_seats_used: number | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 0 }) seats_owed: number | null;
}

export class SubscriptionBillingDto {
  @ApiProperty({ type: String, format: 'date', nullable: true, example: '2020-07-15' }) subscription_start_date: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) subscription_end_date: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true }) trial_ends_on: string | null;
}

export class GitlabSubscriptionDto {
  @ApiProperty({ type: SubscriptionPlanDto }) plan: SubscriptionPlanDto;
  @ApiProperty({ type: SubscriptionUsageDto }) usage: SubscriptionUsageDto;
  @ApiProperty({ type: SubscriptionBillingDto }) billing: SubscriptionBillingDto;
}

export class BillingNamespaceDto {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty() name: string;
  @ApiProperty() path: string;
  @ApiProperty({ enum: ['group', 'user'] }) kind: string;
  @ApiProperty() full_path: string;
  @ApiProperty({ type: 'integer', nullable: true }) parent_id: number | null;
  @ApiProperty({ type: String, nullable: true }) avatar_url: null;
  @ApiProperty() web_url: string;
  @ApiProperty({ type: 'integer', nullable: true }) shared_runners_minutes_limit: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) extra_shared_runners_minutes_limit: number | null;
  @ApiProperty({ type: 'integer' }) additional_purchased_storage_size: number;
  @ApiProperty({ type: String, format: 'date', nullable: true }) additional_purchased_storage_ends_on: string | null;
  @ApiProperty({ type: 'integer' }) billable_members_count: number;
  @ApiPropertyOptional({ type: 'integer', description: 'only with a subscription' }) seats_in_use?: number;
  @ApiPropertyOptional({ type: 'integer', description: 'only with a subscription' }) max_seats_used?: number;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'only with a subscription' })
  max_seats_used_changed_at?: string | null;
  @ApiPropertyOptional({ type: String, format: 'date', nullable: true, description: 'only with a subscription' }) end_date?: string | null;
  @ApiProperty({ example: 'free' }) plan: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) trial_ends_on: string | null;
  @ApiProperty() trial: boolean;
  @ApiPropertyOptional({ type: 'integer', description: 'groups only' }) members_count_with_descendants?: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'groups only; always null' }) root_repository_size?: null;
  @ApiPropertyOptional({ type: 'integer', description: 'groups only' }) projects_count?: number;
}

export class OwnerUserDto {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
}

export class OwnerDto {
  @ApiProperty({ type: OwnerUserDto }) user: OwnerUserDto;
  @ApiProperty({ type: 'integer', example: 50 }) access_level: number;
  @ApiProperty() notification_email: string;
}

export class BillingUserDto {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty() username: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'http://localhost:3000/jdoe' }) web_url: string;
}

export class SuccessDto {
  @ApiProperty({ type: Object, example: {} }) success: Record<string, never>;
}

export class AddOnPurchaseDto {
  @ApiProperty({ type: 'integer' }) namespace_id: number;
  @ApiProperty() namespace_name: string;
  @ApiProperty({ example: 'Code Suggestions' }) add_on: string;
  @ApiProperty({ type: 'integer' }) quantity: number;
  @ApiProperty({ type: String, format: 'date', nullable: true }) started_on: string | null;
  @ApiProperty({ type: String, format: 'date' }) expires_on: string;
  @ApiProperty() purchase_xid: string;
  @ApiProperty() trial: boolean;
}

export class StorageExclusionDto {
  @ApiProperty({ type: 'integer' }) id: number;
  @ApiProperty({ type: 'integer' }) namespace_id: number;
  @ApiProperty() namespace_name: string;
  @ApiProperty() reason: string;
}

export class PackDto {
  @ApiProperty({ type: 'integer' }) namespace_id: number;
  @ApiProperty({ type: String, format: 'date', nullable: true }) expires_at: string | null;
  @ApiProperty({ type: 'integer' }) number_of_minutes: number;
  @ApiProperty() purchase_xid: string;
}

export class MessageDto {
  @ApiProperty({ example: '202 Accepted' }) message: string;
}
