/**
 * Invoicing benchmark, on PGlite (in memory) and, when TEST_DATABASE_URL or DATABASE_URL is set, on
 * PostgreSQL (in a throw-away schema that is dropped afterwards).
 *
 * (a) Invoices of 10 lines, each drafted and issued through the use cases (createInvoice and
 *     issueInvoice, one transaction each, as the API runs them), next to the raw-database baseline
 *     measured in the same run: the same rows (invoice header, 10 lines, VAT rows, journal entry and
 *     its lines, open item) inserted directly with Kysely, one transaction per invoice. The ratio is
 *     what the application costs on top of writing its rows.
 * (b) One invoice of 1,000 lines and one of 10,000 lines, each created and issued (timed
 *     separately); for linear growth the 10k / 1k ratio is ≈ 10.
 *
 * Setup that is not being measured goes around the application on purpose: deliveries are recorded
 * by raising the order lines' delivered quantity with one UPDATE, and the big orders are one small
 * order made through the app whose lines are copied with INSERT … SELECT generate_series.
 *
 * Run alone with `npx tsx bench/invoicing.bench.ts`, or with every benchmark via `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { Chain } from '../src/app/demo/chain.js';
import { createInvoice } from '../src/app/invoicing/create-invoice.js';
import { issueInvoice } from '../src/app/invoicing/issue-invoice.js';
import type { OrderRecord } from '../src/app/ports.js';
import { fixedClock } from '../src/app/shared/clock.js';
import type { AppDeps } from '../src/app/shared/env.js';
import { createIdGenerator } from '../src/app/shared/ids.js';
import { BAS_DEFAULTS } from '../src/core/ledger/accounts.js';
import type { InvoiceId, OrderId, TenantId } from '../src/core/shared/ids.js';
import type { DB } from '../src/db/schema.js';
import { onEachTarget, seedTenant, type BenchDb } from './databases.js';
import { load, machine, summary } from './support.js';

/** 10-line invoices per database: warm-up first, then the measured ones (app and raw alike). */
export const WARMUP = 10;
export const INVOICES = 100;
export const LINES_PER_INVOICE = 10;
/** Big invoices: the time should grow linearly with the number of lines. */
export const BIG = [1_000, 4_000, 10_000] as const;

/** A confirmed order of `lines` lines (three products, VAT 25 %, 12 %, 6 %), each line `quantity` units. */
async function bigOrder(chain: Chain, k: Kysely<DB>, lines: number, quantity: number, tag: string): Promise<OrderRecord> {
  const customer = await chain.customer({ name: `Mätkund ${tag} AB` });
  const products = [
    await chain.product(`B-${tag}-25`, 'Vara', '149.90', 'standard'),
    await chain.product(`B-${tag}-12`, 'Livsmedel', '39.50', 'reduced_12'),
    await chain.product(`B-${tag}-6`, 'Bok', '249.00', 'reduced_6'),
  ];
  const templates = Math.min(lines, products.length);
  const quote = await chain.quote(
    customer.id,
    products.slice(0, templates).map((p) => ({ productId: p.id, quantity: String(quantity) })),
  );
  const order = await chain.confirm(await chain.accept(await chain.send(quote)));
  if (lines > templates) {
    const cols = (
      await sql<{ column_name: string }>`
        select column_name from information_schema.columns
         where table_schema = current_schema() and table_name = 'order_lines' order by ordinal_position`.execute(k)
    ).rows.map((r) => r.column_name);
    const select = cols.map((c) => (c === 'line_no' ? sql`g` : sql.ref(`ol.${c}`)));
    await sql`
      insert into order_lines (${sql.join(cols.map((c) => sql.id(c)))})
      select ${sql.join(select)}
        from order_lines ol, generate_series(${templates + 1}::int, ${lines}::int) g
       where ol.tenant_id = ${chain.tenantId} and ol.order_id = ${order.id} and ol.line_no = ((g - 1) % ${templates}) + 1`.execute(k);
  }
  return order;
}

