import { sql, type RawBuilder } from 'kysely';
import type { AuditRepo } from '../../app/ports.js';
import type { BalanceMismatch, NumberingIssue, SealedKind, SealedRecord } from '../../app/audit/ports.js';
import type { AuditChainRow, Field } from '../../core/audit/chain.js';
import type { TenantId } from '../../core/shared/ids.js';
import { generatedId, toJson, type Executor } from './shared.js';

/*
 * The audit log is append-only; the database seals each row into the tenant's hash chain at commit and
 * adds a seal row (with a digest) for every posted journal entry and issued invoice / credit note
 * (migration 2026-12-04T2910_audit_chain.sql). The reads below serve `q2c verify`: they return values
 * as text formatted by PostgreSQL exactly as the migration formats them, and core/audit/chain.ts hashes
 * them. The digest field lists here must match q2c_*_digest in that migration, field for field.
 */

/** A timestamptz as the chain formats it (q2c_ts). */
const ts = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const d = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

const ENTRY_HEADER = [
  `'journal_entry'::text`, 'e.tenant_id', 'e.id', 'e.series', 'e.fiscal_year::text', 'e.number::text', d('e.entry_date'),
  'e.description', 'e.source_type', 'e.source_id', 'e.reverses_entry_id', ts('e.created_at'),
  `to_jsonb(e) ->> 'document_date'`, `to_jsonb(e) ->> 'created_by'`,
];
const ENTRY_LINE = [
  `'line'::text`, 'x.line_no::text', 'x.account', 'x.currency::text', 'x.debit_minor::text', 'x.credit_minor::text', 'x.customer_id',
  'x.amount_currency::text', 'x.amount_minor::text',
];
const INVOICE_HEADER = [
  `'invoice'::text`, 'e.tenant_id', 'e.id', 'e.series', 'e.number', 'e.status', 'e.order_id', 'e.customer_id', 'e.currency::text',
  d('e.issue_date'), d('e.due_date'), d('e.delivery_date'), 'e.payment_terms_days::text', 'e.payment_reference',
  'e.net_total_minor::text', 'e.vat_total_minor::text', 'e.gross_total_minor::text', 'e.seller::text', 'e.buyer::text',
  ts('e.issued_at'), ts('e.created_at'), 'e.exchange_rate::text', d('e.exchange_rate_date'), 'e.base_currency::text',
  'e.vat_total_base_minor::text', 'e.gross_total_base_minor::text', 'e.kind', 'e.advance_label', 'e.prepaid_minor::text',
  'e.rounding_minor::text',
];
const INVOICE_LINE = [
  `'line'::text`, 'x.line_no::text', 'x.order_id', 'x.order_line_no::text', 'x.product_id', 'x.description', 'x.quantity::text', 'x.unit',
  'x.unit_price_minor::text', 'x.discount_percent::text', 'x.gross_amount_minor::text', 'x.discount_amount_minor::text',
  'x.net_amount_minor::text', 'x.vat_rate::text', 'x.vat_category',
];
const VAT_ROW = [`'vat'::text`, 'x.vat_category', 'x.vat_rate::text', 'x.taxable_minor::text', 'x.vat_minor::text'];
const DEDUCTION = [
  `'deduction'::text`, 'x.line_no::text', 'x.advance_invoice_id', 'x.vat_category', 'x.vat_rate::text', 'x.net_minor::text', 'x.vat_minor::text',
];
const CREDIT_NOTE_HEADER = [
  `'credit_note'::text`, 'e.tenant_id', 'e.id', 'e.series', 'e.number', 'e.status', 'e.invoice_id', 'e.order_id', 'e.customer_id',
  'e.currency::text', 'e.reason', 'e.credit_request_id', d('e.issue_date'), 'e.net_total_minor::text', 'e.vat_total_minor::text',
  'e.gross_total_minor::text', 'e.receivable_minor::text', 'e.customer_credit_minor::text', 'e.seller::text', 'e.buyer::text',
  ts('e.issued_at'), ts('e.created_at'), 'e.exchange_rate::text', d('e.exchange_rate_date'), 'e.base_currency::text',
  'e.vat_total_base_minor::text', 'e.gross_total_base_minor::text',
];
const CREDIT_NOTE_LINE = [
  `'line'::text`, 'x.line_no::text', 'x.invoice_line_no::text', 'x.order_line_no::text', 'x.description', 'x.quantity::text', 'x.unit',
  'x.unit_price_minor::text', 'x.gross_amount_minor::text', 'x.discount_amount_minor::text', 'x.net_amount_minor::text',
  'x.vat_rate::text', 'x.vat_category',
];
const RELEASE = [`'release'::text`, 'x.payment_id', 'x.invoice_id', 'x.amount_minor::text'];

