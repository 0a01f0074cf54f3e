/**
 * AR aging benchmark (issue 7): the aging as of a past date over 1,000,000 open items of 10,000
 * customers, on PostgreSQL (TEST_DATABASE_URL or DATABASE_URL) and on PGlite (in memory).
 *
 * Setup that is not measured goes around the application on purpose: customers, issued invoices,
 * their open items, and for every fifth item a payment and an allocation of half of it (applied on
 * dates on both sides of the as-of date) are inserted with INSERT … SELECT over generate_series (no
 * journal entries: the data exists to be aged). Every tenth item is in EUR at 11 SEK/EUR. Due dates
 * spread over 400 days, so every bucket fills.
 *
 * Measured: `agingReport` (src/app/reports/aging.ts) as the API runs it, in one read transaction:
 * keyset pages of 5,000 items with each item's open amount as of the date computed in SQL (allocations
 * applied by then and not reversed, credit notes issued by then), summed into per-customer, per-currency
 * buckets. Run twice: at 100,000 items and again at 1,000,000, to show that memory does not grow with
 * items. Peak RSS and heap are sampled every 50 ms and after every page; heap is also read after a
 * forced GC with the report still held. The **raw baseline** of the same run is the same rule as one
 * SQL aggregate (GROUP BY customer, currency, bucket) done entirely in the database.
 *
 * Run alone with `npx tsx bench/aging.bench.ts`, or with every benchmark via `npm run bench`.
 * AGING_BENCH_ITEMS overrides the item count (e.g. a smaller one for a quick check).
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { Chain } from '../src/app/demo/chain.js';
import { agingReport } from '../src/app/reports/aging.js';
import { fixedClock } from '../src/app/shared/clock.js';
import type { AppDeps } from '../src/app/shared/env.js';
import { createIdGenerator } from '../src/app/shared/ids.js';
import { BAS_DEFAULTS } from '../src/core/ledger/accounts.js';
import type { TenantId } from '../src/core/shared/ids.js';
import { onEachTarget, seedTenant, type BenchDb } from './databases.js';
import { forceGc, load, machine, memorySampler } from './support.js';

export const ITEMS = Number(process.env.AGING_BENCH_ITEMS ?? 1_000_000);
export const CUSTOMERS = 10_000;
const FIRST_STAGE = Math.min(100_000, ITEMS);
const AS_OF = '2026-11-15';
const CHUNK = 100_000;

/** Inserts items from..to (1-based, inclusive): invoices, open items, and every fifth a half payment. */
async function seedItems(b: BenchDb, tenantId: TenantId, orderId: string, from: number, to: number): Promise<void> {
  const k = b.kysely;
  for (let lo = from; lo <= to; lo += CHUNK) {
    const hi = Math.min(to, lo + CHUNK - 1);
    // g: item number; d: issue date (0-399 days before 2026-12-04); amount 100.00-99,999.00
    const gen = sql`
      select g, 'cus_a' || lpad((g % ${CUSTOMERS}::int)::text, 5, '0') as customer_id,
             case when g % 10 = 0 then 'EUR' else 'SEK' end as currency,
             case when g % 10 = 0 then 11 else 1 end as rate,
             (date '2026-12-04' - (g % 400))::date as d,
             (10000 + (g::bigint * 7919) % 9989900)::bigint as amount
        from generate_series(${lo}::int, ${hi}::int) g`;
    // The invoice rows exist for the open items' foreign key; aging never reads them. They go in as drafts
    // because an issued invoice is sealed into the audit hash chain by a per-row trigger (migration 2910),
    // which would make this bulk load take hours and is not what is measured.
    await sql`
      insert into invoices (tenant_id, id, series, status, order_id, customer_id, currency,
                            payment_terms_days, net_total_minor, vat_total_minor, gross_total_minor, buyer)
      select ${tenantId}, 'inv_a' || lpad(g::text, 7, '0'), 'AGE', 'draft', ${orderId}, customer_id, currency,
             30, amount, 0, amount, '{"name":"x"}'::jsonb
        from (${gen}) x`.execute(k);
    await sql`
      insert into ar_open_items (tenant_id, id, customer_id, invoice_id, currency, document_date, due_date, original_minor, open_minor,
                                 base_original_minor, base_open_minor)
      select ${tenantId}, 'oi_a' || lpad(g::text, 7, '0'), customer_id, 'inv_a' || lpad(g::text, 7, '0'), currency, d, d + 30,
             amount, case when g % 5 = 0 then amount - amount / 2 else amount end,
             amount * rate, case when g % 5 = 0 then (amount - amount / 2) * rate else amount * rate end
        from (${gen}) x`.execute(k);
    await sql`
      insert into payments (tenant_id, id, customer_id, currency, amount_minor, unapplied_minor, received_on,
                            exchange_rate, base_currency, base_amount_minor, base_unapplied_minor)
      select ${tenantId}, 'pay_a' || lpad(g::text, 7, '0'), customer_id, currency, amount / 2, 0, least(d + (g % 60), date '2026-12-04'),
             rate, 'SEK', amount / 2 * rate, 0
        from (${gen}) x where g % 5 = 0`.execute(k);
    await sql`
      insert into payment_allocations (tenant_id, id, payment_id, open_item_id, invoice_id, amount_minor, applied_on,
                                       base_amount_minor, base_open_minor, fx_difference_minor)
      select ${tenantId}, 'alc_a' || lpad(g::text, 7, '0'), 'pay_a' || lpad(g::text, 7, '0'), 'oi_a' || lpad(g::text, 7, '0'),
             'inv_a' || lpad(g::text, 7, '0'), amount / 2, least(d + (g % 60), date '2026-12-04'), amount / 2 * rate, amount / 2 * rate, 0
        from (${gen}) x where g % 5 = 0`.execute(k);
  }
  await sql`analyze invoices, ar_open_items, payments, payment_allocations`.execute(k);
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);

