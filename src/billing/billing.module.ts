import { Inject, Module, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { registerEntities } from '../database/entity-registry';
import { JobsModule } from '../jobs/jobs.module';
import { JobQueue, queueToken } from '../jobs/job-queue';
import { NamespacesModule } from '../namespaces/namespaces.module';
import { AddOnsService } from './add-ons.service';
import { BillingNamespaces } from './billing-namespaces.service';
import { ComputePacksService } from './compute-packs.service';
import { GitlabComFirstGuard } from './gitlab-com.guard';
import { PurchasesController } from './purchases.controller';
import { ReconciliationsController } from './reconciliations.controller';
import { ReconciliationsService } from './reconciliations.service';
import { StorageExclusionsService } from './storage-exclusions.service';
import { BillingUsersService } from './billing-users.service';
import { InternalSubscriptionsController } from './internal-subscriptions.controller';
import { SubscriptionEndpoints } from './subscription-endpoints.service';
import { SubscriptionReadController, SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsService } from './subscriptions.service';
import { AdditionalPack } from './entities/additional-pack.entity';
import { CreditCardValidation } from './entities/credit-card-validation.entity';
import { GitlabSubscription } from './entities/gitlab-subscription.entity';
import { GitlabSubscriptionHistory } from './entities/gitlab-subscription-history.entity';
import { NamespaceLimit } from './entities/namespace-limit.entity';
import { Plan } from './entities/plan.entity';
import { StorageLimitExclusion } from './entities/storage-limit-exclusion.entity';
import { SubscriptionAddOn } from './entities/subscription-add-on.entity';
import { SubscriptionAddOnPurchase } from './entities/subscription-add-on-purchase.entity';
import { UpcomingReconciliation } from './entities/upcoming-reconciliation.entity';

export const BILLING_QUEUE = 'billing';
export interface BillingJob {
  name: 'refresh-seats';
}
/** The seat refresh runs every 6 hours. */
export const SEAT_REFRESH_INTERVAL_MS = 6 * 3600_000;

/** The tables this module owns (see database/entity-registry.ts). */
export const BILLING_ENTITIES = registerEntities([
  Plan,
  GitlabSubscription,
  GitlabSubscriptionHistory,
  NamespaceLimit,
  SubscriptionAddOn,
  SubscriptionAddOnPurchase,
  AdditionalPack,
  StorageLimitExclusion,
  UpcomingReconciliation,
  CreditCardValidation,
]);

/** Billing: subscriptions, add-ons, compute packs, reconciliations, storage exclusions. */
@Module({
  imports: [NamespacesModule, JobsModule.registerQueue(BILLING_QUEUE)],
  controllers: [
    SubscriptionsController,
    SubscriptionReadController,
    InternalSubscriptionsController,
    PurchasesController,
    ReconciliationsController,
  ],
  providers: [
    BillingNamespaces,
    SubscriptionsService,
    SubscriptionEndpoints,
    BillingUsersService,
    AddOnsService,
    ComputePacksService,
    StorageExclusionsService,
    ReconciliationsService,
    GitlabComFirstGuard,
  ],
  exports: [SubscriptionsService, BillingNamespaces],
})
export class BillingModule implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(queueToken(BILLING_QUEUE)) private readonly queue: JobQueue<BillingJob>,
    private readonly subscriptions: SubscriptionsService,
  ) {}

  onModuleInit(): void {
    this.queue.process(async (job) => {
      if (job?.name === 'refresh-seats') await this.subscriptions.refreshStaleSeats();
    });
    this.timer = setInterval(() => void this.scheduleSeatRefresh().catch(() => undefined), SEAT_REFRESH_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Queues one `refresh-seats` job for the current 6-hour slot: the job id names the slot, so several instances
   * (or a repeat within the slot) add it once, and a failed job never blocks the next slot.
   */
  scheduleSeatRefresh(now = Date.now()): Promise<void> {
    return this.queue.add({ name: 'refresh-seats' }, { jobId: `refresh-seats:${Math.floor(now / SEAT_REFRESH_INTERVAL_MS)}` });
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
