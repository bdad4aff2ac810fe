import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { badRequest, modelError, notFound, recordNotFound } from '../common/api-error';
import { uniqueViolation } from '../common/db-errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Namespace } from '../namespaces/entities/namespace.entity';
import { BillingNamespaces } from './billing-namespaces.service';
import { SubscriptionAddOnPurchase } from './entities/subscription-add-on-purchase.entity';
import { AddOnPurchaseParamsDto, NewAddOnPurchaseParamsDto } from './dto/purchases.dto';
import { ADD_ONS } from './plans';

type AddOn = (typeof ADD_ONS)[number];

/** Add-on purchases. */
export interface AddOnTarget {
  ns: Namespace;
  addOn: AddOn;
}

@Injectable()
export class AddOnsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly namespaces: BillingNamespaces,
  ) {}

  /** The namespace and the add-on named in the path (404 for either unknown). */
  async lookup(id: string, addOnName: string): Promise<AddOnTarget> {
    const ns = await this.namespaces.findOrFail(id);
    const addOn = ADD_ONS.find((a) => a.name === addOnName);
    if (!addOn) throw notFound('Subscription Add-on');
    return { ns, addOn };
  }

  private render(ns: Namespace, addOn: AddOn, p: SubscriptionAddOnPurchase) {
    return {
      namespace_id: Number(ns.id),
      namespace_name: ns.name,
      add_on: addOn.title,
      quantity: Number(p.quantity),
      started_on: p.started_at ?? null,
      expires_on: p.expires_on,
      purchase_xid: p.purchase_xid,
      trial: Boolean(p.trial),
    };
  }

  private exists(ns: Namespace, addOn: AddOn) {
    return badRequest(`Add-on purchase for namespace ${ns.name} and add-on ${addOn.title} already exists, update the existing record`);
  }

  /** Model validation, keys in the documented order. */
  private validate(ns: Namespace, p: Partial<SubscriptionAddOnPurchase>): void {
    const errors: Record<string, string[]> = {};
    if (p.expires_on === null || p.expires_on === undefined) errors.expires_on = ["can't be blank"];
    if (this.config.gitlabSaas && !(ns.type === 'Group' && this.namespaces.isRoot(ns))) errors.namespace = ['is invalid'];
    if (p.quantity === null || p.quantity === undefined) errors.quantity = ["can't be blank", 'is not a number'];
    else if (p.quantity < 1) errors.quantity = ['must be greater than or equal to 1'];
    if (p.purchase_xid === null || p.purchase_xid === undefined || p.purchase_xid.trim() === '') errors.purchase_xid = ["can't be blank"];
    else if (p.purchase_xid.length > 255) errors.purchase_xid = ['is too long (maximum is 255 characters)'];
    if (Object.keys(errors).length) throw modelError(errors);
  }

  async create({ ns, addOn }: AddOnTarget, input: NewAddOnPurchaseParamsDto) {
    const { quantity, started_on: startedOn, expires_on: expiresOn, purchase_xid: purchaseXid, trial } = input;
    if (this.config.gitlabSaas && ns.type === 'Group' && !this.namespaces.isRoot(ns))
      throw badRequest(`Namespace ${ns.name} is not a root namespace`);
    try {
      return await this.dataSource.transaction(async (m) => {
        const repo = m.getRepository(SubscriptionAddOnPurchase);
        if (await repo.exists({ where: { namespace_id: ns.id, subscription_add_on_id: addOn.id } })) throw this.exists(ns, addOn);
        const p = repo.create({
          namespace_id: Number(ns.id),
          subscription_add_on_id: addOn.id,
          quantity: quantity as number,
          started_at: startedOn ?? null,
          expires_on: expiresOn as string,
          purchase_xid: purchaseXid as string,
          trial: trial ?? false,
        });
        this.validate(ns, p);
        return this.render(ns, addOn, await repo.save(p));
      });
    } catch (err) {
      if (uniqueViolation(err) !== null) throw this.exists(ns, addOn);
      throw err;
    }
  }

  async get(id: string, addOnName: string) {
    const { ns, addOn } = await this.lookup(id, addOnName);
    const p = await this.dataSource
      .getRepository(SubscriptionAddOnPurchase)
      .findOne({ where: { namespace_id: ns.id, subscription_add_on_id: addOn.id } });
    if (!p) throw recordNotFound();
    return this.render(ns, addOn, p);
  }

  async update({ ns, addOn }: AddOnTarget, input: AddOnPurchaseParamsDto) {
    const { started_on: startedOn, expires_on: expiresOn, quantity, purchase_xid: purchaseXid, trial } = input;
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(SubscriptionAddOnPurchase);
      const p = await repo.findOne({
        where: { namespace_id: ns.id, subscription_add_on_id: addOn.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!p)
        throw badRequest(`Add-on purchase for namespace ${ns.name} and add-on ${addOn.title} does not exist, create a new record instead`);
      if (startedOn != null) p.started_at = startedOn;
      if (expiresOn != null) p.expires_on = expiresOn;
      if (quantity != null) p.quantity = quantity;
      if (purchaseXid != null) p.purchase_xid = purchaseXid;
      if (trial != null) p.trial = trial;
      this.validate(ns, p);
      p.updated_at = new Date();
      return this.render(ns, addOn, await repo.save(p));
    });
  }
}
