/**
 * The database itself refuses to change an issued invoice (UPDATE and DELETE through raw SQL that
 * bypasses the app), its lines and its VAT breakdown, and any posted journal entry and its lines: the
 * statement fails and the rows stay exactly as they were. A draft invoice is still the app's to
 * finish (issuing is an UPDATE of the draft row).
 */
import { sql, type RawBuilder } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { draftInvoiceForDeliveredOrder } from '../support/orders.js';

describe.each(TEST_DATABASES)('invoice immutability [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  /** A draft invoice of two lines at two VAT rates (so it has two VAT breakdown rows). */
  async function draftInvoice() {
    const { draft } = await draftInvoiceForDeliveredOrder(t, { name: 'Oföränderlig AB', country: 'SE', currency: 'SEK' }, [
      { description: 'Tjänst', quantity: '2', unit_price: '500.00', tax_class: 'standard' },
      { description: 'Bok', quantity: '1', unit_price: '150.00', tax_class: 'reduced_6' },
    ]);
    return draft;
  }

  /** Every row of the invoice and of its journal entry, as the database holds them. */
  async function snapshot(invoiceId: string) {
    const db = t.kysely;
    const entries = await db.selectFrom('journal_entries').selectAll().where('source_id', '=', invoiceId).execute();
    return {
      invoice: await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId).execute(),
      lines: await db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', invoiceId).orderBy('line_no').execute(),
      vat: await db.selectFrom('invoice_vat_breakdown').selectAll().where('invoice_id', '=', invoiceId).orderBy('vat_rate').execute(),
      entries,
      journalLines: await db
        .selectFrom('journal_lines')
        .selectAll()
        .where('entry_id', 'in', entries.map((e) => e.id))
        .orderBy('entry_id')
        .orderBy('line_no')
        .execute(),
    };
  }

  async function expectRefused(statements: RawBuilder<unknown>[], invoiceId: string) {
    const before = await snapshot(invoiceId);
    for (const statement of statements) {
      await expect(statement.execute(t.kysely), statement.compile(t.kysely).sql).rejects.toThrow(/immutable/);
    }
    expect(await snapshot(invoiceId)).toEqual(before);
  }

  it('lets the app change a draft invoice: issuing updates the draft row', async () => {
    const draft = await draftInvoice();
    // the header of a draft is not frozen (the trigger fires only for status 'issued')
    await sql`UPDATE invoices SET payment_terms_days = 10 WHERE id = ${draft.id}`.execute(t.kysely);
    const issued = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    expect(issued).toMatchObject({ status: 'issued', issue_date: '2026-12-04', due_date: '2026-12-14' });
    expect(issued.number).toMatch(/^2026-\d{5}$/);
  });

  it('refuses UPDATE and DELETE of an issued invoice and its lines; the rows stay unchanged', async () => {
    const draft = await draftInvoice();
    const issued = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    const id = issued.id as string;
    const before = await snapshot(id);
    expect(before.invoice).toHaveLength(1);
    expect(before.lines).toHaveLength(2);
    await expectRefused(
      [
        sql`UPDATE invoices SET gross_total_minor = gross_total_minor + 1, net_total_minor = net_total_minor + 1 WHERE id = ${id}`,
        sql`UPDATE invoices SET status = 'draft', number = NULL WHERE id = ${id}`,
        sql`UPDATE invoices SET due_date = due_date + 30 WHERE id = ${id}`,
        sql`DELETE FROM invoices WHERE id = ${id}`,
        sql`UPDATE invoice_lines SET net_amount_minor = 1, gross_amount_minor = 1, discount_amount_minor = 0 WHERE invoice_id = ${id}`,
        sql`UPDATE invoice_lines SET description = 'changed' WHERE invoice_id = ${id}`,
        sql`DELETE FROM invoice_lines WHERE invoice_id = ${id}`,
      ],
      id,
    );
    expect(await ok('GET', `/v1/invoices/${id}`)).toEqual(issued);
  });

  // The VAT rows are part of the issued document (trigger added in migration 2500_invoice_vat_immutable).
  it('refuses UPDATE and DELETE of an issued invoice\'s VAT breakdown rows', async () => {
    const draft = await draftInvoice();
    const issued = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    const id = issued.id as string;
    expect((await snapshot(id)).vat).toHaveLength(2);
    // in a transaction that is rolled back, so the shared database keeps the true rows either way
    await t.kysely
      .transaction()
      .execute(async (trx) => {
        const refused = [
          sql`UPDATE invoice_vat_breakdown SET vat_minor = 0 WHERE invoice_id = ${id}`,
          sql`DELETE FROM invoice_vat_breakdown WHERE invoice_id = ${id}`,
        ];
        const outcomes: string[] = [];
        for (const statement of refused) {
          await trx.executeQuery(sql`SAVEPOINT s`.compile(trx));
          try {
            await statement.execute(trx);
            outcomes.push('accepted');
          } catch (error) {
            outcomes.push(String(error));
          }
          await trx.executeQuery(sql`ROLLBACK TO SAVEPOINT s`.compile(trx));
        }
        for (const o of outcomes) expect(o).toMatch(/immutable/);
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) throw error;
      });
  });

  it('refuses UPDATE and DELETE of a posted journal entry and its lines', async () => {
    const draft = await draftInvoice();
    const issued = await ok('POST', `/v1/invoices/${draft.id}/issue`, {});
    const id = issued.id as string;
    const { entries, journalLines } = await snapshot(id);
    expect(entries).toHaveLength(1);
    expect(journalLines.length).toBeGreaterThanOrEqual(3);
    const entryId = entries[0]!.id;
    await expectRefused(
      [
        sql`UPDATE journal_entries SET description = 'changed' WHERE id = ${entryId}`,
        sql`UPDATE journal_entries SET entry_date = entry_date + 1 WHERE id = ${entryId}`,
        sql`DELETE FROM journal_entries WHERE id = ${entryId}`,
        sql`UPDATE journal_lines SET account = '1930' WHERE entry_id = ${entryId} AND line_no = 1`,
        sql`UPDATE journal_lines SET debit_minor = debit_minor + 1 WHERE entry_id = ${entryId} AND debit_minor > 0`,
        sql`DELETE FROM journal_lines WHERE entry_id = ${entryId}`,
      ],
      id,
    );
  });
});

class Rollback extends Error {}
