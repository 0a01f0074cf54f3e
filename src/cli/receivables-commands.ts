/**
 * `q2c report aging` and `q2c report statement`: the AR aging as of a date (text, JSON or CSV) and a
 * customer statement for a period (text, JSON, CSV, or a PDF file) — the same use cases as
 * GET /v1/reports/aging and GET /v1/customers/{id}/statement(.pdf).
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { inTenantOf, type CliContext, type CliWired } from './context.js';
import { accountsFor } from '../app/ledger/chart.js';
import { agingCsv, agingReport } from '../app/reports/aging.js';
import { customerStatement, statementCsv } from '../app/reports/statement.js';
import { formatAmount, money } from '../core/money/money.js';
import { agingScheme, parseAgingLimits } from '../core/receivables/aging.js';
import { parseLocalDate } from '../core/shared/dates.js';
import { invalid } from '../core/shared/errors.js';
import { parseId } from '../core/shared/ids.js';
import { languageFor } from '../integrations/pdf/quote-mapping.js';
import { renderStatementPdf } from '../integrations/pdf/statement-pdf.js';

const fmt = (minor: bigint, currency: string) => `${formatAmount(money(minor, currency))} ${currency}`;
const jsonReplacer = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

export function registerReceivablesCommands<W extends CliWired>(program: Command, ctx: CliContext<W>, defaultTenant: string): void {
  const report = program.commands.find((c) => c.name() === 'report') ?? program.command('report').description('reports');
  const inTenant = inTenantOf(ctx);

  report
    .command('aging')
    .description('AR aging as of a date (default today): open amounts by days past due, per customer and currency, in document and base currency')
    .option('--as-of <date>', 'the date, YYYY-MM-DD (any past date: items as they stood that day)')
    .option('--buckets <days>', 'bucket limits in days past due, e.g. 0,30,60,90 is read as 30,60,90 (current, 1-30, 31-60, 61-90, 90+)')
    .option('--customer <id>', 'only this customer')
    .option('--csv', 'print CSV')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (opts: { asOf?: string; buckets?: string; customer?: string; csv?: boolean; tenant: string }) =>
      inTenant(opts.tenant, async (w, tenantId) => {
        const asOf = opts.asOf === undefined ? w.deps.clock.today() : parseLocalDate(opts.asOf, '--as-of');
        let limits: number[] | undefined;
        if (opts.buckets !== undefined) {
          try {
            limits = parseAgingLimits(opts.buckets).filter((d) => d !== 0); // "0,30,…": 0 is the current bucket's edge
            agingScheme(limits);
          } catch (e) {
            throw invalid('--buckets', `ascending whole days past due separated by commas, e.g. 30,60,90: ${(e as Error).message}`);
          }
        }
        const customerId = opts.customer === undefined ? undefined : parseId('customer', opts.customer, '--customer');
        const r = await w.deps.db.transaction(tenantId, async (s) =>
          agingReport(s, asOf, { customerId, limits, receivableAccount: (await accountsFor(s, w.deps)).receivable }),
        );
        if (opts.csv) ctx.out(agingCsv(r).trimEnd());
        else if (ctx.json()) ctx.out(JSON.stringify(r, jsonReplacer));
        else {
          ctx.out(`AR aging as of ${r.asOf} (${r.itemCount} item(s) issued by then; base currency ${r.baseCurrency})`);
          ctx.out(`  ${'customer'.padEnd(28)} cur  ${r.bucketKeys.map((k) => k.padStart(16)).join(' ')} ${'total'.padStart(16)}`);
          for (const row of r.rows) {
            ctx.out(`  ${row.customerId.padEnd(28)} ${row.currency}  ${r.bucketKeys.map((k) => formatAmount(money(row.buckets[k] ?? 0n, row.currency)).padStart(16)).join(' ')} ${formatAmount(money(row.totalMinor, row.currency)).padStart(16)}`);
          }
          for (const t of r.totals) {
            ctx.out(`  ${'TOTAL'.padEnd(28)} ${t.currency}  ${r.bucketKeys.map((k) => formatAmount(money(t.buckets[k] ?? 0n, t.currency)).padStart(16)).join(' ')} ${formatAmount(money(t.totalMinor, t.currency)).padStart(16)}`);
          }
          ctx.out(`  ${`TOTAL in ${r.baseCurrency}`.padEnd(28)} ${r.baseCurrency}  ${r.bucketKeys.map((k) => formatAmount(money(r.baseTotal.buckets[k] ?? 0n, r.baseCurrency)).padStart(16)).join(' ')} ${formatAmount(money(r.baseTotal.totalMinor, r.baseCurrency)).padStart(16)}`);
        }
      }),
    );

  report
    .command('statement')
    .description("a customer's statement for a period: opening balance, documents, payments and credits, closing balance per currency")
    .argument('<customer>', 'the customer id (cus_…)')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .option('--to <date>', 'last day, YYYY-MM-DD (default today)')
    .option('--csv', 'print CSV')
    .option('--pdf <file>', 'write the statement as a PDF to this file')
    .option('--lang <lang>', "PDF language: sv or en (default: the customer's)")
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (customer: string, opts: { from: string; to?: string; csv?: boolean; pdf?: string; lang?: string; tenant: string }) =>
      inTenant(opts.tenant, async (w, tenantId) => {
        const from = parseLocalDate(opts.from, '--from');
        const to = opts.to === undefined ? w.deps.clock.today() : parseLocalDate(opts.to, '--to');
        if (opts.lang !== undefined && opts.lang !== 'sv' && opts.lang !== 'en') throw invalid('--lang', 'sv or en');
        const id = parseId('customer', customer, 'customer');
        const st = await w.deps.db.transaction(tenantId, async (s) => customerStatement(s, await accountsFor(s, w.deps), id, { from, to }));
        if (opts.pdf !== undefined) {
          const lang = (opts.lang as 'sv' | 'en' | undefined) ?? languageFor(st.customer.country);
          writeFileSync(opts.pdf, await renderStatementPdf(st, lang));
          ctx.out(`Wrote ${opts.pdf} (statement ${st.from} – ${st.to}, ${lang})`);
        } else if (opts.csv) ctx.out(statementCsv(st).trimEnd());
        else if (ctx.json()) ctx.out(JSON.stringify({ ...st, tenant: undefined, customer: { id: st.customer.id, name: st.customer.name } }, jsonReplacer));
        else {
          ctx.out(`Statement ${st.customer.name} (${st.customer.id}) ${st.from} – ${st.to}`);
          for (const sec of st.sections) {
            ctx.out(`  ${sec.currency}: opening ${fmt(sec.openingMinor, sec.currency)}`);
            for (const l of sec.lines) {
              ctx.out(`    ${l.date}  ${l.kind.padEnd(18)} ${(l.reference ?? '').padEnd(16)} ${formatAmount(money(l.amountMinor, sec.currency)).padStart(14)} ${formatAmount(money(l.balanceMinor, sec.currency)).padStart(14)}`);
            }
            ctx.out(`  ${sec.currency}: closing ${fmt(sec.closingMinor, sec.currency)} (receivable ${fmt(sec.closingReceivableMinor, sec.currency)}, credit ${fmt(sec.closingCreditMinor, sec.currency)})`);
          }
          ctx.out(`  closing in ${st.baseCurrency}: ${fmt(st.closingBaseMinor, st.baseCurrency)} = 1510 ${fmt(st.receivableBaseMinor, st.baseCurrency)} − 2420 ${fmt(st.creditBaseMinor, st.baseCurrency)}`);
        }
      }),
    );
}