interface ChildTable {
  table: string;
  parentColumn: string;
  fields: string[];
  orderBy: string;
}

interface SealedSpec {
  table: string;
  /** only documents in this state carry a seal */
  where: string;
  action: string;
  header: string[];
  children: ChildTable[];
  label: (r: { id: string; series: string; number: string; fiscal_year: string | null }) => string;
}

const SEALED: { readonly [K in SealedKind]: SealedSpec } = {
  journal_entry: {
    table: 'journal_entries',
    where: 'true',
    action: 'journal.posted',
    header: ENTRY_HEADER,
    children: [{ table: 'journal_lines', parentColumn: 'entry_id', fields: ENTRY_LINE, orderBy: 'x.line_no' }],
    label: (r) => `entry ${r.series} ${r.fiscal_year}-${r.number} (${r.id})`,
  },
  invoice: {
    table: 'invoices',
    where: `e.status = 'issued'`,
    action: 'invoice.sealed',
    header: INVOICE_HEADER,
    children: [
      { table: 'invoice_lines', parentColumn: 'invoice_id', fields: INVOICE_LINE, orderBy: 'x.line_no' },
      { table: 'invoice_vat_breakdown', parentColumn: 'invoice_id', fields: VAT_ROW, orderBy: 'x.vat_category COLLATE "C", x.vat_rate' },
      { table: 'invoice_advance_deductions', parentColumn: 'invoice_id', fields: DEDUCTION, orderBy: 'x.line_no' },
    ],
    label: (r) => `invoice ${r.series} ${r.number} (${r.id})`,
  },
  credit_note: {
    table: 'credit_notes',
    where: `e.status = 'issued'`,
    action: 'credit_note.sealed',
    header: CREDIT_NOTE_HEADER,
    children: [
      { table: 'credit_note_lines', parentColumn: 'credit_note_id', fields: CREDIT_NOTE_LINE, orderBy: 'x.line_no' },
      { table: 'credit_note_vat_breakdown', parentColumn: 'credit_note_id', fields: VAT_ROW, orderBy: 'x.vat_category COLLATE "C", x.vat_rate' },
      { table: 'credit_note_releases', parentColumn: 'credit_note_id', fields: RELEASE, orderBy: 'x.payment_id COLLATE "C"' },
    ],
    label: (r) => `credit note ${r.number} (${r.id})`,
  },
};

const fieldsJson = (exprs: string[]): RawBuilder<unknown> => sql.raw(`json_build_array(${exprs.join(', ')})`);
const RECEIVABLE = '1510';
const CUSTOMER_CREDIT = '2420';

async function rows<R>(db: Executor, q: RawBuilder<R>): Promise<R[]> {
  return (await q.execute(db)).rows;
}