/** Records `quantity` more units of every line of the order as delivered (one UPDATE, no delivery notes). */
async function markDelivered(k: Kysely<DB>, tenantId: TenantId, orderId: OrderId, quantity: number): Promise<void> {
  await sql`
    update order_lines
       set quantity_allocated = quantity_allocated + ${quantity}, quantity_shipped = quantity_shipped + ${quantity},
           quantity_delivered = quantity_delivered + ${quantity}
     where tenant_id = ${tenantId} and order_id = ${orderId}`.execute(k);
}

/** Drafts and issues an invoice of whatever is delivered and not yet invoiced; returns ms for each step. */
async function createAndIssue(chain: Chain, orderId: OrderId): Promise<{ create: number; issue: number; id: InvoiceId }> {
  const t0 = performance.now();
  const draft = await chain.run((s, env) => createInvoice(s, env, { orderId }));
  const t1 = performance.now();
  await chain.run((s, env) => issueInvoice(s, env, draft.id));
  const t2 = performance.now();
  return { create: t1 - t0, issue: t2 - t1, id: draft.id };
}

type AnyRow = Record<string, unknown>;

/** A row read back, made insertable again: jsonb objects as JSON text. */
const insertable = (row: AnyRow, changes: AnyRow): AnyRow => {
  const out: AnyRow = {};
  for (const [key, v] of Object.entries({ ...row, ...changes })) {
    out[key] = v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
  }
  return out;
};

/** Every row issuing wrote for one invoice, to be copied by the raw baseline. */
async function rowsOf(k: Kysely<DB>, invoiceId: string) {
  const entries = await k.selectFrom('journal_entries').selectAll().where('source_id', '=', invoiceId).execute();
  if (entries.length !== 1) throw new Error(`expected one journal entry for ${invoiceId}, found ${entries.length}`);
  return {
    invoice: await k.selectFrom('invoices').selectAll().where('id', '=', invoiceId).executeTakeFirstOrThrow(),
    lines: await k.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', invoiceId).execute(),
    vat: await k.selectFrom('invoice_vat_breakdown').selectAll().where('invoice_id', '=', invoiceId).execute(),
    entry: entries[0]!,
    journalLines: await k.selectFrom('journal_lines').selectAll().where('entry_id', '=', entries[0]!.id).execute(),
    openItem: await k.selectFrom('ar_open_items').selectAll().where('invoice_id', '=', invoiceId).executeTakeFirstOrThrow(),
  };
}

/** The raw baseline: the same rows as one issued invoice, inserted directly, one transaction each. */
async function rawInsert(k: Kysely<DB>, rows: Awaited<ReturnType<typeof rowsOf>>, i: number): Promise<void> {
  const invoiceId = `inv_raw_${i}`;
  const entryId = `je_raw_${i}`;
  await k.transaction().execute(async (trx) => {
    /* eslint-disable @typescript-eslint/no-explicit-any -- generic row copies of the tables' own rows */
    await trx.insertInto('invoices').values(insertable(rows.invoice, { id: invoiceId, series: 'RAW', number: `RAW-${i}`, payment_reference: `RAW${i}` }) as any).execute();
    await trx.insertInto('invoice_lines').values(rows.lines.map((l) => insertable(l, { invoice_id: invoiceId })) as any).execute();
    await trx.insertInto('invoice_vat_breakdown').values(rows.vat.map((v) => insertable(v, { invoice_id: invoiceId })) as any).execute();
    await trx.insertInto('journal_entries').values(insertable(rows.entry, { id: entryId, series: 'RAW', number: i, source_id: invoiceId }) as any).execute();
    await trx.insertInto('journal_lines').values(rows.journalLines.map((l) => insertable(l, { entry_id: entryId })) as any).execute();
    await trx.insertInto('ar_open_items').values(insertable(rows.openItem, { id: `oit_raw_${i}`, invoice_id: invoiceId }) as any).execute();
    /* eslint-enable @typescript-eslint/no-explicit-any */
  });
}

