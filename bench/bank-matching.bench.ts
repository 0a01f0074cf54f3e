/**
 * Cash application benchmark (issue 6), on PGlite (in memory) and, when TEST_DATABASE_URL or
 * DATABASE_URL is set, on PostgreSQL: 10,000 bank lines matched and applied against 100,000 open
 * invoices of 10,000 customers.
 *
 * Setup that is not measured goes around the application on purpose: the customers, the issued
 * invoices and their open items are inserted with INSERT … SELECT / VALUES (no journal entries, so
 * the ledger invariants do not hold for this data; it exists to be matched). The bank file is a
 * BgMax file built in memory: 9,000 payments citing a valid OCR reference, 500 citing the invoice
 * number in free text, 500 with no reference from a payer whose account is learned.
 *
 * Measured: importBankStatements on the whole file in one transaction, as the API and CLI run it —
 * read, store, load the open items, match, and for every line decided automatically create the
 * payment, apply it and post both journal entries — and, separately, the pure matching step on the
 * same data (matchBatch on an index of 100,000 items). Peak RSS and heap are sampled every 50 ms.
 *
 * Run alone with `npx tsx bench/bank-matching.bench.ts`, or with every benchmark via `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { importBankStatements, sha256 } from '../src/app/bank/import-statements.js';
import { fixedClock } from '../src/app/shared/clock.js';
import { envFor, type AppDeps } from '../src/app/shared/env.js';
import { createIdGenerator } from '../src/app/shared/ids.js';
import { Chain } from '../src/app/demo/chain.js';
import { BAS_DEFAULTS } from '../src/core/ledger/accounts.js';
import { DEFAULT_MATCH_POLICY, matchBatch, OpenItemIndex, type BankLineInput } from '../src/core/receivables/cash-matching.js';
import { makeOcrReference, ocrBaseFromInvoiceNumber } from '../src/core/receivables/ocr.js';
import type { TenantId } from '../src/core/shared/ids.js';
import { readBankFile } from '../src/integrations/bank/read.js';
import { onEachTarget, seedTenant, type BenchDb } from './databases.js';
import { load, machine, memorySampler } from './support.js';

export const CUSTOMERS = 10_000;
export const INVOICES = 100_000;
export const LINES = 10_000;

const pad = (s: string) => s.padEnd(80, ' ');
const num = (v: bigint | number | string, w: number) => String(v).padStart(w, '0');

interface Seeded {
  number: string;
  reference: string;
  customer: number;
  amount: bigint;
}

/** Open amounts spread from 100.00 to 99,999.00; every invoice's differs from its customer's others. */
const amountOf = (i: number): bigint => BigInt(10_000 + ((i * 7_919) % 9_989_900));
const invoiceNumber = (i: number) => `2026-${num(i, 6)}`;

async function seed(b: BenchDb, tenantId: TenantId, orderId: string): Promise<Seeded[]> {
  const k = b.kysely;
  await sql`
    insert into customers (tenant_id, id, name, country, currency, payment_terms_days)
    select ${tenantId}, 'cus_b' || lpad(g::text, 6, '0'), 'Kund ' || g || ' AB', 'SE', 'SEK', 30
      from generate_series(1, ${CUSTOMERS}::int) g`.execute(k);
  const seeded: Seeded[] = [];
  for (let start = 1; start <= INVOICES; start += 1000) {
    const rows: Seeded[] = [];
    for (let i = start; i < start + 1000 && i <= INVOICES; i++) {
      const number = invoiceNumber(i);
      rows.push({ number, reference: makeOcrReference(ocrBaseFromInvoiceNumber(number)), customer: ((i - 1) % CUSTOMERS) + 1, amount: amountOf(i) });
    }
    seeded.push(...rows);
    const values = sql.join(
      rows.map(
        (r) => sql`(${tenantId}, ${'inv_b' + r.number}, 'INV', ${r.number}, 'issued', ${orderId}, ${'cus_b' + num(r.customer, 6)}, 'SEK',
          '2026-11-01'::date, '2026-12-01'::date, 30, ${r.reference}, ${r.amount}, 0, ${r.amount}, '{"name":"x"}'::jsonb, now())`,
      ),
    );
    await sql`
      insert into invoices (tenant_id, id, series, number, status, order_id, customer_id, currency, issue_date, due_date,
                            payment_terms_days, payment_reference, net_total_minor, vat_total_minor, gross_total_minor, buyer, issued_at)
      values ${values}`.execute(k);
    const items = sql.join(
      rows.map(
        (r) => sql`(${tenantId}, ${'oi_b' + r.number}, ${'cus_b' + num(r.customer, 6)}, ${'inv_b' + r.number}, 'SEK', '2026-11-01'::date, '2026-12-01'::date,
          ${r.amount}, ${r.amount}, ${r.amount}, ${r.amount})`,
      ),
    );
    await sql`
      insert into ar_open_items (tenant_id, id, customer_id, invoice_id, currency, document_date, due_date, original_minor, open_minor,
                                 base_original_minor, base_open_minor)
      values ${items}`.execute(k);
  }
  // payers of the no-reference lines have a learned account
  await sql`
    insert into payer_accounts (tenant_id, account, customer_id, learned_from)
    select ${tenantId}, g::text, 'cus_b' || lpad(g::text, 6, '0'), 'bench'
      from generate_series(1, ${CUSTOMERS}::int) g`.execute(k);
  return seeded;
}