async function measure(b: BenchDb, deps: AppDeps, tenantId: TenantId, items: number): Promise<void> {
  const gc = forceGc();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const mem = memorySampler();
  const t0 = performance.now();
  const report = await deps.db.transaction(tenantId, (s) => agingReport(s, AS_OF, { limits: [30, 60, 90], onPage: () => mem.sample() }));
  const t1 = performance.now();
  const peak = mem.stop();
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const secs = (t1 - t0) / 1000;
  console.log(
    `    ${items.toLocaleString('en')} items (${report.itemCount.toLocaleString('en')} issued by then): aging as of ${AS_OF} in ${secs.toFixed(1)} s = ${Math.round(report.itemCount / secs).toLocaleString('en')} items/s; ` +
      `${report.rows.length.toLocaleString('en')} customer×currency rows; base total ${report.baseTotal.totalMinor} öre`,
  );
  console.log(
    `      peak RSS ${peak.rssMb.toFixed(0)} MB, peak heap ${peak.heapMb.toFixed(0)} MB; heap after GC ${gc ? `${mb(heapBefore)} MB before → ${mb(heapAfter)} MB after (report held)` : 'n/a (no GC exposed)'}`,
  );
  const issued = await sql<{ n: string }>`select count(*)::text as n from ar_open_items where tenant_id = ${tenantId} and document_date <= ${AS_OF}::date`.execute(b.kysely);
  if (BigInt(report.itemCount) !== BigInt(issued.rows[0]?.n ?? '-1')) throw new Error(`aged ${report.itemCount} items, expected ${issued.rows[0]?.n}`);

  // raw baseline: the same rule as one aggregate in the database
  const r0 = performance.now();
  const raw = await sql<{ total: string }>`
    with aged as (
      select oi.customer_id, oi.currency, ${AS_OF}::date - oi.due_date as days,
             oi.base_original_minor - coalesce(a.base, 0) as base_open
        from ar_open_items oi
        left join lateral (
          select sum(pa.base_open_minor + pa.write_off_base_minor + pa.bank_fee_base_minor) as base
            from payment_allocations pa
           where pa.tenant_id = oi.tenant_id and pa.invoice_id = oi.invoice_id and pa.open_item_id = oi.id
             and pa.applied_on <= ${AS_OF}::date and (pa.reversed_on is null or pa.reversed_on > ${AS_OF}::date)
        ) a on true
       where oi.tenant_id = ${tenantId} and oi.document_date <= ${AS_OF}::date
    )
    select sum(s)::text as total from (
      select customer_id, currency, width_bucket(days, array[1, 31, 61, 91]) as bucket, sum(base_open) as s
        from aged group by 1, 2, 3
    ) g`.execute(b.kysely);
  const r1 = performance.now();
  const rawTotal = BigInt(raw.rows[0]?.total ?? '0');
  console.log(`      raw baseline (one SQL aggregate, no credit-note lookup): ${((r1 - r0) / 1000).toFixed(1)} s; base total ${rawTotal} öre${rawTotal === report.baseTotal.totalMinor ? ' (same)' : ' (DIFFERS)'}`);
}

async function benchDatabase(b: BenchDb): Promise<void> {
  console.log(`  ${b.label}`);
  const tenantId = await seedTenant(b.db);
  const deps: AppDeps = { db: b.db, clock: fixedClock(new Date('2026-12-04T10:00:00Z')), ids: createIdGenerator(), accounts: BAS_DEFAULTS, secrets: { pepper: 'bench-pepper-not-secret-0123456789abcdef' } };
  const chain = new Chain(deps, tenantId);
  const customer = await chain.customer({ name: 'Ordrekund AB' });
  const product = await chain.product('AGE-1', 'Vara', '100.00', 'standard');
  const order = await chain.confirm(await chain.accept(await chain.send(await chain.quote(customer.id, [{ productId: product.id, quantity: '1' }]))));
  await sql`
    insert into customers (tenant_id, id, name, country, currency, payment_terms_days)
    select ${tenantId}, 'cus_a' || lpad(g::text, 5, '0'), 'Kund ' || g || ' AB', 'SE', 'SEK', 30
      from generate_series(0, ${CUSTOMERS - 1}::int) g`.execute(b.kysely);

  let seeded = 0;
  for (const stage of [FIRST_STAGE, ITEMS]) {
    if (stage <= seeded) continue;
    const s0 = performance.now();
    await seedItems(b, tenantId, order.id, seeded + 1, stage);
    console.log(`    seeded items ${(seeded + 1).toLocaleString('en')}–${stage.toLocaleString('en')} in ${((performance.now() - s0) / 1000).toFixed(1)} s (not measured)`);
    seeded = stage;
    await measure(b, deps, tenantId, stage);
  }
}

export default async function run(): Promise<void> {
  const started = performance.now();
  console.log(`AR aging: ${ITEMS.toLocaleString('en')} open items of ${CUSTOMERS.toLocaleString('en')} customers, as of ${AS_OF}, buckets 30,60,90`);
  console.log(`  machine        ${machine()}`);
  // PostgreSQL first: it is the target the issue names
  await onEachTarget(benchDatabase, { reverse: true, continueOnError: true });
  console.log(`  ${load()}`);
  console.log(`  took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
