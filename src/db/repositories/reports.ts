/**
 * Read-only report queries: the documents of a VAT return and the rows the KPIs are computed from
 * (core/reports/vat-return.ts, core/reports/kpis.ts). Nothing here writes.
 *
 * Timestamps are fetched with a margin of two days around the period: the exact cut by calendar day in
 * the business time zone is made in core, which turns instants into dates.
 */
import { sql } from 'kysely';
import type { ReportsRepo } from '../../app/ports.js';
import { parseRate } from '../../core/money/fx.js';
import { fromDb } from '../../core/money/quantity.js';
import type { CashWeekSum, PipelineStatus, PipelineSum } from '../../core/reports/dashboard.js';
import type { KpiInvoiceRow, KpiOrderRow, KpiQuoteRow } from '../../core/reports/kpis.js';
import type { VatReturnDocument, VatReturnDeduction, VatReturnRow } from '../../core/reports/vat-return.js';
import type { LocalDate } from '../../core/shared/dates.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { VatCategory } from '../../core/tax/vat.js';
import type { Executor } from './shared.js';

const ts = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));
const big = (v: bigint | number | string | null): bigint => (v === null ? 0n : BigInt(v));

interface DocRow {
  kind: 'invoice' | 'credit_note';
  id: string;
  number: string;
  issue_date: string;
  currency: string;
  base_currency: string;
  gross_base_minor: bigint | string;
  vat_base_minor: bigint | string;
}

interface VatRow {
  document_id: string;
  vat_category: string;
  vat_rate: string;
  taxable_minor: bigint | string;
  vat_minor: bigint | string;
}

interface DeductionRow {
  invoice_id: string;
  vat_category: string;
  vat_rate: string;
  net_minor: bigint | string;
  vat_minor: bigint | string;
  advance_rate: string | null;
}

