/**
 * The `q2c` command line. It calls the same use cases as the API; the composition root hands it the
 * wiring (so this layer never imports the database adapters).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { AppDeps } from '../app/shared/env.js';
import { createApiKey } from '../app/platform/api-keys.js';
import { DEFAULT_TENANT_ID, defaultTenant, ensureTenant } from '../app/platform/tenants.js';
import { runDemo } from '../app/demo/run-demo.js';
import { registerLedgerCommands } from './ledger-commands.js';
import { registerPlatformCommands } from './platform-commands.js';
import { registerUserCommands } from './users-commands.js';
import { registerExportCommands } from './export-commands.js';
import { registerReceivablesCommands } from './receivables-commands.js';
import { seedDemo } from '../app/demo/seed.js';
import { createDemoAdminUser } from '../app/demo/admin-user.js';
import { runScheduledJobs } from '../app/jobs/run-jobs.js';
import { runDunning } from '../app/dunning/run-dunning.js';
import { kpiReport } from '../app/reports/kpis.js';
import { vatReport } from '../app/reports/vat-report.js';
import { vatReturnCsv } from '../core/reports/vat-return.js';
import { formatAmount, money } from '../core/money/money.js';
import { parseLocalDate } from '../core/shared/dates.js';
import { envFor } from '../app/shared/env.js';
import { importRates } from '../app/fx/import-rates.js';
import { setRate } from '../app/fx/set-rate.js';
import { parseCurrency } from '../core/money/currency.js';
import { ratesFromCsv } from '../core/money/fx-csv.js';
import { formatRate, parseRate } from '../core/money/fx.js';
import { DomainError } from '../core/shared/errors.js';
import type { TenantId } from '../core/shared/ids.js';
import { basename } from 'node:path';
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { importBankStatements } from '../app/bank/import-statements.js';
import { BankFileError } from '../integrations/bank/bank-file.js';
import { CSV_DATE_FORMATS, type BankCsvMapping, type CsvDateFormat } from '../integrations/bank/csv.js';
import { readBankFileFromPath } from '../integrations/bank/read.js';
import { verifyLedger } from '../app/audit/verify.js';
import { reportLines } from '../core/audit/report.js';

async function sha256OfFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A CSV column mapping from its JSON file (the API's csv_mapping shape, snake_case). */
function csvMappingFromJson(m: Record<string, unknown>): BankCsvMapping {
  const str = (v: unknown, name: string): string => {
    if (typeof v !== 'string' || v === '') throw new Error(`--mapping: ${name} must be a non-empty string`);
    return v;
  };
  const opt = (v: unknown, name: string): string | undefined => (v === undefined ? undefined : str(v, name));
  const c = (m.columns ?? {}) as Record<string, unknown>;
  const dateFormat = str(m.date_format, 'date_format');
  if (!(CSV_DATE_FORMATS as readonly string[]).includes(dateFormat)) throw new Error(`--mapping: date_format must be one of ${CSV_DATE_FORMATS.join(', ')}`);
  const decimal = str(m.decimal, 'decimal');
  if (decimal !== ',' && decimal !== '.') throw new Error("--mapping: decimal must be ',' or '.'");
  return {
    account: str(m.account, 'account'),
    currency: str(m.currency, 'currency'),
    delimiter: opt(m.delimiter, 'delimiter') as BankCsvMapping['delimiter'],
    decimal,
    thousands: opt(m.thousands, 'thousands') as BankCsvMapping['thousands'],
    dateFormat: dateFormat as CsvDateFormat,
    skipLines: typeof m.skip_lines === 'number' ? m.skip_lines : undefined,
    columns: {
      bookingDate: str(c.booking_date, 'columns.booking_date'),
      valueDate: opt(c.value_date, 'columns.value_date'),
      amount: opt(c.amount, 'columns.amount'),
      credit: opt(c.credit, 'columns.credit'),
      debit: opt(c.debit, 'columns.debit'),
      currency: opt(c.currency, 'columns.currency'),
      reference: opt(c.reference, 'columns.reference'),
      text: opt(c.text, 'columns.text'),
      payerName: opt(c.payer_name, 'columns.payer_name'),
      payerAccount: opt(c.payer_account, 'columns.payer_account'),
      bankReference: opt(c.bank_reference, 'columns.bank_reference'),
    },
  };
}

