import type { Selectable } from 'kysely';
import type { ProductGroupRecord, ProductGroupRepo } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { ProductGroupsTable } from '../schema.js';
import { guardInsert, pageLimit, toPage, type Executor } from './shared.js';

function fromRow(r: Selectable<ProductGroupsTable>): ProductGroupRecord {
  return { id: asId('productGroup', r.id), name: r.name, createdAt: r.created_at };
}

export function productGroupRepo(db: Executor, tenantId: TenantId): ProductGroupRepo {
  return {
    async insert(g) {
      await guardInsert(`product group ${g.id} (name ${g.name})`, () =>
        db.insertInto('product_groups').values({ tenant_id: tenantId, id: g.id, name: g.name, created_at: g.createdAt }).execute(),
      );
    },

    async get(id) {
      const row = await db
        .selectFrom('product_groups')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async list(page) {
      const limit = pageLimit(page);
      let q = db.selectFrom('product_groups').selectAll().where('tenant_id', '=', tenantId);
      if (page.startingAfter !== undefined) q = q.where('id', '>', page.startingAfter);
      const rows = await q.orderBy('id').limit(limit + 1).execute();
      return toPage(rows, limit, fromRow);
    },
  };
}