export function reportsRepo(db: Executor, tenantId: TenantId): ReportsRepo {
  const baseCurrency = async (): Promise<string> => {
    const r = await sql<{ base_currency: string }>`select base_currency::text as base_currency from tenants where id = ${tenantId}`.execute(db);
    const row = r.rows[0];
    if (!row) throw new Error(`tenant ${tenantId} is missing`);
    return row.base_currency;
  };
  return {
    baseCurrency,

    async vatDocuments(from, to) {
      // Documents in the base currency contribute their rows exactly: they are summed here into one
      // row per kind (memory stays bounded however many there are). Documents in another currency are
      // returned one by one with their base totals, for core to allocate.
      const base = await baseCurrency();
      const inBase = sql`coalesce(d.base_currency, ${base}) = d.currency`;
      const foreign = sql`coalesce(d.base_currency, ${base}) <> d.currency`;
      const invoicesIn = (which: typeof inBase) => sql`select d.* from invoices d
         where d.tenant_id = ${tenantId} and d.status = 'issued' and d.issue_date between ${from}::date and ${to}::date and ${which}`;
      const notesIn = (which: typeof inBase) => sql`select d.* from credit_notes d
         where d.tenant_id = ${tenantId} and d.status = 'issued' and d.issue_date between ${from}::date and ${to}::date and ${which}`;

      const counts = await sql<{ invoices: bigint | string; credit_notes: bigint | string }>`
        select (select count(*) from (${invoicesIn(inBase)}) x)::bigint as invoices,
               (select count(*) from (${notesIn(inBase)}) x)::bigint as credit_notes`.execute(db);
      const sums = await sql<VatRow>`
        select 'invoice' as document_id, b.vat_category, b.vat_rate::text as vat_rate,
               sum(b.taxable_minor)::bigint as taxable_minor, sum(b.vat_minor)::bigint as vat_minor
          from invoice_vat_breakdown b join (${invoicesIn(inBase)}) i on i.tenant_id = b.tenant_id and i.id = b.invoice_id
         group by b.vat_category, b.vat_rate
        union all
        select 'credit_note', b.vat_category, b.vat_rate::text, sum(b.taxable_minor)::bigint, sum(b.vat_minor)::bigint
          from credit_note_vat_breakdown b join (${notesIn(inBase)}) c on c.tenant_id = b.tenant_id and c.id = b.credit_note_id
         group by b.vat_category, b.vat_rate
         order by 1, 2, 3`.execute(db);
      const deductionSums = await sql<DeductionRow>`
        select 'invoice' as invoice_id, a.vat_category, a.vat_rate::text as vat_rate,
               sum(a.net_minor)::bigint as net_minor, sum(a.vat_minor)::bigint as vat_minor, null::text as advance_rate
          from invoice_advance_deductions a join (${invoicesIn(inBase)}) i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
         group by a.vat_category, a.vat_rate
         order by 2, 3`.execute(db);

      const docs = await sql<DocRow>`
        select 'invoice' as kind, d.id, d.number, d.issue_date::text as issue_date, d.currency::text as currency,
               coalesce(d.base_currency, ${base})::text as base_currency,
               coalesce(d.gross_total_base_minor, d.gross_total_minor)::bigint as gross_base_minor,
               coalesce(d.vat_total_base_minor, d.vat_total_minor)::bigint as vat_base_minor
          from (${invoicesIn(foreign)}) d
        union all
        select 'credit_note', d.id, d.number, d.issue_date::text, d.currency::text,
               coalesce(d.base_currency, ${base})::text,
               coalesce(d.gross_total_base_minor, d.gross_total_minor)::bigint,
               coalesce(d.vat_total_base_minor, d.vat_total_minor)::bigint
          from (${notesIn(foreign)}) d
         order by 4, 1, 3`.execute(db);
      const vatRows = await sql<VatRow>`
        select b.invoice_id as document_id, b.vat_category, b.vat_rate::text as vat_rate, b.taxable_minor, b.vat_minor
          from invoice_vat_breakdown b join (${invoicesIn(foreign)}) i on i.tenant_id = b.tenant_id and i.id = b.invoice_id
        union all
        select b.credit_note_id, b.vat_category, b.vat_rate::text, b.taxable_minor, b.vat_minor
          from credit_note_vat_breakdown b join (${notesIn(foreign)}) c on c.tenant_id = b.tenant_id and c.id = b.credit_note_id
         order by 1, 2, 3`.execute(db);
      const deductionRows = await sql<DeductionRow>`
        select a.invoice_id, a.vat_category, a.vat_rate::text as vat_rate, a.net_minor, a.vat_minor, adv.exchange_rate::text as advance_rate
          from invoice_advance_deductions a
          join (${invoicesIn(foreign)}) i on i.tenant_id = a.tenant_id and i.id = a.invoice_id
          join invoices adv on adv.tenant_id = a.tenant_id and adv.id = a.advance_invoice_id
         order by a.invoice_id, a.line_no`.execute(db);

      const toRow = (r: VatRow): VatReturnRow => ({
        vatCategory: r.vat_category as VatCategory, vatRateScaled: fromDb(r.vat_rate).scaled, taxableMinor: big(r.taxable_minor), vatMinor: big(r.vat_minor),
      });
      const toDeduction = (d: DeductionRow): VatReturnDeduction => ({
        vatCategory: d.vat_category as VatCategory,
        vatRateScaled: fromDb(d.vat_rate).scaled,
        netMinor: big(d.net_minor),
        vatMinor: big(d.vat_minor),
        advanceRateScaled: d.advance_rate === null ? null : parseRate(d.advance_rate, 'exchange_rate'),
      });
      const group = <R, T>(rows: R[], key: (r: R) => string, map: (r: R) => T): Map<string, T[]> => {
        const m = new Map<string, T[]>();
        for (const r of rows) {
          const list = m.get(key(r));
          if (list === undefined) m.set(key(r), [map(r)]);
          else list.push(map(r));
        }
        return m;
      };

      const out: VatReturnDocument[] = [];
      const sumRows = group(sums.rows, (r) => r.document_id, toRow);
      const sumDeductions = group(deductionSums.rows, (r) => r.invoice_id, toDeduction);
      const count = counts.rows[0];
      for (const kind of ['invoice', 'credit_note'] as const) {
        const n = Number(big((kind === 'invoice' ? count?.invoices : count?.credit_notes) ?? null));
        if (n === 0) continue;
        const rows = sumRows.get(kind) ?? [];
        out.push({
          kind,
          id: `${kind}s_in_${base}`,
          number: `${n} ${kind === 'invoice' ? 'invoice(s)' : 'credit note(s)'} in ${base}`,
          documentDate: from,
          currency: base,
          baseCurrency: base,
          netBaseMinor: rows.reduce((a, r) => a + r.taxableMinor, 0n),
          vatBaseMinor: rows.reduce((a, r) => a + r.vatMinor, 0n),
          rows,
          deductions: sumDeductions.get(kind) ?? [],
          documentCount: n,
        });
      }
      const rowsOf = group(vatRows.rows, (r) => r.document_id, toRow);
      const deductionsOf = group(deductionRows.rows, (r) => r.invoice_id, toDeduction);
      for (const d of docs.rows) {
        const grossBase = big(d.gross_base_minor);
        const vatBase = big(d.vat_base_minor);
        out.push({
          kind: d.kind,
          id: d.id,
          number: d.number,
          documentDate: d.issue_date,
          currency: d.currency,
          baseCurrency: d.base_currency,
          netBaseMinor: grossBase - vatBase,
          vatBaseMinor: vatBase,
          rows: rowsOf.get(d.id) ?? [],
          deductions: deductionsOf.get(d.id) ?? [],
        });
      }
      return out;
    },

    async kpiQuotes(from, to) {
      const r = await sql<{ root_id: string; first_sent_at: Date | string | null; accepted_at: Date | string | null; declined_at: Date | string | null; expired_at: Date | string | null }>`
        select g.root_id, g.first_sent_at, g.accepted_at, l.declined_at, l.expired_at
          from (select root_id, min(sent_at) as first_sent_at, max(accepted_at) as accepted_at
                  from quotes where tenant_id = ${tenantId} group by root_id) g
          left join lateral (select q.declined_at, q.expired_at from quotes q
                              where q.tenant_id = ${tenantId} and q.root_id = g.root_id and q.sent_at is not null
                              order by q.version desc limit 1) l on true
         where g.first_sent_at >= (${from}::date - 2)::timestamptz and g.first_sent_at < (${to}::date + 3)::timestamptz
         order by g.root_id`.execute(db);
      return r.rows.map((q): KpiQuoteRow => ({
        rootId: q.root_id,
        firstSentAt: ts(q.first_sent_at),
        acceptedAt: ts(q.accepted_at),
        declinedAt: ts(q.declined_at),
        expiredAt: ts(q.expired_at),
      }));
    },

    async kpiOrders(from, to) {
      const r = await sql<{ order_id: string; quote_first_sent_at: Date | string | null; accepted_at: Date | string | null; first_delivered_at: Date | string | null; first_invoiced_on: string | null }>`
        select * from (
          select o.id as order_id,
                 (select min(v.sent_at) from quotes v where v.tenant_id = o.tenant_id and v.root_id = q.root_id) as quote_first_sent_at,
                 q.accepted_at,
                 (select min(d.delivered_at) from deliveries d
                   where d.tenant_id = o.tenant_id and d.order_id = o.id and d.status = 'delivered') as first_delivered_at,
                 (select min(i.issue_date)::text from invoices i
                   where i.tenant_id = o.tenant_id and i.order_id = o.id and i.status = 'issued' and i.kind = 'standard') as first_invoiced_on
            from orders o join quotes q on q.tenant_id = o.tenant_id and q.id = o.quote_id
           where o.tenant_id = ${tenantId}) x
         where (x.accepted_at >= (${from}::date - 2)::timestamptz and x.accepted_at < (${to}::date + 3)::timestamptz)
            or (x.first_delivered_at >= (${from}::date - 2)::timestamptz and x.first_delivered_at < (${to}::date + 3)::timestamptz)
            or (x.first_invoiced_on::date between ${from}::date and ${to}::date)
         order by x.order_id`.execute(db);
      return r.rows.map((o): KpiOrderRow => ({
        orderId: o.order_id,
        quoteFirstSentAt: ts(o.quote_first_sent_at),
        acceptedAt: ts(o.accepted_at),
        firstDeliveredAt: ts(o.first_delivered_at),
        firstInvoicedOn: o.first_invoiced_on,
      }));
    },

    async kpiInvoices(from, to) {
      // settled invoices only: one a bad-debt write-off took part of (migration 3040) was not paid
      const r = await sql<{ invoice_id: string; issue_date: string; paid_on: string }>`
        select * from (
          select oi.invoice_id, i.issue_date::text as issue_date,
                 (select max(a.applied_on)::text from payment_allocations a
                   where a.tenant_id = oi.tenant_id and a.open_item_id = oi.id and a.reversed_on is null) as paid_on
            from ar_open_items oi join invoices i on i.tenant_id = oi.tenant_id and i.id = oi.invoice_id
           where oi.tenant_id = ${tenantId} and oi.open_minor = 0 and oi.written_off_minor = 0) x
         where x.paid_on::date between ${from}::date and ${to}::date
         order by x.invoice_id`.execute(db);
      return r.rows.map((i): KpiInvoiceRow => ({ invoiceId: i.invoice_id, issueDate: i.issue_date, paidOn: i.paid_on }));
    },

    async receivablesAsOf(asOf: LocalDate) {
      // As open-items.ts listOpen({asOf}): issued by then, less what was applied by then (with write-offs
      // and bank fees; not what was reversed by then), what credit notes issued by then took off and the
      // bad debts written off by then (migration 3040). The
      // base value is the item's base original prorated by what is open (half up).
      const r = await sql<{ ar_minor: bigint | string | null; current_minor: bigint | string | null }>`
        with open_as_of as (
          select oi.due_date, oi.original_minor, oi.base_original_minor,
                 (oi.original_minor - coalesce((
                    select sum(a.amount_minor + a.write_off_minor + a.bank_fee_minor) from payment_allocations a
                     where a.tenant_id = oi.tenant_id and a.open_item_id = oi.id and a.applied_on <= ${asOf}::date
                       and (a.reversed_on is null or a.reversed_on > ${asOf}::date)), 0)
                  - coalesce((
                    select sum(cn.receivable_minor) from credit_notes cn
                     where cn.tenant_id = oi.tenant_id and cn.invoice_id = oi.invoice_id and cn.status = 'issued'
                       and cn.issue_date <= ${asOf}::date), 0)
                  - coalesce((
                    select sum(w.amount_minor) from bad_debt_write_offs w
                     where w.tenant_id = oi.tenant_id and w.open_item_id = oi.id and w.written_off_on <= ${asOf}::date), 0)) as open_minor
            from ar_open_items oi
           where oi.tenant_id = ${tenantId} and oi.document_date <= ${asOf}::date),
        based as (
          select due_date,
                 case when open_minor = original_minor then base_original_minor
                      else round(base_original_minor::numeric * open_minor / original_minor) end as base_open
            from open_as_of where open_minor > 0)
        select coalesce(sum(base_open), 0)::bigint as ar_minor,
               coalesce(sum(base_open) filter (where due_date > ${asOf}::date), 0)::bigint as current_minor
          from based`.execute(db);
      const row = r.rows[0];
      return { arMinor: big(row?.ar_minor ?? null), currentArMinor: big(row?.current_minor ?? null) };
    },

    async creditSales(from, to) {
      const r = await sql<{ invoiced: bigint | string | null; credited: bigint | string | null }>`
        select
          (select coalesce(sum(oi.base_original_minor), 0)::bigint from ar_open_items oi
            where oi.tenant_id = ${tenantId} and oi.document_date between ${from}::date and ${to}::date) as invoiced,
          (select coalesce(sum(case when cn.gross_total_base_minor is null then cn.receivable_minor
                                    else round(cn.gross_total_base_minor::numeric * cn.receivable_minor / cn.gross_total_minor) end), 0)::bigint
             from credit_notes cn
            where cn.tenant_id = ${tenantId} and cn.status = 'issued' and cn.issue_date between ${from}::date and ${to}::date) as credited`.execute(db);
      const row = r.rows[0];
      return big(row?.invoiced ?? null) - big(row?.credited ?? null);
    },

    async dashboardPipeline(decidedSince, timeZone) {
      // one row per quote: its newest version (a revision in draft stands for the quote even while the
      // sent version it will replace can still be accepted); a decided quote counts while its decision
      // is recent, an open one always
      const decidedOn = (col: string) => sql`(${sql.ref(col)} at time zone ${timeZone})::date >= ${decidedSince}::date`;
      const r = await sql<{ status: PipelineStatus; currency: string; count: bigint | string; net_minor: bigint | string }>`
        select q.status, q.currency::text as currency, count(*)::bigint as count, sum(q.net_total_minor)::bigint as net_minor
          from (select distinct on (root_id) * from quotes where tenant_id = ${tenantId} order by root_id, version desc) q
         where (q.status in ('draft', 'awaiting_approval', 'approved', 'sent')
                or (q.status = 'accepted' and ${decidedOn('q.accepted_at')})
                or (q.status = 'declined' and ${decidedOn('q.declined_at')})
                or (q.status = 'expired' and coalesce(${decidedOn('q.expired_at')}, q.valid_until >= ${decidedSince}::date)))
         group by q.status, q.currency`.execute(db);
      return r.rows.map((row): PipelineSum => ({ status: row.status, currency: row.currency, count: Number(row.count), netMinor: big(row.net_minor) }));
    },

    async cashReceivedByWeek(from, to) {
      const r = await sql<{ week_start: string; currency: string; count: bigint | string; amount_minor: bigint | string }>`
        select date_trunc('week', p.received_on)::date::text as week_start, p.currency::text as currency,
               count(*)::bigint as count, sum(p.amount_minor)::bigint as amount_minor
          from payments p
         where p.tenant_id = ${tenantId} and p.received_on between ${from}::date and ${to}::date
         group by 1, 2`.execute(db);
      return r.rows.map((row): CashWeekSum => ({ weekStart: row.week_start, currency: row.currency, count: Number(row.count), amountMinor: big(row.amount_minor) }));
    },

    async dashboardQueues(today) {
      const counts = await sql<{ quotes: bigint | string; orders: bigint | string; claims: bigint | string; bank: bigint | string }>`
        select (select count(*) from quotes where tenant_id = ${tenantId} and status = 'awaiting_approval')::bigint as quotes,
               (select count(*) from orders where tenant_id = ${tenantId} and status = 'on_hold')::bigint as orders,
               (select count(*) from claims where tenant_id = ${tenantId} and status = 'open')::bigint as claims,
               (select count(*) from bank_transactions where tenant_id = ${tenantId} and status = 'unmatched')::bigint as bank`.execute(db);
      const overdue = await sql<{ currency: string; count: bigint | string; open_minor: bigint | string }>`
        select oi.currency::text as currency, count(*)::bigint as count, sum(oi.open_minor)::bigint as open_minor
          from ar_open_items oi
         where oi.tenant_id = ${tenantId} and oi.open_minor > 0 and oi.due_date < ${today}::date
         group by oi.currency order by oi.currency`.execute(db);
      const c = counts.rows[0];
      return {
        quotesAwaitingApproval: Number(c?.quotes ?? 0),
        ordersOnHold: Number(c?.orders ?? 0),
        claimsOpen: Number(c?.claims ?? 0),
        bankLinesToReview: Number(c?.bank ?? 0),
        overdueInvoices: overdue.rows.map((o) => ({ currency: o.currency, count: Number(o.count), openMinor: big(o.open_minor) })),
      };
    },
  };
}