export interface CliWiring {
  deps: AppDeps;
  kind: 'pglite' | 'postgres';
  freshEmbedded: boolean;
  migrations: string[];
  close(): Promise<void>;
}

export interface ApiRequest {
  method: string;
  path: string;
  body?: unknown;
  headers: Record<string, string>;
  /** Base URL of a running q2c; undefined = in-process against the configured database. */
  baseUrl?: string | undefined;
}

export interface ApiResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface CliHooks<W extends CliWiring = CliWiring> {
  wire(): Promise<W>;
  /** Sends one API request (in-process, or to baseUrl). */
  request?(req: ApiRequest): Promise<ApiResponse>;
  /** Starts the HTTP server (and whatever runs beside it); resolves with its URL once listening. */
  serve(w: W): Promise<{ url: string }>;
  out?: (line: string) => void;
  /** Standard input for `users create --password-stdin` (process.stdin by default). */
  stdin?: () => Promise<string>;
}

const fmt = (minor: bigint, currency: string) => `${formatAmount(money(minor, currency))} ${currency}`;

function jsonReplacer(_k: string, v: unknown) {
  return typeof v === 'bigint' ? v.toString() : v;
}

export function buildProgram<W extends CliWiring>(hooks: CliHooks<W>): Command {
  const out = hooks.out ?? ((l: string) => process.stdout.write(l + '\n'));
  const program = new Command('q2c')
    .description('q2c: quote-to-cash — quotes, orders, deliveries, invoices, payments and a double-entry ledger')
    .option('--json', 'print machine-readable JSON where it makes sense')
    .showHelpAfterError();
  const json = () => Boolean(program.opts<{ json?: boolean }>().json);

  program
    .command('serve')
    .description('start the HTTP API (PORT, default 3000); a brand-new embedded database gets demo data and an admin API key')
    .action(async () => {
      const w = await hooks.wire();
      const { created } = await ensureTenant(w.deps.db, defaultTenant({
        name: 'Demo Företag AB', orgNumber: '556677-8899', vatNumber: 'SE556677889901', bankgiro: '5050-1055',
        addressLine1: 'Exempelgatan 10', postalCode: '753 20', city: 'Uppsala', email: 'faktura@demoforetag.example',
      }));
      let key: string | undefined;
      let demoUser: { email: string; password: string } | undefined;
      if (w.kind === 'pglite' && w.freshEmbedded && created) {
        out('New embedded database: seeding demo data…');
        await seedDemo(w.deps, DEFAULT_TENANT_ID);
        // the operator of the embedded demo administers the installation too (POST /v1/tenants)
        key = (await createApiKey(w.deps.db, w.deps, { tenantId: DEFAULT_TENANT_ID, name: 'demo admin', platformAdmin: true })).key;
        demoUser = await createDemoAdminUser(w.deps, DEFAULT_TENANT_ID);
      }
      const { url } = await hooks.serve(w);
      out(`q2c is listening on ${url}  (database: ${w.kind})`);
      out(`  API docs:     ${url}/docs`);
      out(`  OpenAPI:      ${url}/openapi.json`);
      if (key) out(`  Admin API key (shown once): ${key}\n  Try: curl -H "Authorization: Bearer ${key}" ${url}/v1/invoices`);
      if (demoUser) out(`  Admin user (password shown once): ${demoUser.email}  ${demoUser.password}`);
      else out('  Create an API key with: npx q2c api-keys create --name <name>');
    });

  program
    .command('migrate')
    .description('apply database migrations')
    .action(async () => {
      const w = await hooks.wire();
      try {
        if (json()) out(JSON.stringify({ applied: w.migrations }));
        else out(w.migrations.length ? `Applied: ${w.migrations.join(', ')}` : 'Database is up to date.');
      } finally {
        await w.close();
      }
    });

  const keys = program.command('api-keys').description('manage API keys');
  keys
    .command('create')
    .description('create an API key (printed once; only its hash is stored)')
    .requiredOption('--name <name>', 'a name to recognise the key by')
    .option('--role <role>', 'role of the key', 'admin')
    .option('--tenant <id>', 'the tenant the key belongs to', DEFAULT_TENANT_ID)
    .option('--platform-admin', 'may also create and list tenants (POST/GET /v1/tenants); only the CLI can grant this')
    .action(async (opts: { name: string; role: string; tenant: string; platformAdmin?: boolean }) => {
      const w = await hooks.wire();
      try {
        const tenantId = await cliTenant(w, opts.tenant);
        const { key, record } = await createApiKey(w.deps.db, w.deps, { tenantId, name: opts.name, role: opts.role, platformAdmin: opts.platformAdmin === true });
        if (json()) out(JSON.stringify({ id: record.id, name: record.name, role: record.role, platform_admin: record.platformAdmin, key }));
        else out(`Created API key ${record.id} (${record.name}). Store it now; it is not shown again:\n${key}`);
      } finally {
        await w.close();
      }
    });

  program
    .command('api')
    .description(
      'call any API endpoint with the same schemas and rules as HTTP, e.g. `q2c api GET /v1/quotes` or ' +
        "`q2c api POST /v1/quotes/qte_…/send`; in-process against the configured database, or against --url",
    )
    .argument('<method>', 'GET, POST or PATCH')
    .argument('<path>', 'the path, e.g. /v1/quotes?limit=5')
    .option('-d, --data <json>', 'request body as JSON (or @file.json)')
    .option('--key <key>', 'API key (default: $Q2C_API_KEY)')
    .option('--url <base>', 'base URL of a running q2c (default: $Q2C_URL; unset = in-process)')
    .option('--idempotency-key <key>', 'Idempotency-Key header for POST and PATCH')
    .option('-o, --output <file>', 'write the response body to a file (for PDFs)')
    .action(async (method: string, path: string, opts: { data?: string; key?: string; url?: string; idempotencyKey?: string; output?: string }) => {
      if (!hooks.request) throw new Error('this build has no API client');
      const key = opts.key ?? process.env.Q2C_API_KEY;
      if (!key) throw new Error('give an API key with --key or Q2C_API_KEY (create one with `q2c api-keys create --name cli`)');
      const m = method.toUpperCase();
      if (!['GET', 'POST', 'PATCH'].includes(m)) throw new Error(`method must be GET, POST or PATCH, not '${method}'`);
      if (!path.startsWith('/')) throw new Error(`path must start with '/', got '${path}'`);
      let body: unknown;
      if (opts.data !== undefined) {
        const text = opts.data.startsWith('@') ? readFileSync(opts.data.slice(1), 'utf8') : opts.data;
        try {
          body = JSON.parse(text);
        } catch (error) {
          throw new Error(`--data is not valid JSON: ${(error as Error).message}`, { cause: error });
        }
      }
      const headers: Record<string, string> = { authorization: `Bearer ${key}` };
      if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
      const res = await hooks.request({ method: m, path, body, headers, baseUrl: opts.url ?? process.env.Q2C_URL });
      if (opts.output) writeFileSync(opts.output, res.body);
      else if (res.contentType.includes('json')) out(JSON.stringify(JSON.parse(res.body.toString('utf8')), null, 2));
      else out(res.body.toString('utf8'));
      if (res.status >= 400) {
        process.exitCode = 1;
        if (opts.output) process.stderr.write(`q2c: HTTP ${res.status}\n`);
      }
    });

  const jobs = program.command('jobs').description('scheduled work (the server also runs it every hour)');
  jobs
    .command('run')
    .description('run the scheduled jobs once for every tenant (quote expiry, deliveries deemed accepted)')
    .option('--billing', 'also run billing: one invoice per confirmed order with something invoiceable (never run by the server)')
    .option('--issue', 'with --billing: issue the invoices too (default: drafts)')
    .option('--up-to <date>', 'with --billing: invoice deliveries delivered on or before this date (default: today)')
    .option('--group-by <grouping>', "with --billing: 'order' (one invoice per order) or 'customer' (one per customer, currency and payment terms); default: the company's billing_grouping")
    .action(async (opts: { billing?: boolean; issue?: boolean; upTo?: string; groupBy?: string }) => {
      if (!opts.billing && (opts.issue || opts.upTo !== undefined || opts.groupBy !== undefined)) throw new Error('--issue, --up-to and --group-by need --billing');
      if (opts.groupBy !== undefined && opts.groupBy !== 'order' && opts.groupBy !== 'customer') {
        throw new Error(`--group-by must be 'order' or 'customer', not '${opts.groupBy}'`);
      }
      const groupBy = opts.groupBy === undefined ? undefined : opts.groupBy === 'customer' ? ('per_customer' as const) : ('per_order' as const);
      const upTo = opts.upTo === undefined ? undefined : parseLocalDate(opts.upTo, '--up-to');
      const w = await hooks.wire();
      try {
        const reports = await runScheduledJobs(w.deps, opts.billing ? { billing: { issue: opts.issue ?? false, upTo, groupBy } } : {});
        if (json()) out(JSON.stringify(reports));
        else {
          for (const r of reports) {
            out(`${r.tenantId}: ${r.expiredQuotes.length} quote version(s) expired`);
            for (const q of r.expiredQuotes) out(`  ${q.number} v${q.version} (${q.id})`);
            out(`${r.tenantId}: ${r.deemedAcceptedDeliveries.length} delivery(ies) deemed accepted after the review window`);
            for (const d of r.deemedAcceptedDeliveries) out(`  ${d.number} (${d.id})`);
            const dr = r.dunningRun;
            if (dr) out(`${r.tenantId}: dunning ${dr.run_date}${dr.already_run ? ' (already run today)' : ''}: ${dr.reminders.length} reminder(s), ${dr.paused.length} paused`);
            const b = r.billingRun;
            if (b) {
              out(`${r.tenantId}: billing run ${b.runId} up to ${b.upTo}: ${b.created.length} invoice(s) ${b.issue ? 'issued' : 'drafted'}, ${b.skipped.length} skipped, ${b.failed.length} failed`);
              for (const c of b.created) {
                const orders = (c.orders ?? [{ orderNumber: c.orderNumber }]).map((o) => o.orderNumber).join(', ');
                out(`  ${orders} → ${c.invoiceNumber ?? c.invoiceId} ${c.gross.amount} ${c.gross.currency}`);
              }
              for (const f of b.failed) out(`  FAILED ${f.orderId}: ${f.code} ${f.message}`);
            }
          }
        }
      } finally {
        await w.close();
      }
    });

  // exchange rates: the same use cases as PUT /v1/exchange-rates/… and POST /v1/exchange-rates/import
  const cliTenant = async (w: W, id: string): Promise<TenantId> => {
    if (id === DEFAULT_TENANT_ID) {
      await ensureTenant(w.deps.db, defaultTenant());
      return DEFAULT_TENANT_ID;
    }
    const tenant = (await w.deps.db.platform.listTenants()).find((t) => t.id === id);
    if (!tenant) throw new Error(`no tenant '${id}'`);
    return tenant.id;
  };
  /** A domain error as one line naming its field (`RATE must be greater than zero`). */
  const withParam = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError && error.param !== undefined && !error.message.startsWith(error.param)) {
        throw new Error(`${error.param} ${error.message}`, { cause: error });
      }
      throw error;
    }
  };
  registerLedgerCommands(program, { wire: () => hooks.wire(), out, json, withParam, cliTenant }, DEFAULT_TENANT_ID);
  registerPlatformCommands(program, { wire: () => hooks.wire(), out, json, withParam, cliTenant });
  registerUserCommands(program, { wire: () => hooks.wire(), out, json, withParam, cliTenant }, hooks.stdin);
  registerExportCommands(program, { wire: () => hooks.wire(), out, json, withParam, cliTenant }, DEFAULT_TENANT_ID, '0.1.0');
  registerReceivablesCommands(program, { wire: () => hooks.wire(), out, json, withParam, cliTenant }, DEFAULT_TENANT_ID);
  // dunning: the same use case as POST /v1/dunning/runs (idempotent per tenant and date)
  program
    .command('dunning')
    .description('dunning: payment reminders, reminder fees and late-payment interest')
    .command('run')
    .description('run dunning for a date (default today); a second run of the same date sends nothing')
    .option('--date <date>', 'YYYY-MM-DD (default: today)')
    .option('--tenant <id>', 'the tenant', DEFAULT_TENANT_ID)
    .action(async (opts: { date?: string; tenant: string }) =>
      withParam(async () => {
        const date = opts.date === undefined ? undefined : parseLocalDate(opts.date, '--date');
        const w = await hooks.wire();
        try {
          const tenantId = await cliTenant(w, opts.tenant);
          const env = envFor(w.deps, { tenantId, actorId: 'cli' });
          const r = await runDunning(w.deps.db, env, { date });
          if (json()) out(JSON.stringify(r));
          else {
            out(`${tenantId}: dunning run ${r.id} of ${r.run_date}${r.already_run ? ' (already run that day: nothing sent now)' : ''}: ${r.reminders.length} reminder(s), ${r.overdue.length} newly overdue, ${r.paused.length} paused`);
            for (const m of r.reminders) {
              out(`  ${m.number} ${m.customer_id} level ${m.level}: ${m.open_total.amount} ${m.currency} open, fee ${m.fee.amount}, interest ${m.interest.amount}`);
            }
          }
        } finally {
          await w.close();
        }
      }),
    );
  const fx = program.command('fx').description("the tenant's exchange rates: 1 unit of a currency = rate units of the base currency");
  fx.command('import')
    .description("import rates from a CSV file (header naming date, currency, rate; ',' or ';'), all or nothing")
    .argument('<file>', 'the CSV file')
    .option('--tenant <id>', 'the tenant', DEFAULT_TENANT_ID)
    .action(async (file: string, opts: { tenant: string }) =>
      withParam(async () => {
        const rates = ratesFromCsv(readFileSync(file, 'utf8'), file);
        const w = await hooks.wire();
        try {
          const tenantId = await cliTenant(w, opts.tenant);
          const env = envFor(w.deps, { tenantId, actorId: 'cli' });
          const result = await w.deps.db.transaction(tenantId, (s) => importRates(s, env, rates, file));
          const imported = rates.map((r) => ({ currency: r.currency, date: r.date, rate: formatRate(r.rateScaled) }));
          if (json()) out(JSON.stringify({ ...result, imported }));
          else {
            out(`Imported ${result.rates} rate(s) from ${file} into ${tenantId}: ${result.inserted} new, ${result.replaced} replaced`);
            for (const r of imported) out(`  ${r.currency} ${r.date} ${r.rate}`);
          }
        } finally {
          await w.close();
        }
      }),
    );
  fx.command('set')
    .description('set the rate of CURRENCY from DATE on (replaces the rate of that date)')
    .argument('<currency>', 'ISO 4217 code, e.g. EUR')
    .argument('<date>', 'YYYY-MM-DD')
    .argument('<rate>', 'units of the base currency per 1 unit of CURRENCY, e.g. 11.4325')
    .option('--tenant <id>', 'the tenant', DEFAULT_TENANT_ID)
    .action(async (currencyArg: string, dateArg: string, rateArg: string, opts: { tenant: string }) =>
      withParam(async () => {
        const currency = parseCurrency(currencyArg, 'CURRENCY');
        const date = parseLocalDate(dateArg, 'DATE');
        const rateScaled = parseRate(rateArg, 'RATE');
        const w = await hooks.wire();
        try {
          const tenantId = await cliTenant(w, opts.tenant);
          const env = envFor(w.deps, { tenantId, actorId: 'cli' });
          const { rate, replaced } = await w.deps.db.transaction(tenantId, (s) => setRate(s, env, { currency, date, rateScaled }));
          const shown = { currency: rate.currency, date: rate.rateDate, rate: formatRate(rate.rateScaled), source: rate.source, replaced };
          if (json()) out(JSON.stringify(shown));
          else out(`${replaced ? 'Replaced' : 'Set'} ${shown.currency} ${shown.date} ${shown.rate} (${tenantId})`);
        } finally {
          await w.close();
        }
      }),
    );

  // bank files: the same use case as POST /v1/bank-files, streaming BgMax and camt from disk
  const importCmd = program.command('import').description('import files');
  importCmd
    .command('bank')
    .description('import a bank file (BgMax, camt.053/054, MT940; CSV with --mapping): prints what was imported, auto-applied and left for review')
    .argument('<file>', 'the bank file')
    .option('--mapping <file>', 'for a CSV export: a JSON column mapping (see POST /v1/bank-files csv_mapping)')
    .option('--tenant <id>', 'the tenant', DEFAULT_TENANT_ID)
    .action(async (file: string, opts: { mapping?: string; tenant: string }) =>
      withParam(async () => {
        const mapping = opts.mapping === undefined ? undefined : csvMappingFromJson(JSON.parse(readFileSync(opts.mapping, 'utf8')) as Record<string, unknown>);
        const w = await hooks.wire();
        try {
          const tenantId = await cliTenant(w, opts.tenant);
          const env = envFor(w.deps, { tenantId, actorId: 'cli' });
          const handle = await readBankFileFromPath(file, mapping);
          const digest = await sha256OfFile(file);
          let report;
          try {
            report = await w.deps.db.transaction(tenantId, (s) =>
              importBankStatements(s, env, { format: handle.format, fileName: basename(file), fileSha256: digest, fileId: () => handle.header().fileId, statements: handle.statements }),
            );
          } catch (e) {
            if (e instanceof BankFileError) throw new Error(`${file}: ${e.format} ${e.where}: ${e.problem}; nothing was imported`, { cause: e });
            throw e;
          }
          if (json()) out(JSON.stringify(report));
          else {
            out(`Imported ${file} (${report.format}) into ${tenantId}: ${report.statements} statement(s), ${report.lines} line(s): ${report.new} new, ${report.duplicates} already imported`);
            out(`  auto-applied ${report.autoApplied}, left for review ${report.review}, unmatched ${report.unmatched}, outgoing ${report.outgoing}`);
            for (const [c, v] of Object.entries(report.appliedByCurrency)) out(`  applied ${fmt(BigInt(v), c)}`);
            if (report.seenBefore) out('  (a file with the same content was imported before)');
          }
        } finally {
          await w.close();
        }
      }),
    );

  // reports: VAT return (momsdeklaration sales boxes) and KPIs, the same use cases as GET /v1/reports/vat and /kpis
  const reportCmd = program.commands.find((c) => c.name() === 'report') ?? program.command('report').description('reports');
  reportCmd
    .command('vat')
    .description('the VAT return (momsdeklaration) sales boxes for a period: exact öre and declared whole kronor')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--csv', 'print CSV (box;label;amount;declared_kronor)')
    .option('--tenant <id>', 'the tenant', DEFAULT_TENANT_ID)
    .action(async (opts: { from: string; to: string; csv?: boolean; tenant: string }) =>
      withParam(async () => {
        const period = { from: parseLocalDate(opts.from, '--from'), to: parseLocalDate(opts.to, '--to') };
        const w = await hooks.wire();
        try {
          const tenantId = await cliTenant(w, opts.tenant);
          const r = await w.deps.db.transaction(tenantId, (s) => vatReport(s, period));
          if (opts.csv) out(vatReturnCsv(r).trimEnd());
          else if (json()) out(JSON.stringify(r, jsonReplacer));
          else {
            out(`Momsdeklaration ${r.from} – ${r.to} (${r.currency}; ${r.documents.invoices} invoice(s), ${r.documents.creditNotes} credit note(s))`);
            for (const b of r.boxes) out(`  ${b.box}  ${fmt(b.exactMinor, r.currency).padStart(20)}  declared ${b.declaredKronor.toString().padStart(12)}  ${b.label}`);
          }
        } finally {
          await w.close();
        }
      }),
    );
  reportCmd
    .command('kpis')
    .description('quote conversion, days per stage (average, median), DSO and CEI for a period')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD')
    .option('--tenant <id>', 'the tenant', DEFAULT_TENANT_ID)
    .action(async (opts: { from: string; to: string; tenant: string }) =>
      withParam(async () => {
        const period = { from: parseLocalDate(opts.from, '--from'), to: parseLocalDate(opts.to, '--to') };
        const w = await hooks.wire();
        try {
          const tenantId = await cliTenant(w, opts.tenant);
          const k = await w.deps.db.transaction(tenantId, (s) => kpiReport(s, period));
          if (json()) out(JSON.stringify(k, jsonReplacer));
          else {
            const q = k.quotes;
            out(`KPIs ${k.from} – ${k.to} (${k.timeZone})`);
            out(`  quotes sent ${q.sent}: accepted ${q.accepted}, declined ${q.declined}, expired ${q.expired}, open ${q.open}`);
            out(`  win rate of decided ${q.winRateOfDecidedPercent ?? '–'} %, conversion of sent ${q.conversionRateOfSentPercent ?? '–'} %`);
            for (const [name, st] of Object.entries(k.stages)) {
              out(`  ${name.padEnd(20)} n=${st.count} average ${st.averageDays ?? '–'} d, median ${st.medianDays ?? '–'} d`);
            }
            const c = k.receivables.currency;
            out(`  AR opening ${fmt(k.receivables.openingArMinor, c)}, closing ${fmt(k.receivables.closingArMinor, c)} (current ${fmt(k.receivables.closingCurrentArMinor, c)}), credit sales ${fmt(k.receivables.creditSalesMinor, c)}`);
            out(`  DSO ${k.receivables.dsoDays ?? '–'} days over ${k.receivables.days} days, CEI ${k.receivables.ceiPercent ?? '–'} %`);
          }
        } finally {
          await w.close();
        }
      }),
    );

  program
    .command('verify')
    .description('recompute the audit hash chain, the sealed journal entries and documents, and the ledger invariants; exits 1 on any failure')
    .option('--tenant <id>', 'only this tenant (default: every tenant)')
    .action(async (opts: { tenant?: string }) => {
      const w = await hooks.wire();
      try {
        const tenants = opts.tenant === undefined ? (await w.deps.db.platform.listTenants()).map((t) => t.id) : [await cliTenant(w, opts.tenant)];
        const reports = [];
        for (const tenantId of tenants) {
          const report = await w.deps.db.snapshot(tenantId, (s) => verifyLedger(s));
          reports.push(report);
          if (!json()) for (const line of reportLines(report)) out(line);
        }
        if (json()) out(JSON.stringify(reports, jsonReplacer));
        if (!reports.every((r) => r.ok)) process.exitCode = 1;
      } finally {
        await w.close();
      }
    });

  program
    .command('demo')
    .description('run the whole quote-to-cash chain on the configured database, printing each step')
    .action(async () => {
      const w = await hooks.wire();
      try {
        await ensureTenant(w.deps.db, defaultTenant({ name: 'Demo Företag AB', orgNumber: '556677-8899', vatNumber: 'SE556677889901' }));
        const steps: { step: string; detail?: Record<string, unknown> }[] = [];
        const result = await runDemo(w.deps, DEFAULT_TENANT_ID, (step, detail) => {
          steps.push(detail ? { step, detail } : { step });
          if (!json()) out(`• ${step}${detail ? '  ' + JSON.stringify(detail, jsonReplacer) : ''}`);
        });
        if (json()) {
          out(JSON.stringify({ steps, ...result }, jsonReplacer));
        } else {
          out('\nTrial balance');
          for (const r of result.trialBalance.rows) {
            out(`  ${r.account} ${(r.name ?? '').padEnd(40).slice(0, 40)} ${r.currency}  debit ${fmt(r.debitMinor, r.currency).padStart(16)}  credit ${fmt(r.creditMinor, r.currency).padStart(16)}`);
          }
          for (const t of result.trialBalance.totals) {
            out(`  total ${t.currency}: debit ${fmt(t.debitMinor, t.currency)}, credit ${fmt(t.creditMinor, t.currency)} — ${t.balanced ? 'balanced' : 'NOT BALANCED'}`);
          }
          out(`\nInvoice ${result.invoiceNumber}: ${result.invoicePaid ? 'paid' : 'NOT paid'}`);
          out(`Customer balance: ${fmt(result.customerBalanceMinor, 'SEK')}`);
          for (const c of result.checks) out(`${c.ok ? '✔' : '✘'} ${c.name}`);
        }
        if (!result.checks.every((c) => c.ok)) throw new Error('the demo chain did not end as it should (see the checks above)');
      } finally {
        await w.close();
      }
    });
  return program;
}