/** The audit log is append-only (a trigger refuses UPDATE and DELETE and seals rows at commit). */
export function auditRepo(db: Executor, tenantId: TenantId): AuditRepo {
  return {
    async insert(a) {
      await db
        .insertInto('audit_log')
        .values({
          tenant_id: tenantId,
          id: generatedId('aud'),
          actor: a.actor,
          action: a.action,
          entity_type: a.entityType,
          entity_id: a.entityId,
          data: a.data === undefined ? null : toJson(a.data),
        })
        .execute();
    },

    async chainPage(afterSeq, limit) {
      const r = await rows(
        db,
        sql<{
          tenant_id: string; id: string; seq: bigint; occurred_at: string; actor: string; action: string; entity_type: string;
          entity_id: string; data: string | null; prev_hash: string; hash: string;
        }>`SELECT tenant_id, id, seq, ${sql.raw(ts('occurred_at'))} AS occurred_at, actor, action, entity_type, entity_id,
                  data::text AS data, prev_hash, hash
             FROM audit_log
            WHERE tenant_id = ${tenantId} AND seq > ${afterSeq.toString()}::bigint
            ORDER BY seq
            LIMIT ${limit}`,
      );
      return r.map(
        (x): AuditChainRow => ({
          tenantId: x.tenant_id, id: x.id, seq: BigInt(x.seq), occurredAt: x.occurred_at, actor: x.actor, action: x.action,
          entityType: x.entity_type, entityId: x.entity_id, data: x.data, prevHash: x.prev_hash, hash: x.hash,
        }),
      );
    },

    async unsealed(limit) {
      const r = await rows(
        db,
        sql<{ id: string; action: string; entity_id: string; total: bigint }>`
          SELECT id, action, entity_id, count(*) OVER () AS total FROM audit_log
           WHERE tenant_id = ${tenantId} AND seq IS NULL ORDER BY occurred_at, id LIMIT ${limit}`,
      );
      return { count: Number(r[0]?.total ?? 0), rows: r.map((x) => ({ id: x.id, action: x.action, entityId: x.entity_id })) };
    },

    async chainHead() {
      const r = await rows(db, sql<{ seq: bigint; hash: string }>`SELECT seq, hash FROM audit_chain_heads WHERE tenant_id = ${tenantId}`);
      return r[0] ? { seq: BigInt(r[0].seq), hash: r[0].hash } : null;
    },

    async sealedPage(kind, afterId, limit) {
      const spec = SEALED[kind];
      const headers = await rows(
        db,
        sql<{ id: string; series: string; number: string; fiscal_year: string | null; f: Field[] }>`
          SELECT e.id, e.series, e.number::text AS number, ${sql.raw(kind === 'journal_entry' ? 'e.fiscal_year::text' : 'NULL::text')} AS fiscal_year,
                 ${fieldsJson(spec.header)} AS f
            FROM ${sql.table(spec.table)} e
           WHERE e.tenant_id = ${tenantId} AND ${sql.raw(spec.where)} ${afterId === undefined ? sql`` : sql`AND e.id > ${afterId}`}
           ORDER BY e.id
           LIMIT ${limit}`,
      );
      if (headers.length === 0) return [];
      // children and seals of the page by id range (an index range scan; the page is in id order), the
      // rows of records outside the page's set (drafts) skipped
      const parts = new Map<string, Field[][]>(headers.map((h) => [h.id, [h.f]]));
      const range = (col: string) =>
        sql`${sql.raw(col)} <= ${headers[headers.length - 1]!.id} ${afterId === undefined ? sql`` : sql`AND ${sql.raw(col)} > ${afterId}`}`;
      for (const c of spec.children) {
        const children = await rows(
          db,
          sql<{ parent: string; f: Field[] }>`
            SELECT ${sql.raw(`x.${c.parentColumn}`)} AS parent, ${fieldsJson(c.fields)} AS f
              FROM ${sql.table(c.table)} x
             WHERE x.tenant_id = ${tenantId} AND ${range(`x.${c.parentColumn}`)}
             ORDER BY ${sql.raw(`x.${c.parentColumn}`)}, ${sql.raw(c.orderBy)}`,
        );
        for (const x of children) parts.get(x.parent)?.push(x.f);
      }
      const seals = await rows(
        db,
        sql<{ entity_id: string; digest: string | null }>`
          SELECT entity_id, data ->> 'digest' AS digest FROM audit_log
           WHERE tenant_id = ${tenantId} AND entity_type = ${kind} AND ${range('entity_id')} AND action = ${spec.action}
           ORDER BY seq`,
      );
      const sealed = new Map<string, string[]>();
      for (const s of seals) if (parts.has(s.entity_id)) sealed.set(s.entity_id, [...(sealed.get(s.entity_id) ?? []), s.digest ?? '']);
      return headers.map((h): SealedRecord => ({ id: h.id, label: spec.label(h), parts: parts.get(h.id)!, sealed: sealed.get(h.id) ?? [] }));
    },

    async orphanSeals(kind, limit) {
      const spec = SEALED[kind];
      const r = await rows(
        db,
        sql<{ seq: bigint | null; id: string; entity_id: string; number: string | null; series: string | null; fiscal_year: string | null; total: bigint }>`
          SELECT a.seq, a.id, a.entity_id, a.data ->> 'number' AS number, a.data ->> 'series' AS series,
                 a.data ->> 'fiscal_year' AS fiscal_year, count(*) OVER () AS total
            FROM audit_log a
           WHERE a.tenant_id = ${tenantId} AND a.entity_type = ${kind} AND a.action = ${spec.action}
             AND NOT EXISTS (SELECT 1 FROM ${sql.table(spec.table)} e
                              WHERE e.tenant_id = a.tenant_id AND e.id = a.entity_id AND ${sql.raw(spec.where)})
           ORDER BY a.seq
           LIMIT ${limit}`,
      );
      return {
        count: Number(r[0]?.total ?? 0),
        rows: r.map((x) => ({
          seq: x.seq === null ? null : BigInt(x.seq),
          auditId: x.id,
          entityId: x.entity_id,
          number: spec.label({ id: x.entity_id, series: x.series ?? '?', number: x.number ?? '?', fiscal_year: x.fiscal_year }),
        })),
      };
    },

    async entryCount() {
      const r = await rows(db, sql<{ n: bigint }>`SELECT count(*) AS n FROM journal_entries WHERE tenant_id = ${tenantId}`);
      return Number(r[0]?.n ?? 0);
    },

    async unbalancedEntries(limit) {
      const r = await rows(
        db,
        sql<{ entry_id: string; currency: string | null; d: string; c: string; series: string | null; fiscal_year: number | null; number: number | null; total: bigint }>`
          WITH per AS (
            SELECT entry_id, currency::text AS currency, sum(debit_minor) AS d, sum(credit_minor) AS c
              FROM journal_lines WHERE tenant_id = ${tenantId} GROUP BY entry_id, currency
          ), bad AS (
            SELECT entry_id, currency, d, c FROM per WHERE d <> c
            UNION ALL
            SELECT e.id, NULL, 0, 0 FROM journal_entries e
             WHERE e.tenant_id = ${tenantId}
               AND NOT EXISTS (SELECT 1 FROM journal_lines l WHERE l.tenant_id = e.tenant_id AND l.entry_id = e.id)
          )
          SELECT b.entry_id, b.currency, b.d::text AS d, b.c::text AS c, e.series, e.fiscal_year, e.number, count(*) OVER () AS total
            FROM bad b LEFT JOIN journal_entries e ON e.tenant_id = ${tenantId} AND e.id = b.entry_id
           ORDER BY e.fiscal_year, e.series, e.number, b.entry_id
           LIMIT ${limit}`,
      );
      return {
        count: Number(r[0]?.total ?? 0),
        rows: r.map((x) => ({
          label: x.series === null ? `lines of a missing entry ${x.entry_id}` : `entry ${x.series} ${x.fiscal_year}-${x.number} (${x.entry_id})`,
          currency: x.currency,
          debitMinor: BigInt(x.d),
          creditMinor: BigInt(x.c),
        })),
      };
    },

    async linesOffBase(baseCurrency, limit) {
      const r = await rows(
        db,
        sql<{ entry_id: string; line_no: number; currency: string; amount_currency: string | null; series: string | null; fiscal_year: number | null; number: number | null; total: bigint }>`
          SELECT l.entry_id, l.line_no, l.currency::text AS currency, l.amount_currency::text AS amount_currency,
                 e.series, e.fiscal_year, e.number, count(*) OVER () AS total
            FROM journal_lines l LEFT JOIN journal_entries e ON e.tenant_id = l.tenant_id AND e.id = l.entry_id
           WHERE l.tenant_id = ${tenantId}
             AND (l.currency <> ${baseCurrency} OR (l.amount_currency IS NULL) <> (l.amount_minor IS NULL)
                  OR l.amount_currency = ${baseCurrency} OR l.amount_minor < 0)
           ORDER BY e.fiscal_year, e.series, e.number, l.line_no
           LIMIT ${limit}`,
      );
      return {
        count: Number(r[0]?.total ?? 0),
        rows: r.map((x) => ({
          label: `entry ${x.series ?? '?'} ${x.fiscal_year ?? '?'}-${x.number ?? '?'} (${x.entry_id})`,
          lineNo: x.line_no,
          currency: x.currency,
          amountCurrency: x.amount_currency,
        })),
      };
    },

    async postingTotals() {
      const r = await rows(
        db,
        sql<{ currency: string; d: string; c: string }>`
          SELECT currency::text AS currency, sum(debit_minor)::text AS d, sum(credit_minor)::text AS c
            FROM journal_lines WHERE tenant_id = ${tenantId} GROUP BY currency ORDER BY currency`,
      );
      return r.map((x) => ({ currency: x.currency, debitMinor: BigInt(x.d), creditMinor: BigInt(x.c) }));
    },

    async receivableMismatches(baseCurrency, limit) {
      return mismatches(
        db,
        limit,
        sql`
          WITH l AS (
            SELECT customer_id, debit_minor - credit_minor AS s, amount_currency::text AS amount_currency,
                   CASE WHEN debit_minor > 0 THEN amount_minor ELSE -amount_minor END AS fs
              FROM journal_lines WHERE tenant_id = ${tenantId} AND account = ${RECEIVABLE}
          ), o AS (
            SELECT customer_id, currency::text AS currency, open_minor, base_open_minor FROM ar_open_items WHERE tenant_id = ${tenantId}
          )
          SELECT 'total' AS scope, 'total' AS k, (SELECT coalesce(sum(s), 0) FROM l) AS lg, (SELECT coalesce(sum(base_open_minor), 0) FROM o) AS sb
          UNION ALL
          SELECT 'customer', coalesce(a.customer_id, b.customer_id), coalesce(a.v, 0), coalesce(b.v, 0)
            FROM (SELECT customer_id, sum(s) AS v FROM l WHERE customer_id IS NOT NULL GROUP BY customer_id) a
            FULL JOIN (SELECT customer_id, sum(base_open_minor) AS v FROM o GROUP BY customer_id) b ON a.customer_id = b.customer_id
          UNION ALL
          SELECT 'currency', coalesce(a.c, b.c), coalesce(a.v, 0), coalesce(b.v, 0)
            FROM (SELECT amount_currency AS c, sum(fs) AS v FROM l WHERE amount_currency IS NOT NULL GROUP BY amount_currency) a
            FULL JOIN (SELECT currency AS c, sum(open_minor) AS v FROM o WHERE currency <> ${baseCurrency} GROUP BY currency) b ON a.c = b.c`,
      );
    },

    async customerCreditMismatches(baseCurrency, limit) {
      return mismatches(
        db,
        limit,
        sql`
          WITH l AS (
            SELECT credit_minor - debit_minor AS s, amount_currency::text AS amount_currency,
                   CASE WHEN credit_minor > 0 THEN amount_minor ELSE -amount_minor END AS fs
              FROM journal_lines WHERE tenant_id = ${tenantId} AND account = ${CUSTOMER_CREDIT}
          ), p AS (
            SELECT currency::text AS currency, unapplied_minor, base_unapplied_minor FROM payments WHERE tenant_id = ${tenantId}
          )
          SELECT 'total' AS scope, 'total' AS k, (SELECT coalesce(sum(s), 0) FROM l) AS lg, (SELECT coalesce(sum(base_unapplied_minor), 0) FROM p) AS sb
          UNION ALL
          SELECT 'currency', coalesce(a.c, b.c), coalesce(a.v, 0), coalesce(b.v, 0)
            FROM (SELECT amount_currency AS c, sum(fs) AS v FROM l WHERE amount_currency IS NOT NULL GROUP BY amount_currency) a
            FULL JOIN (SELECT currency AS c, sum(unapplied_minor) AS v FROM p WHERE currency <> ${baseCurrency} GROUP BY currency) b ON a.c = b.c`,
      );
    },

    async numberingIssues(kind, limit) {
      // numbers as (kind, series, year, n); gaps and repeats found with lag() in one pass, only the issues returned
      const numbered =
        kind === 'journal'
          ? sql`SELECT 'journal'::text AS kind, series, fiscal_year::text AS y, number::bigint AS num, number::text AS raw
                  FROM journal_entries WHERE tenant_id = ${tenantId}`
          : sql`SELECT kind, series, m[1] AS y, m[2]::bigint AS num, raw FROM (
                  SELECT 'invoice'::text AS kind, series, number AS raw, regexp_match(number, '([0-9]{4})-([0-9]+)$') AS m
                    FROM invoices WHERE tenant_id = ${tenantId} AND status = 'issued'
                  UNION ALL
                  SELECT 'credit_note'::text, series, number, regexp_match(number, '([0-9]{4})-([0-9]+)$')
                    FROM credit_notes WHERE tenant_id = ${tenantId} AND status = 'issued') d`;
      const r = await rows(
        db,
        sql<{ kind: NumberingIssue['kind']; series: string; y: string; problem: NumberingIssue['problem']; f: string; t: string; total: bigint; series_count: bigint }>`
          WITH n AS (${numbered}),
          w AS (SELECT kind, series, y, num, raw, lag(num, 1, 0::bigint) OVER (PARTITION BY kind, series, y ORDER BY num) AS prev
                  FROM n WHERE num IS NOT NULL),
          issues AS (
            SELECT kind, series, y, 'duplicate' AS problem, num::text AS f, num::text AS t FROM w WHERE num = prev
            UNION ALL
            SELECT kind, series, y, 'missing', (prev + 1)::text, (num - 1)::text FROM w WHERE num > prev + 1
            UNION ALL
            SELECT kind, series, '', 'malformed', raw, raw FROM n WHERE num IS NULL
          ),
          counted AS (SELECT count(*) AS series_count FROM (SELECT DISTINCT kind, series, y FROM n) s)
          SELECT i.kind, i.series, i.y, i.problem, i.f, i.t, count(*) OVER () AS total, c.series_count
            FROM counted c LEFT JOIN issues i ON true
           ORDER BY i.kind, i.series, i.y, i.f
           LIMIT ${limit}`,
      );
      const issues = r.filter((x) => x.kind !== null);
      return {
        checked: Number(r[0]?.series_count ?? 0),
        count: issues.length === 0 ? 0 : Number(issues[0]!.total),
        rows: issues.map((x) => ({ kind: x.kind, series: x.series, year: x.y, problem: x.problem, from: x.f, to: x.t })),
      };
    },
  };
}