/** The BgMax file of LINES payments over distinct invoices, and the lines as the matcher sees them. */
function bankFile(seeded: readonly Seeded[]): { text: string; lines: BankLineInput[] } {
  const recs = [pad('01BGMAX               0120261204101500000000P'), pad(`05${num(9912346, 10)}          SEK`)];
  const lines: BankLineInput[] = [];
  let total = 0n;
  for (let n = 0; n < LINES; n++) {
    const inv = seeded[(n * 9_973) % seeded.length]!; // distinct invoices: 9 973 is prime to 100 000
    const kind = n % 20 === 0 ? 'number' : n % 20 === 1 ? 'account' : 'ocr';
    const reference = kind === 'ocr' ? inv.reference : '';
    const sender = kind === 'account' ? num(inv.customer, 8) : num(90_000_000 + n, 10);
    recs.push(pad(`20${num(sender, 10)}${reference.padStart(25, ' ')}${num(inv.amount, 18)}${kind === 'ocr' ? 2 : 0}1${num(n + 1, 12)}0`));
    if (kind === 'number') recs.push(pad(`25Faktura ${inv.number}`));
    total += inv.amount;
    lines.push({
      id: `l${n}`,
      currency: 'SEK',
      amountMinor: inv.amount,
      payerName: null,
      payerAccount: kind === 'account' ? String(inv.customer) : null,
      structuredReferences: kind === 'ocr' ? [inv.reference] : [],
      text: kind === 'number' ? `Faktura ${inv.number}` : null,
    });
  }
  recs.push(pad(`15${'58410000100'.padStart(35, '0')}20261204${num(1, 5)}${num(total, 18)}SEK${num(LINES, 8)}`));
  recs.push(pad(`70${num(LINES, 8)}${num(0, 8)}${num(0, 8)}${num(1, 8)}`));
  return { text: recs.join('\r\n') + '\r\n', lines };
}

async function benchDatabase(b: BenchDb): Promise<void> {
  console.log(`  ${b.label}`);
  const tenantId = await seedTenant(b.db);
  const deps: AppDeps = { db: b.db, clock: fixedClock(new Date('2026-12-04T10:00:00Z')), ids: createIdGenerator(), accounts: BAS_DEFAULTS, secrets: { pepper: 'bench-pepper-not-secret-0123456789abcdef' } };
  const chain = new Chain(deps, tenantId);
  const customer = await chain.customer({ name: 'Ordrekund AB' });
  const product = await chain.product('BANK-1', 'Vara', '100.00', 'standard');
  const order = await chain.confirm(await chain.accept(await chain.send(await chain.quote(customer.id, [{ productId: product.id, quantity: '1' }]))));
  const t0 = performance.now();
  const seeded = await seed(b, tenantId, order.id);
  console.log(`    seeded ${CUSTOMERS.toLocaleString('en')} customers and ${INVOICES.toLocaleString('en')} open invoices in ${((performance.now() - t0) / 1000).toFixed(1)} s (not measured)`);
  const { text, lines } = bankFile(seeded);
  const content = Buffer.from(text, 'latin1');

  // the pure matching step alone, on the same data
  const data = await b.db.store(tenantId).bank.matchingData();
  const learned = await b.db.store(tenantId).bank.learnedAccounts();
  const m0 = performance.now();
  const index = new OpenItemIndex(data.items, data.customers, learned);
  const m1 = performance.now();
  const decisions = matchBatch(lines, index, DEFAULT_MATCH_POLICY);
  const m2 = performance.now();
  const auto = decisions.filter((d) => d.decision === 'auto').length;
  console.log(`    matching only: index of ${data.items.length.toLocaleString('en')} items ${(m1 - m0).toFixed(0)} ms, ${LINES.toLocaleString('en')} lines ${(m2 - m1).toFixed(0)} ms (${Math.round(LINES / ((m2 - m1) / 1000)).toLocaleString('en')} lines/s), ${auto} auto`);

  // the whole import: read, store, match, create payments, apply, post
  const env = envFor(deps, { tenantId, actorId: 'bench' });
  const mem = memorySampler();
  const i0 = performance.now();
  const handle = readBankFile(content);
  const report = await b.db.transaction(tenantId, (s) =>
    importBankStatements(s, env, { format: handle.format, fileName: 'bench.bgmax', fileSha256: sha256(content), fileId: () => handle.header().fileId, statements: handle.statements }),
  );
  const i1 = performance.now();
  const peak = mem.stop();
  console.log(
    `    import + match + apply: ${report.lines.toLocaleString('en')} lines in ${((i1 - i0) / 1000).toFixed(1)} s = ${Math.round(report.lines / ((i1 - i0) / 1000)).toLocaleString('en')} lines/s; ` +
      `auto-applied ${report.autoApplied}, review ${report.review}, unmatched ${report.unmatched}; peak RSS ${peak.rssMb.toFixed(0)} MB, peak heap ${peak.heapMb.toFixed(0)} MB`,
  );
}

export default async function run(): Promise<void> {
  const started = performance.now();
  console.log(`bank matching: ${LINES.toLocaleString('en')} bank lines against ${INVOICES.toLocaleString('en')} open invoices`);
  console.log(`  machine        ${machine()}`);
  await onEachTarget(benchDatabase);
  console.log(`  ${load()}`);
  console.log(`  took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
