import { sql, type Selectable } from 'kysely';
import type { CustomerRecord, CustomerRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { CustomersTable } from '../schema.js';
import { containsPattern, keyset, toKeysetPage, type SortColumns } from './list-query.js';
import { guardInsert, pageLimit, type Executor } from './shared.js';

const SORTS: SortColumns = {
  name: { expr: sql.ref('name'), type: 'text' },
  // the customer number is the id
  number: { expr: sql.ref('id'), type: 'text' },
  created: { expr: sql.ref('created_at'), type: 'timestamptz' },
};

function fromRow(r: Selectable<CustomersTable>): CustomerRecord {
  return {
    id: asId('customer', r.id),
    name: r.name,
    email: r.email,
    country: r.country,
    currency: r.currency,
    orgNumber: r.org_number,
    vatNumber: r.vat_number,
    paymentTermsDays: r.payment_terms_days,
    addressLine1: r.address_line1,
    addressLine2: r.address_line2,
    postalCode: r.postal_code,
    city: r.city,
    customerGroup: r.customer_group,
    creditLimitMinor: r.credit_limit_minor,
    createdAt: r.created_at,
  };
}

export function customerRepo(db: Executor, tenantId: TenantId): CustomerRepo {
  return {
    async insert(c) {
      await guardInsert(`customer ${c.id}`, () =>
        db
          .insertInto('customers')
          .values({
            tenant_id: tenantId,
            id: c.id,
            name: c.name,
            email: c.email,
            country: c.country,
            currency: c.currency,
            org_number: c.orgNumber,
            vat_number: c.vatNumber,
            payment_terms_days: c.paymentTermsDays,
            address_line1: c.addressLine1,
            address_line2: c.addressLine2,
            postal_code: c.postalCode,
            city: c.city,
            customer_group: c.customerGroup,
            credit_limit_minor: c.creditLimitMinor,
            created_at: c.createdAt,
          })
          .execute(),
      );
    },

    async setGroup(id, customerGroup) {
      await db
        .updateTable('customers')
        .set({ customer_group: customerGroup })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },

    async update(id, p) {
      const set = {
        ...(p.name !== undefined ? { name: p.name } : {}),
        ...(p.email !== undefined ? { email: p.email } : {}),
        ...(p.country !== undefined ? { country: p.country } : {}),
        ...(p.orgNumber !== undefined ? { org_number: p.orgNumber } : {}),
        ...(p.vatNumber !== undefined ? { vat_number: p.vatNumber } : {}),
        ...(p.paymentTermsDays !== undefined ? { payment_terms_days: p.paymentTermsDays } : {}),
        ...(p.addressLine1 !== undefined ? { address_line1: p.addressLine1 } : {}),
        ...(p.addressLine2 !== undefined ? { address_line2: p.addressLine2 } : {}),
        ...(p.postalCode !== undefined ? { postal_code: p.postalCode } : {}),
        ...(p.city !== undefined ? { city: p.city } : {}),
        ...(p.customerGroup !== undefined ? { customer_group: p.customerGroup } : {}),
        ...(p.creditLimitMinor !== undefined ? { credit_limit_minor: p.creditLimitMinor } : {}),
      };
      if (Object.keys(set).length === 0) return;
      await db.updateTable('customers').set(set).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    async get(id) {
      const row = await db
        .selectFrom('customers')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async list(page, filter = {}) {
      const limit = pageLimit(page);
      let q = db.selectFrom('customers').selectAll().where('tenant_id', '=', tenantId);
      if (filter.currency !== undefined) q = q.where('currency', '=', filter.currency);
      if (filter.q !== undefined) {
        // the id is the customer number the documents print
        const like = containsPattern(filter.q);
        q = q.where((eb) =>
          eb.or([eb('name', 'ilike', like), eb('id', 'ilike', like), eb('org_number', 'ilike', like), eb('email', 'ilike', like)]),
        );
      }
      const rows = await keyset(q, page, SORTS, 'id').limit(limit + 1).execute();
      return toKeysetPage(rows, limit, page, fromRow);
    },

    async namesOf(ids) {
      if (ids.length === 0) return new Map();
      const rows = await db
        .selectFrom('customers')
        .select(['id', 'name'])
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', [...new Set(ids)])
        .execute();
      return new Map(rows.map((r) => [asId('customer', r.id), r.name]));
    },
  };
}
