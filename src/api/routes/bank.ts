/**
 * Bank files and the review queue (issue 6):
 *   POST /v1/bank-files                  import a BgMax, camt.053/054, MT940 or CSV file (base64), matched at once
 *   GET  /v1/bank-imports/{id}           what an import did
 *   GET  /v1/bank-transactions           lines, filtered by status (unmatched = the review queue) or import
 *   GET  /v1/bank-transactions/{id}      one line with the engine's proposals and reasons
 *   POST /v1/bank-transactions/{id}/apply   resolve a waiting line: apply / credit / ignore
 * An unreadable file is a 400 naming the line or element and the problem; nothing of it is imported.
 */
import { z } from 'zod';
import { importBankStatements, sha256, type BankImportReport } from '../../app/bank/import-statements.js';
import { saveCsvMapping } from '../../app/bank/csv-mappings.js';
import { resolveBankLine, undoBankLine, type ResolveLineInput } from '../../app/bank/resolve-line.js';
import type { BankTransactionRecord, BankTransactionStatus } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { parseMoney } from '../../core/money/money.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import { parseId, type Id } from '../../core/shared/ids.js';
import { BankFileError, type BankStatement } from '../../integrations/bank/bank-file.js';
import { CSV_DATE_FORMATS, type BankCsvMapping } from '../../integrations/bank/csv.js';
import { readBankFile } from '../../integrations/bank/read.js';
import { command, read, sendStored } from '../command.js';
import { type Api, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, listQueryShape, pageOfList, pathId } from '../http.js';
import { listJson, listSchema, moneyJson, MoneyJson } from '../serialize.js';

/** Largest bank file accepted over HTTP (base64 adds a third); the CLI streams files of any size. */
export const MAX_BANK_FILE_BYTES = 64 * 1024 * 1024;

const CsvMappingBody = z.strictObject({
  account: z.string().min(1).max(100),
  currency: z.string().length(3),
  delimiter: z.enum([';', ',', '\t']).optional(),
  decimal: z.enum([',', '.']),
  thousands: z.enum(['.', ',', "'"]).optional(),
  date_format: z.enum(CSV_DATE_FORMATS),
  skip_lines: z.number().int().min(0).max(100).optional(),
  columns: z.strictObject({
    booking_date: z.string().min(1).max(100),
    value_date: z.string().max(100).optional(),
    amount: z.string().max(100).optional(),
    credit: z.string().max(100).optional(),
    debit: z.string().max(100).optional(),
    currency: z.string().max(100).optional(),
    reference: z.string().max(100).optional(),
    text: z.string().max(100).optional(),
    payer_name: z.string().max(100).optional(),
    payer_account: z.string().max(100).optional(),
    bank_reference: z.string().max(100).optional(),
  }),
});

export const ImportBankFileBody = z.strictObject({
  file_name: z.string().max(255).optional(),
  content_base64: z.string().min(1).max(Math.ceil((MAX_BANK_FILE_BYTES * 4) / 3) + 4).describe('The file, base64-encoded'),
  csv_mapping: CsvMappingBody.optional().describe('For a CSV export: how its columns map'),
  csv_account: z.string().min(1).max(100).optional().describe('For a CSV export: use the mapping saved for this bank account'),
});

const ImportReportJson = z.object({
  import_id: z.string(),
  format: z.string(),
  file_name: z.string().nullable(),
  seen_before: z.boolean(),
  statements: z.number(),
  lines: z.number(),
  new: z.number(),
  duplicates: z.number(),
  outgoing: z.number(),
  auto_applied: z.number(),
  review: z.number(),
  unmatched: z.number(),
  applied_by_currency: z.record(z.string(), z.string()),
});

export const reportJson = (r: BankImportReport): z.output<typeof ImportReportJson> => ({
  import_id: r.importId,
  format: r.format,
  file_name: r.fileName,
  seen_before: r.seenBefore,
  statements: r.statements,
  lines: r.lines,
  new: r.new,
  duplicates: r.duplicates,
  outgoing: r.outgoing,
  auto_applied: r.autoApplied,
  review: r.review,
  unmatched: r.unmatched,
  applied_by_currency: r.appliedByCurrency,
});

const BankTransactionJson = z.object({
  id: z.string(),
  import_id: z.string(),
  account: z.string(),
  booking_date: z.string(),
  value_date: z.string().nullable(),
  amount: MoneyJson.describe('Signed: negative is money out'),
  payer_name: z.string().nullable(),
  payer_account: z.string().nullable(),
  references: z.array(z.object({ kind: z.string(), value: z.string() })),
  text: z.string().nullable(),
  bank_reference: z.string().nullable(),
  source: z.string(),
  status: z.string(),
  payment_id: z.string().nullable(),
  match: z.unknown().describe('The engine decision (rule, score, reasons, proposals) and, once resolved, the resolution'),
  ignored_reason: z.string().nullable(),
});

