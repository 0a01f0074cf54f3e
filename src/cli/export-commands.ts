/**
 * `q2c export sie|hledger` (the same exports as GET /v1/exports/…) and `q2c sie check FILE` (reads a SIE
 * file with q2c's reader: vouchers, accounts, balances, #KSUMMA; non-zero exit on a bad file).
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { inTenantOf, type CliContext, type CliWired } from './context.js';
import { hledgerExport } from '../app/exports/hledger-export.js';
import { sieExport } from '../app/exports/sie-export.js';
import { fiscalYearOf } from '../core/ledger/fiscal-year.js';
import { compareDates, parseLocalDate } from '../core/shared/dates.js';
import { writeHledgerJournal } from '../integrations/hledger/hledger-journal.js';
import { formatSieAmount } from '../integrations/sie/sie-format.js';
import { balancesByAccount, readSie, SieReadError } from '../integrations/sie/sie-reader.js';
import { writeSie } from '../integrations/sie/sie-writer.js';

/** A sink for the export's chunks: the file (--out) or standard output, respecting back-pressure. */
function sinkFor(path: string | undefined) {
  const stream = path === undefined ? process.stdout : createWriteStream(path);
  return {
    async write(chunk: Buffer | string) {
      if (!stream.write(chunk)) await once(stream, 'drain');
    },
    async end() {
      if (stream === process.stdout) return;
      stream.end();
      await once(stream, 'finish');
    },
  };
}

export function registerExportCommands<W extends CliWired>(program: Command, ctx: CliContext<W>, defaultTenant: string, version: string): void {
  const inTenant = inTenantOf(ctx);
  const say = (line: string, toStdout: boolean) => (toStdout ? process.stderr.write(line + '\n') : ctx.out(line));

  const exp = program.command('export').description('export the books: SIE 4 (for Swedish bookkeeping programs) or an hledger journal');
  exp
    .command('sie')
    .description('the books of one fiscal year as a SIE 4E file (CP437); to standard output without --out')
    .option('--year <year>', 'the fiscal year (the calendar year it starts in); default: the current one')
    .option('--out <file>', 'write to this file')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (opts: { year?: string; out?: string; tenant: string }) =>
      inTenant(opts.tenant, async (w, tenantId) => {
        if (opts.year !== undefined && !/^\d{4}$/.test(opts.year)) throw new Error(`--year must be a year such as 2026, got '${opts.year}'`);
        const today = w.deps.clock.today();
        const sink = sinkFor(opts.out);
        const result = await w.deps.db.transaction(tenantId, async (s) => {
          const label = opts.year === undefined ? fiscalYearOf(today, (await s.books.settings()).fiscalYearStartMonth).label : Number(opts.year);
          const data = await sieExport(s, { fiscalYear: label, generatedOn: today, program: { name: 'q2c', version } });
          return { label, ...(await writeSie(data, (c) => sink.write(c))) };
        });
        await sink.end();
        const summary = { fiscal_year: result.label, vouchers: result.vouchers, transactions: result.transactions, checksum: result.checksum, bytes: result.bytes, file: opts.out ?? null };
        if (ctx.json()) say(JSON.stringify(summary), opts.out === undefined);
        else say(`SIE 4E of fiscal year ${result.label} (${tenantId}): ${result.vouchers} voucher(s), ${result.transactions} transaction(s), #KSUMMA ${result.checksum}, ${result.bytes} bytes${opts.out ? ` → ${opts.out}` : ''}`, opts.out === undefined);
      }),
    );
  exp
    .command('hledger')
    .description('the journal in hledger journal format (UTF-8); to standard output without --out')
    .option('--from <date>', 'first entry date (YYYY-MM-DD)')
    .option('--to <date>', 'last entry date (YYYY-MM-DD)')
    .option('--out <file>', 'write to this file')
    .option('--tenant <id>', 'the tenant', defaultTenant)
    .action(async (opts: { from?: string; to?: string; out?: string; tenant: string }) =>
      inTenant(opts.tenant, async (w, tenantId) => {
        const from = opts.from === undefined ? undefined : parseLocalDate(opts.from, '--from');
        const to = opts.to === undefined ? undefined : parseLocalDate(opts.to, '--to');
        if (from !== undefined && to !== undefined && compareDates(from, to) > 0) throw new Error('--to must not be before --from');
        const sink = sinkFor(opts.out);
        const r = await w.deps.db.transaction(tenantId, async (s) => writeHledgerJournal(await hledgerExport(s, { from, to }, w.deps.clock.now()), (c) => sink.write(c)));
        await sink.end();
        if (opts.out !== undefined) ctx.out(ctx.json() ? JSON.stringify({ ...r, file: opts.out }) : `hledger journal (${tenantId}): ${r.transactions} transaction(s), ${r.postings} posting(s) → ${opts.out}`);
      }),
    );

  program
    .command('sie')
    .description('SIE 4 files')
    .command('check')
    .description('read a SIE 4 file: vouchers, accounts, balances; checks every voucher balances and #KSUMMA (exit 1 on a bad file)')
    .argument('<file>', 'the SIE file')
    .action(async (file: string) => {
      let f;
      try {
        f = readSie(readFileSync(file));
      } catch (e) {
        if (e instanceof SieReadError) throw new Error(`${file}: ${e.message}`, { cause: e });
        throw e;
      }
      const transactions = f.vouchers.reduce((n, v) => n + v.transactions.length, 0);
      const sum = (m: Map<string, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
      const summary = {
        file,
        encoding: f.encoding,
        program: f.program,
        company: f.companyName,
        org_number: f.orgNumber,
        years: f.years,
        accounts: f.accounts.size,
        vouchers: f.vouchers.length,
        transactions,
        balanced: true,
        checksum: f.checksum === null ? null : { written: f.checksum.written.toString(), computed: f.checksum.computed, ok: true },
        opening_balance_total: formatSieAmount(sum(balancesByAccount(f.openingBalances))),
        closing_balance_total: formatSieAmount(sum(balancesByAccount(f.closingBalances))),
        result_total: formatSieAmount(sum(balancesByAccount(f.results))),
      };
      if (ctx.json()) {
        ctx.out(JSON.stringify(summary));
        return;
      }
      ctx.out(`${file}: SIE ${f.sieType ?? '?'} (${f.encoding}) from ${f.program ? `${f.program.name} ${f.program.version}`.trim() : 'an unknown program'}`);
      ctx.out(`  company ${f.companyName ?? '—'}${f.orgNumber ? ` (${f.orgNumber})` : ''}`);
      for (const y of f.years) ctx.out(`  year ${y.index}: ${y.start ?? '?'} – ${y.end ?? '?'}`);
      ctx.out(`  ${f.accounts.size} account(s), ${f.vouchers.length} voucher(s), ${transactions} transaction(s): every voucher balances`);
      ctx.out(`  #IB 0 total ${summary.opening_balance_total}, #UB 0 total ${summary.closing_balance_total}, #RES 0 total ${summary.result_total}`);
      ctx.out(f.checksum === null ? '  no #KSUMMA' : `  #KSUMMA ${f.checksum.written} verified`);
    });
}