/**
 * Runs a comparison query yielding (scope, k, lg, sb) rows and returns the rows where ledger ≠
 * subledger (at most `limit`), how many there are, and how many figures were compared.
 */
async function mismatches(db: Executor, limit: number, compared: RawBuilder<unknown>): Promise<{ checked: number; count: number; rows: BalanceMismatch[] }> {
  const r = await rows(
    db,
    sql<{ scope: BalanceMismatch['scope'] | null; k: string | null; lg: string | null; sb: string | null; checked: bigint; bad: bigint }>`
      WITH cmp AS (${compared}),
      stats AS (SELECT count(*) AS checked, count(*) FILTER (WHERE lg <> sb) AS bad FROM cmp)
      SELECT x.scope, x.k, x.lg::text AS lg, x.sb::text AS sb, stats.checked, stats.bad
        FROM stats LEFT JOIN (SELECT * FROM cmp WHERE lg <> sb
                                    ORDER BY CASE scope WHEN 'total' THEN 0 WHEN 'customer' THEN 1 ELSE 2 END, k LIMIT ${limit}) x ON true
       ORDER BY CASE x.scope WHEN 'total' THEN 0 WHEN 'customer' THEN 1 ELSE 2 END, x.k`,
  );
  const bad = r.filter((x) => x.scope !== null);
  return {
    checked: Number(r[0]?.checked ?? 0),
    count: Number(r[0]?.bad ?? 0),
    rows: bad.map((x) => ({ key: x.k!, scope: x.scope!, ledgerMinor: BigInt(x.lg!), subledgerMinor: BigInt(x.sb!) })),
  };
}