export const bankTransactionJson = (t: BankTransactionRecord): z.output<typeof BankTransactionJson> => ({
  id: t.id,
  import_id: t.importId,
  account: t.account,
  booking_date: t.bookingDate,
  value_date: t.valueDate,
  amount: moneyJson(t.amountMinor, t.currency),
  payer_name: t.payerName,
  payer_account: t.payerAccount,
  references: t.references.map((r) => ({ kind: r.kind, value: r.value })),
  text: t.text,
  bank_reference: t.bankReference,
  source: t.source,
  status: t.status,
  payment_id: t.paymentId,
  match: t.match,
  ignored_reason: t.ignoredReason,
});

const ResolveBody = z.discriminatedUnion('action', [
  z.strictObject({
    action: z.literal('apply'),
    allocations: z
      .array(
        z.strictObject({
          invoice_id: z.string().max(100),
          amount: DecimalInput.optional(),
          write_off: z.boolean().optional().describe('Settle the invoice: write off the short rest if within the tolerance (3740)'),
          bank_fee: DecimalInput.optional().describe('A fee the bank withheld (6570)'),
        }),
      )
      .min(1)
      .max(100),
  }),
  z.strictObject({ action: z.literal('credit'), customer_id: z.string().max(100) }),
  z.strictObject({ action: z.literal('ignore'), reason: z.string().min(1).max(500) }),
]);

const ListQuery = z.strictObject({
  ...listQueryShape(['date', 'amount']),
  status: z.enum(['unmatched', 'applied', 'credit', 'ignored', 'outgoing']).optional(),
  import_id: z.string().max(100).optional(),
});

function toMapping(m: z.output<typeof CsvMappingBody>): BankCsvMapping {
  const c = m.columns;
  return {
    account: m.account,
    currency: m.currency.toUpperCase(),
    delimiter: m.delimiter,
    decimal: m.decimal,
    thousands: m.thousands,
    dateFormat: m.date_format,
    skipLines: m.skip_lines,
    columns: {
      bookingDate: c.booking_date,
      valueDate: c.value_date,
      amount: c.amount,
      credit: c.credit,
      debit: c.debit,
      currency: c.currency,
      reference: c.reference,
      text: c.text,
      payerName: c.payer_name,
      payerAccount: c.payer_account,
      bankReference: c.bank_reference,
    },
  };
}

/** A reader's error as a 400 naming where in the file, on the request field that carried it. */
export function bankFileProblem(e: unknown, param: string): unknown {
  return e instanceof BankFileError ? new DomainError('validation_failed', `${e.format} file, ${e.where}: ${e.problem}`, param) : e;
}

async function* guarded(statements: AsyncIterable<BankStatement>, param: string): AsyncGenerator<BankStatement> {
  try {
    for await (const s of statements) yield s;
  } catch (e) {
    throw bankFileProblem(e, param);
  }
}