const perSecond = (count: number, ms: number) => (count / ms) * 1000;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function benchDatabase(b: BenchDb): Promise<void> {
  const tenantId = await seedTenant(b.db);
  const deps: AppDeps = { db: b.db, clock: fixedClock(new Date('2026-12-04T10:00:00Z')), ids: createIdGenerator(), accounts: BAS_DEFAULTS, secrets: { pepper: 'bench-pepper-not-secret-0123456789abcdef' } };
  const chain = new Chain(deps, tenantId);
  console.log(`\n  ${b.label}`);

  // (a) 10-line invoices: app, then the raw baseline with the same rows
  const order = await bigOrder(chain, b.kysely, LINES_PER_INVOICE, WARMUP + INVOICES, 'a');
  let sample: InvoiceId | undefined;
  const appTimes: number[] = [];
  for (let i = 0; i < WARMUP + INVOICES; i++) {
    await markDelivered(b.kysely, tenantId, order.id, 1);
    const r = await createAndIssue(chain, order.id);
    sample ??= r.id;
    if (i >= WARMUP) appTimes.push(r.create + r.issue);
  }
  const rows = await rowsOf(b.kysely, sample!);
  if (rows.lines.length !== LINES_PER_INVOICE) throw new Error(`expected ${LINES_PER_INVOICE} lines, got ${rows.lines.length}`);
  const rawTimes: number[] = [];
  for (let i = 0; i < WARMUP + INVOICES; i++) {
    const t0 = performance.now();
    await rawInsert(b.kysely, rows, i + 1);
    if (i >= WARMUP) rawTimes.push(performance.now() - t0);
  }
  const appTotal = appTimes.reduce((a, x) => a + x, 0);
  const rawTotal = rawTimes.reduce((a, x) => a + x, 0);
  const appRate = perSecond(INVOICES, appTotal);
  const rawRate = perSecond(INVOICES, rawTotal);
  console.log(
    `  (a) ${INVOICES} invoices of ${LINES_PER_INVOICE} lines (${rows.vat.length} VAT rows, ${rows.journalLines.length} journal lines), after ${WARMUP} warm-up, one at a time`,
  );
  console.log(`      app  create + issue   ${fmt(appRate, 1)} invoices/s   median ${summary(appTimes).median.toFixed(2)} ms per invoice`);
  console.log(`      raw  same rows        ${fmt(rawRate, 1)} invoices/s   median ${summary(rawTimes).median.toFixed(2)} ms per invoice`);
  console.log(`      ratio raw / app       ${(rawRate / appRate).toFixed(1)} × (the app writes audit and outbox rows, locks and reads too)`);

  // (b) one big invoice each, created and issued
  const big: { lines: number; create: number; issue: number }[] = [];
  for (const lines of BIG) {
    const o = await bigOrder(chain, b.kysely, lines, 1, `b${lines}`);
    await markDelivered(b.kysely, tenantId, o.id, 1);
    let r: Awaited<ReturnType<typeof createAndIssue>>;
    try {
      r = await createAndIssue(chain, o.id);
    } catch (error) {
      console.log(`  (b) ${fmt(lines).padStart(6)} lines   FAILED: ${(error as Error).message}`);
      continue;
    }
    const inv = await b.db.store(tenantId).invoices.get(r.id);
    if (inv?.lines.length !== lines || inv.status !== 'issued') throw new Error(`the ${lines}-line invoice was not issued whole`);
    big.push({ lines, create: r.create, issue: r.issue });
    const total = r.create + r.issue;
    console.log(
      `  (b) ${fmt(lines).padStart(6)} lines   create ${fmt(r.create)} ms + issue ${fmt(r.issue)} ms = ${fmt(total)} ms   (${fmt(total / lines, 3)} ms per line)`,
    );
  }
  const base = big.find((x) => x.lines === BIG[0]);
  for (const x of big) {
    if (base === undefined || x === base) continue;
    const ratio = (f: (y: typeof x) => number) => (f(x) / f(base)).toFixed(1);
    console.log(
      `      ratio ${fmt(x.lines)} / ${fmt(base.lines)} lines: total ${ratio((y) => y.create + y.issue)} (create ${ratio((y) => y.create)}, issue ${ratio((y) => y.issue)}); linear ≈ ${x.lines / base.lines}`,
    );
  }
}

export default async function run(): Promise<void> {
  const started = performance.now();
  console.log('invoicing: create + issue through the use cases, next to raw inserts of the same rows');
  console.log(`  machine        ${machine()}`);
  await onEachTarget(benchDatabase);
  console.log(`  ${load()}`);
  console.log(`  took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
