/**
 * `q2c ledger …`: the trial balance and general ledger (text or CSV), fiscal years, and period close —
 * the same use cases as /v1/ledger/….
 */
import type { Command } from 'commander';
import { inTenantOf, type CliContext, type CliWired } from './context.js';
import { closeFiscalYear, closePeriods, fiscalYears } from '../app/ledger/books.js';
import { generalLedgerLines } from '../app/reports/general-ledger.js';
import { trialBalance } from '../app/reports/trial-balance.js';
import { envFor } from '../app/shared/env.js';
import { formatAmount, money } from '../core/money/money.js';
import { parseLocalDate, type LocalDate } from '../core/shared/dates.js';
import { toCsv, type CsvCell } from '../integrations/csv/write.js';

const amount = (m: bigint, c: string) => formatAmount(money(m, c));

export function registerLedgerCommands<W extends CliWired>(program: Command, ctx: CliContext<W>, defaultTenant: string): void {
  const ledger = program.command('ledger').description('the books: trial balance, general ledger, fiscal years, period close');
  const period = (o: { from?: string; to?: string }) => ({
    from: o.from === undefined ? undefined : parseLocalDate(o.from, '--from'),
    to: o.to === undefined ? undefined : parseLocalDate(o.to, '--to'),
  });
  const inTenant = inTenantOf(ctx);

  ledger
    .command('trial-balance')
    .description('opening balance, debits, credits and closing balance per account for a period')
    .option('--from <date>', 'first entry date')
    .option('--to <date>', 'last entry date')
    .option('--csv', 'print CSV')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (o: { from?: string; to?: string; csv?: boolean; tenant: string }) =>
      inTenant(o.tenant, async (w, tenantId) => {
        const tb = await w.deps.db.transaction(tenantId, (s) => trialBalance(s, period(o)));
        const rows: CsvCell[][] = tb.rows.map((r) => [
          r.account, r.name, r.currency, amount(r.openingMinor, r.currency), amount(r.debitMinor, r.currency),
          amount(r.creditMinor, r.currency), amount(r.balanceMinor, r.currency), amount(r.closingMinor, r.currency),
        ]);
        if (o.csv) {
          ctx.out(toCsv(['account', 'name', 'currency', 'opening', 'debit', 'credit', 'movement', 'closing'], rows).trimEnd());
          return;
        }
        if (ctx.json()) {
          ctx.out(JSON.stringify(tb, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
          return;
        }
        ctx.out(`${'account'.padEnd(8)}${'name'.padEnd(42)}${'opening'.padStart(16)}${'debit'.padStart(16)}${'credit'.padStart(16)}${'closing'.padStart(16)}`);
        for (const r of rows) ctx.out(`${String(r[0]).padEnd(8)}${String(r[1] ?? '').slice(0, 40).padEnd(42)}${String(r[3]).padStart(16)}${String(r[4]).padStart(16)}${String(r[5]).padStart(16)}${String(r[7]).padStart(16)}`);
        for (const t of tb.totals) ctx.out(`total ${t.currency}: debit ${amount(t.debitMinor, t.currency)}, credit ${amount(t.creditMinor, t.currency)}${t.balanced ? ', balanced' : ', NOT BALANCED'}`);
      }),
    );

  ledger
    .command('general-ledger')
    .description("an account's lines with the running balance for a period")
    .argument('<account>', 'the account number, e.g. 1930')
    .option('--from <date>', 'first entry date')
    .option('--to <date>', 'last entry date')
    .option('--csv', 'print CSV')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (account: string, o: { from?: string; to?: string; csv?: boolean; tenant: string }) =>
      inTenant(o.tenant, async (w, tenantId) => {
        const rows: CsvCell[][] = [];
        await w.deps.db.transaction(tenantId, async (s) => {
          let first = true;
          for await (const page of generalLedgerLines(s, account, period(o))) {
            if (first) rows.push(['', o.from ?? '', '', 'Opening balance', '', '', amount(page.openingMinor, page.currency), page.currency]);
            first = false;
            for (const l of page.lines) {
              rows.push([`${l.series} ${l.fiscalYear}-${l.number}`, l.entryDate, l.documentDate, l.description, amount(l.debitMinor, l.currency), amount(l.creditMinor, l.currency), amount(l.balanceMinor, l.currency), l.currency]);
            }
          }
        });
        if (o.csv) {
          ctx.out(toCsv(['voucher', 'entry_date', 'document_date', 'description', 'debit', 'credit', 'balance', 'currency'], rows).trimEnd());
          return;
        }
        for (const r of rows) ctx.out(`${String(r[0]).padEnd(14)}${String(r[1]).padEnd(12)}${String(r[3]).slice(0, 44).padEnd(46)}${String(r[4]).padStart(14)}${String(r[5]).padStart(14)}${String(r[6]).padStart(16)}`);
      }),
    );

  ledger
    .command('fiscal-years')
    .description('fiscal years and which periods are closed')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (o: { tenant: string }) =>
      inTenant(o.tenant, async (w, tenantId) => {
        const { settings, years } = await w.deps.db.transaction(tenantId, (s) => fiscalYears(s, w.deps.clock.today()));
        if (ctx.json()) {
          ctx.out(JSON.stringify({ locked_through: settings.lockedThrough, years }));
          return;
        }
        ctx.out(`books closed through: ${settings.lockedThrough ?? 'nothing closed'}`);
        for (const y of years) ctx.out(`${y.label}: ${y.start} – ${y.end} ${y.status}`);
      }),
    );

  ledger
    .command('close')
    .description('close every period through a month end (closed periods stay closed)')
    .argument('<through>', 'the last day of the last month to close, e.g. 2026-11-30')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (throughArg: string, o: { tenant: string }) =>
      inTenant(o.tenant, async (w, tenantId) => {
        const through: LocalDate = parseLocalDate(throughArg, 'THROUGH');
        const env = envFor(w.deps, { tenantId, actorId: 'cli' });
        const settings = await w.deps.db.transaction(tenantId, (s) => closePeriods(s, env, through));
        ctx.out(`Books closed through ${settings.lockedThrough} (${tenantId})`);
      }),
    );

  ledger
    .command('year-end')
    .description("book an ended fiscal year's result into equity (8999 / 2099)")
    .argument('<year>', 'the fiscal year (the calendar year it starts in)')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (yearArg: string, o: { tenant: string }) =>
      inTenant(o.tenant, async (w, tenantId) => {
        const env = envFor(w.deps, { tenantId, actorId: 'cli' });
        const entry = await w.deps.db.transaction(tenantId, (s) => closeFiscalYear(s, env, Number(yearArg)));
        const result = entry.lines.find((l) => l.account === '2099')!;
        ctx.out(`Year-end entry ${entry.series} ${entry.fiscalYear}-${entry.number} on ${entry.entryDate}: result ${amount(result.creditMinor - result.debitMinor, result.currency)} ${result.currency} to 2099`);
      }),
    );
}