export function bankRoutes(app: Api, deps: AppDeps): void {
  app.put(
    '/v1/bank-csv-mappings/:account',
    {
      schema: {
        tags: ['bank'],
        summary: "Save the column mapping of a bank account's CSV exports (replaces the saved one)",
        headers: IdempotencyHeaders,
        params: z.strictObject({ account: z.string().min(1).max(100) }),
        body: CsvMappingBody.omit({ account: true }),
        response: { 200: CsvMappingBody, ...errorResponses },
      },
    },
    async (req, reply) => {
      const mapping = { ...req.body, account: req.params.account };
      toMapping(mapping);
      const res = await command(req, deps, 200, async (s, env) => {
        await saveCsvMapping(s, env, req.params.account, mapping);
        return mapping;
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/bank-csv-mappings',
    { schema: { tags: ['bank'], summary: 'The saved CSV column mappings, one per bank account', response: { 200: z.object({ data: z.array(CsvMappingBody) }), ...errorResponses } } },
    async (req) => read(req, deps, async (s) => ({ data: (await s.bank.csvMappings()).map((m) => CsvMappingBody.parse(m.mapping)) })),
  );

  app.post(
    '/v1/bank-files',
    {
      bodyLimit: Math.ceil((MAX_BANK_FILE_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        tags: ['bank'],
        summary: 'Import a bank file (BgMax, camt.053/054, MT940, or CSV with a column mapping); new lines are matched and, where certain, applied',
        headers: IdempotencyHeaders,
        body: ImportBankFileBody,
        response: { 201: ImportReportJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const content = Buffer.from(req.body.content_base64, 'base64');
      if (content.length === 0) throw new DomainError('validation_failed', 'the file is empty', 'content_base64');
      if (req.body.csv_mapping !== undefined && req.body.csv_account !== undefined) {
        throw new DomainError('validation_failed', 'give either csv_mapping or csv_account, not both', 'csv_account');
      }
      const res = await command(req, deps, 201, async (s, env) => {
        let mapping = req.body.csv_mapping === undefined ? undefined : toMapping(req.body.csv_mapping);
        if (req.body.csv_account !== undefined) {
          const saved = await s.bank.csvMapping(req.body.csv_account);
          if (saved === undefined) throw notFound('saved CSV mapping for account', req.body.csv_account, 'csv_account');
          mapping = toMapping(CsvMappingBody.parse(saved));
        }
        let handle;
        try {
          handle = readBankFile(content, mapping);
        } catch (e) {
          throw bankFileProblem(e, 'content_base64');
        }
        const report = await importBankStatements(s, env, {
          format: handle.format,
          fileName: req.body.file_name ?? null,
          fileSha256: sha256(content),
          fileId: () => handle.header().fileId,
          statements: guarded(handle.statements, 'content_base64'),
        });
        return reportJson(report);
      });
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/bank-imports/:id',
    { schema: { tags: ['bank'], summary: 'What a bank-file import did', params: IdParams, response: { 200: ImportReportJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('bankImport', req.params.id, 'bank import');
      return read(req, deps, async (s) => {
        const r = await s.bank.getImport(id);
        if (!r) throw notFound('bank import', id);
        return reportJson(r.report as BankImportReport);
      });
    },
  );

  app.get(
    '/v1/bank-transactions',
    {
      schema: {
        tags: ['bank'],
        summary: 'Bank transactions; status=unmatched is the review queue, each with the proposals and their reasons',
        querystring: ListQuery,
        response: { 200: listSchema(BankTransactionJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOfList('bankTransaction', req.query);
      const filter: { status?: BankTransactionStatus; importId?: Id<'bankImport'> } = {};
      if (req.query.status !== undefined) filter.status = req.query.status;
      if (req.query.import_id !== undefined) filter.importId = parseId('bankImport', req.query.import_id, 'import_id');
      return read(req, deps, async (s) => listJson(await s.bank.list(page, filter), async (t) => bankTransactionJson(t)));
    },
  );

  app.get(
    '/v1/bank-transactions/:id',
    { schema: { tags: ['bank'], summary: 'One bank transaction', params: IdParams, response: { 200: BankTransactionJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('bankTransaction', req.params.id, 'bank transaction');
      return read(req, deps, async (s) => {
        const t = await s.bank.get(id);
        if (!t) throw notFound('bank transaction', id);
        return bankTransactionJson(t);
      });
    },
  );

  app.post(
    '/v1/bank-transactions/:id/undo',
    {
      schema: {
        tags: ['bank'],
        summary: 'Undo how a bank transaction was settled: its payment is reversed, the invoices reopen, the line returns to the review queue',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: z.strictObject({ reason: z.string().min(1).max(500) }),
        response: { 200: BankTransactionJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('bankTransaction', req.params.id, 'bank transaction');
      const res = await command(req, deps, 200, async (s, env) => bankTransactionJson(await undoBankLine(s, env, id, { reason: req.body.reason })));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/bank-transactions/:id/apply',
    {
      schema: {
        tags: ['bank'],
        summary: 'Resolve a waiting bank transaction: apply it to invoices, keep it as customer credit, or ignore it with a reason',
        headers: IdempotencyHeaders,
        params: IdParams,
        body: ResolveBody,
        response: { 200: BankTransactionJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('bankTransaction', req.params.id, 'bank transaction');
      const b = req.body;
      const res = await command(req, deps, 200, async (s, env) => {
        let input: ResolveLineInput;
        if (b.action === 'apply') {
          const line = await s.bank.get(id);
          if (!line) throw notFound('bank transaction', id);
          input = {
            action: 'apply',
            allocations: b.allocations.map((a, i) => ({
              invoiceId: parseId('invoice', a.invoice_id, `allocations.${i}.invoice_id`),
              amountMinor: a.amount === undefined ? undefined : parseMoney(a.amount, line.currency, `allocations.${i}.amount`).minor,
              writeOff: a.write_off,
              bankFeeMinor: a.bank_fee === undefined ? undefined : parseMoney(a.bank_fee, line.currency, `allocations.${i}.bank_fee`).minor,
            })),
          };
        } else if (b.action === 'credit') {
          input = { action: 'credit', customerId: parseId('customer', b.customer_id, 'customer_id') };
        } else {
          input = { action: 'ignore', reason: b.reason };
        }
        return bankTransactionJson(await resolveBankLine(s, env, id, input));
      });
      return sendStored(reply, res);
    },
  );
}
