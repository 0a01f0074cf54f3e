/**
 * The database itself refuses to change an issued credit note (UPDATE and DELETE, through raw SQL that
 * bypasses the app), its lines, VAT rows and payment releases; a draft is still the app's to finish.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForDeliveredOrder } from '../support/orders.js';

describe.each(TEST_DATABASES)('credit note immutability [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  async function issuedInvoice() {
    const { invoice } = await issuedInvoiceForDeliveredOrder(t, { name: 'Oföränderlig AB', country: 'SE', currency: 'SEK' }, [
      { description: 'Tjänst', quantity: '2', unit_price: '500.00', tax_class: 'standard' },
    ]);
    return invoice;
  }

  it('refuses UPDATE and DELETE of an issued credit note and its rows', async () => {
    const invoice = await issuedInvoice();
    const draft = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'Test' });
    // a draft may still be changed by the app (issuing is an UPDATE)
    await sql`UPDATE credit_notes SET reason = 'Test (draft)' WHERE id = ${draft.id}`.execute(t.kysely);
    const issued = await ok('POST', `/v1/credit-notes/${draft.id}/issue`, {});
    expect(issued).toMatchObject({ status: 'issued', reason: 'Test (draft)' });

    const refused = [
      sql`UPDATE credit_notes SET gross_total_minor = gross_total_minor + 1, net_total_minor = net_total_minor + 1 WHERE id = ${draft.id}`,
      sql`UPDATE credit_notes SET status = 'draft', number = NULL WHERE id = ${draft.id}`,
      sql`UPDATE credit_notes SET reason = 'changed' WHERE id = ${draft.id}`,
      sql`DELETE FROM credit_notes WHERE id = ${draft.id}`,
      sql`UPDATE credit_note_lines SET net_amount_minor = 1, gross_amount_minor = 1 WHERE credit_note_id = ${draft.id}`,
      sql`DELETE FROM credit_note_lines WHERE credit_note_id = ${draft.id}`,
      sql`UPDATE credit_note_vat_breakdown SET vat_minor = 0 WHERE credit_note_id = ${draft.id}`,
      sql`DELETE FROM credit_note_vat_breakdown WHERE credit_note_id = ${draft.id}`,
    ];
    for (const statement of refused) {
      await expect(statement.execute(t.kysely)).rejects.toThrow(/immutable/);
    }
    const got = await ok('GET', `/v1/credit-notes/${draft.id}`);
    expect(got).toEqual(issued);
  });

  it('refuses a second credit note with the same number in a series', async () => {
    const invoice = await issuedInvoice();
    const a = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'A' });
    const b = await ok('POST', `/v1/invoices/${invoice.id}/credit-notes`, { lines: [{ invoice_line_no: 1, quantity: '1' }], reason: 'B' });
    const issued = await ok('POST', `/v1/credit-notes/${a.id}/issue`, {});
    await expect(
      sql`UPDATE credit_notes SET status = 'issued', number = ${issued.number}, issue_date = '2026-12-04', issued_at = now(),
            receivable_minor = gross_total_minor, customer_credit_minor = 0, seller = '{}'::jsonb WHERE id = ${b.id}`.execute(t.kysely),
    ).rejects.toMatchObject({ code: '23505' });
  });
});
