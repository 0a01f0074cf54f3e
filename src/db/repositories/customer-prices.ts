import type { Selectable } from 'kysely';
import type { CustomerPriceRecord, CustomerPriceRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { CustomerPricesTable } from '../schema.js';
import { guardInsert, type Executor } from './shared.js';

/** Most prices one customer's list returns: a bound on one read. */
const MAX_CUSTOMER_PRICES = 10_000;

function fromRow(r: Selectable<CustomerPricesTable>): CustomerPriceRecord {
  return {
    id: asId('customerPrice', r.id),
    customerId: asId('customer', r.customer_id),
    productId: asId('product', r.product_id),
    currency: r.currency,
    unitPriceMinor: r.unit_price_minor,
    validFrom: r.valid_from,
    validTo: r.valid_to,
    createdAt: r.created_at,
  };
}

export function customerPriceRepo(db: Executor, tenantId: TenantId): CustomerPriceRepo {
  return {
    async insert(p) {
      await guardInsert(`customer price ${p.id}`, () =>
        db
          .insertInto('customer_prices')
          .values({
            tenant_id: tenantId,
            id: p.id,
            customer_id: p.customerId,
            product_id: p.productId,
            currency: p.currency,
            unit_price_minor: p.unitPriceMinor,
            valid_from: p.validFrom,
            valid_to: p.validTo,
            created_at: p.createdAt,
          })
          .execute(),
      );
    },

    async listByCustomer(customerId) {
      const rows = await db
        .selectFrom('customer_prices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('customer_id', '=', customerId)
        .orderBy('id')
        .limit(MAX_CUSTOMER_PRICES)
        .execute();
      return rows.map(fromRow);
    },

    async listFor(customerId, currency, productIds) {
      if (productIds.length === 0) return [];
      const rows = await db
        .selectFrom('customer_prices')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('customer_id', '=', customerId)
        .where('currency', '=', currency)
        .where('product_id', 'in', [...productIds])
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    },
  };
}
