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
import { seedDemo } from '../app/demo/seed.js';
import { runScheduledJobs } from '../app/jobs/run-jobs.js';
import { formatAmount, money } from '../core/money/money.js';
import { parseLocalDate } from '../core/shared/dates.js';

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
      if (w.kind === 'pglite' && w.freshEmbedded && created) {
        out('New embedded database: seeding demo data…');
        await seedDemo(w.deps, DEFAULT_TENANT_ID);
        key = (await createApiKey(w.deps.db, w.deps, { tenantId: DEFAULT_TENANT_ID, name: 'demo admin' })).key;
      }
      const { url } = await hooks.serve(w);
      out(`q2c is listening on ${url}  (database: ${w.kind})`);
      out(`  API docs:     ${url}/docs`);
      out(`  OpenAPI:      ${url}/openapi.json`);
      if (key) out(`  Admin API key (shown once): ${key}\n  Try: curl -H "Authorization: Bearer ${key}" ${url}/v1/invoices`);
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
    .action(async (opts: { name: string; role: string }) => {
      const w = await hooks.wire();
      try {
        await ensureTenant(w.deps.db, defaultTenant());
        const { key, record } = await createApiKey(w.deps.db, w.deps, { tenantId: DEFAULT_TENANT_ID, name: opts.name, role: opts.role });
        if (json()) out(JSON.stringify({ id: record.id, name: record.name, role: record.role, key }));
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
    .action(async (opts: { billing?: boolean; issue?: boolean; upTo?: string }) => {
      if (!opts.billing && (opts.issue || opts.upTo !== undefined)) throw new Error('--issue and --up-to need --billing');
      const upTo = opts.upTo === undefined ? undefined : parseLocalDate(opts.upTo, '--up-to');
      const w = await hooks.wire();
      try {
        const reports = await runScheduledJobs(w.deps, opts.billing ? { billing: { issue: opts.issue ?? false, upTo } } : {});
        if (json()) out(JSON.stringify(reports));
        else {
          for (const r of reports) {
            out(`${r.tenantId}: ${r.expiredQuotes.length} quote version(s) expired`);
            for (const q of r.expiredQuotes) out(`  ${q.number} v${q.version} (${q.id})`);
            out(`${r.tenantId}: ${r.deemedAcceptedDeliveries.length} delivery(ies) deemed accepted after the review window`);
            for (const d of r.deemedAcceptedDeliveries) out(`  ${d.number} (${d.id})`);
            const b = r.billingRun;
            if (b) {
              out(`${r.tenantId}: billing run ${b.runId} up to ${b.upTo}: ${b.created.length} invoice(s) ${b.issue ? 'issued' : 'drafted'}, ${b.skipped.length} skipped, ${b.failed.length} failed`);
              for (const c of b.created) out(`  ${c.orderNumber} → ${c.invoiceNumber ?? c.invoiceId} ${c.gross.amount} ${c.gross.currency}`);
              for (const f of b.failed) out(`  FAILED ${f.orderId}: ${f.code} ${f.message}`);
            }
          }
        }
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
