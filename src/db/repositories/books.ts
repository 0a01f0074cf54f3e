/**
 * The tenant's bookkeeping settings (fiscal year start, period lock, account-map overrides) and its own
 * chart of accounts (migration 2900). The lock only moves forward: a trigger refuses a move back.
 */
import type { AccountRecord, BooksRepo, BooksSettings } from '../../app/ports.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { DateText, Json } from '../schema.js';
import { toJson, type Executor } from './shared.js';

export interface AccountsTable {
  tenant_id: string;
  account: string;
  name: string;
  active: boolean;
}

type Tables = {
  accounts: AccountsTable;
  tenants: { fiscal_year_start_month: number; books_locked_through: DateText | null; account_map: Json };
};

export function booksRepo(executor: Executor, tenantId: TenantId): BooksRepo {
  const db = executor.withTables<Tables>();
  const select = () =>
    db.selectFrom('tenants').select(['fiscal_year_start_month', 'books_locked_through', 'account_map']).where('id', '=', tenantId);
  const toSettings = (r: { fiscal_year_start_month: number; books_locked_through: DateText | null; account_map: unknown } | undefined): BooksSettings => {
    if (!r) throw new Error(`tenant ${tenantId} is missing`);
    return {
      fiscalYearStartMonth: Number(r.fiscal_year_start_month),
      lockedThrough: r.books_locked_through,
      accountMap: (r.account_map ?? {}) as Record<string, unknown>,
    };
  };
  return {
    async settings() {
      return toSettings(await select().executeTakeFirst());
    },
    async settingsForUpdate() {
      return toSettings(await select().forUpdate().executeTakeFirst());
    },
    async lockThrough(date) {
      await db.updateTable('tenants').set({ books_locked_through: date }).where('id', '=', tenantId).execute();
    },
    async setFiscalYearStartMonth(month) {
      await db.updateTable('tenants').set({ fiscal_year_start_month: month }).where('id', '=', tenantId).execute();
    },
    async setAccountMap(map) {
      await db.updateTable('tenants').set({ account_map: toJson(map) }).where('id', '=', tenantId).execute();
    },
    async accounts(): Promise<AccountRecord[]> {
      const rows = await db.selectFrom('accounts').select(['account', 'name', 'active']).where('tenant_id', '=', tenantId).orderBy('account').execute();
      return rows.map((r) => ({ account: r.account, name: r.name, active: r.active }));
    },
    async upsertAccount(a) {
      await db
        .insertInto('accounts')
        .values({ tenant_id: tenantId, account: a.account, name: a.name, active: a.active })
        .onConflict((oc) => oc.columns(['tenant_id', 'account']).doUpdateSet({ name: a.name, active: a.active }))
        .execute();
    },
  };
}
