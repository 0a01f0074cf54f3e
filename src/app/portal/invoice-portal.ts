/**
 * The customer portal for invoices (issue 9): a link to an issued invoice shows it, its PDF and how to
 * pay it (the seller's bankgiro / IBAN, the OCR or RF reference, the amount due and the due date),
 * what has been paid and credited, and whether it is overdue. Links live in document_portal_links
 * (subject 'invoice'), as order and delivery links do: only the token's hash is stored, revocable,
 * expiring; a wrong or revoked token is 404, an expired one 410.
 *
 * A link made with an Idempotency-Key gets a token derived from the server secret, the tenant, the
 * invoice and the key (tokens.ts derivedPortalToken): a retry finds the same link and can return its
 * URL again, while the token itself is still never stored.
 */
import { addDays, compareDates, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { InvoiceId } from '../../core/shared/ids.js';
import type { CreditNoteRecord, DocumentLinkRecord, InvoiceRecord, Store, TenantRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { createDocumentLink, DOCUMENT_LINK_DAYS, documentPortalPath, openDocumentLink } from './document-links.js';
import { portalLinkNotFound } from './resolve-portal-link.js';
import { derivedPortalToken, hashPortalToken } from './tokens.js';

/** An invoice link works until this many days after the due date (and at least DOCUMENT_LINK_DAYS from today). */
export const INVOICE_LINK_DAYS_AFTER_DUE = 90;

/** The token of a link made with an Idempotency-Key: the same request (tenant, invoice, key) gets the same token. */
export const invoiceLinkToken = (secret: string, tenantId: string, invoiceId: string, idempotencyKey: string): string =>
  derivedPortalToken(secret, 'invoice', tenantId, invoiceId, idempotencyKey);

/**
 * Makes a portal link to an issued invoice (409 invoice_not_issued for a draft). With `token` (an
 * Idempotency-Key's derived token) an existing link of that token is returned as it is (`created`
 * false), revoked or not, instead of a second one.
 */
export async function createInvoicePortalLink(
  s: Store,
  env: Env,
  invoiceId: InvoiceId,
  token?: string,
): Promise<{ link: DocumentLinkRecord; token: string; path: string; created: boolean }> {
  const invoice = await s.invoices.get(invoiceId);
  if (!invoice) throw notFound('invoice', invoiceId);
  if (invoice.status !== 'issued' || invoice.dueDate === null) {
    throw new DomainError('invoice_not_issued', `A portal link is made for an issued invoice; this one is '${invoice.status}'`);
  }
  if (token !== undefined) {
    const existing = await s.documentLinks.getByTokenHash(hashPortalToken(token));
    if (existing) {
      if (existing.subjectType !== 'invoice' || existing.subjectId !== invoiceId) throw new DomainError('conflict', 'This Idempotency-Key was already used for another link');
      return { link: existing, token, path: documentPortalPath('invoice', token), created: false };
    }
  }
  const byDue = addDays(invoice.dueDate, INVOICE_LINK_DAYS_AFTER_DUE);
  const byToday = addDays(env.clock.today(), DOCUMENT_LINK_DAYS);
  const expiresOn = compareDates(byDue, byToday) >= 0 ? byDue : byToday;
  return { ...(await createDocumentLink(s, env, 'invoice', invoiceId, expiresOn, token)), created: true };
}

/** Where the invoice stands for the customer. */
export type PortalInvoiceStatus = 'unpaid' | 'partially_paid' | 'overdue' | 'paid' | 'credited' | 'written_off';

export interface PortalInvoiceView {
  link: DocumentLinkRecord;
  invoice: InvoiceRecord;
  /** Who is paid: the seller as on the invoice (snapshot at issue), the tenant as it is now for what the snapshot lacks. */
  seller: TenantRecord;
  buyer: InvoiceRecord['buyer'];
  /** The order the invoice bills (null on an invoice of several orders). */
  orderNumber: string | null;
  /** Issued credit notes against it, oldest first. */
  creditNotes: CreditNoteRecord[];
  /** What the invoice asks for: gross + öre rounding − advances deducted. */
  payableMinor: bigint;
  /** Σ the issued credit notes' gross totals. */
  creditedMinor: bigint;
  /** Written off as a bad debt. */
  writtenOffMinor: bigint;
  /** Still to pay (the open item). */
  amountDueMinor: bigint;
  /** Paid (applied payments): payable − credited − written off − due, never below 0. */
  paidMinor: bigint;
  status: PortalInvoiceStatus;
  /** The seller's payment details: as on the invoice at issue, else the company settings now. */
  bankgiro: string | null;
  iban: string | null;
  bic: string | null;
}

/** Inside the tenant's transaction: the live invoice link of the token and its invoice. */
export async function openInvoiceLink(s: Store, env: Pick<Env, 'clock'>, token: string): Promise<{ link: DocumentLinkRecord; invoice: InvoiceRecord }> {
  const link = await openDocumentLink(s, env, 'invoice', token);
  const invoice = await s.invoices.get(link.subjectId as InvoiceId);
  if (!invoice || invoice.status !== 'issued') throw portalLinkNotFound();
  return { link, invoice };
}

/**
 * What the customer sees. With `touch` (the page, not the PDF) the link's last_viewed_at is set and,
 * on its first view of a day, an audit row invoice.portal_viewed records that the customer opened it.
 */
export async function viewPortalInvoice(s: Store, env: Env, token: string, touch = true): Promise<PortalInvoiceView> {
  const { link, invoice } = await openInvoiceLink(s, env, token);
  const tenant = await s.tenant.get();
  if (!tenant) throw portalLinkNotFound();
  if (touch) {
    const now = env.clock.now();
    const today = env.clock.today();
    const seenToday = link.lastViewedAt !== null && link.lastViewedAt.toISOString().slice(0, 10) === today;
    await s.documentLinks.touch(link.id, now);
    if (!seenToday) {
      await recordChange(s, env, { action: 'invoice.portal_viewed', entityType: 'invoice', entityId: invoice.id, data: { linkId: link.id } });
    }
  }
  const order = invoice.orderId === null ? undefined : await s.orders.get(invoice.orderId);
  const creditNotes = (await s.creditNotes.listByInvoice(invoice.id)).filter((c) => c.status === 'issued');
  const openItem = await s.openItems.getByInvoice(invoice.id);
  const payableMinor = invoice.grossTotalMinor + (invoice.roundingMinor ?? 0n) - (invoice.prepaidMinor ?? 0n);
  const creditedMinor = creditNotes.reduce((a, c) => a + c.grossTotalMinor, 0n);
  const writtenOffMinor = openItem?.writtenOffMinor ?? 0n;
  // no open item: nothing was due (a zero total, or advances deducting all of it)
  const amountDueMinor = openItem?.openMinor ?? 0n;
  const rest = payableMinor - creditedMinor - writtenOffMinor - amountDueMinor;
  const paidMinor = rest > 0n ? rest : 0n;
  const dueDate = invoice.dueDate as LocalDate;
  const status: PortalInvoiceStatus =
    amountDueMinor > 0n
      ? compareDates(env.clock.today(), dueDate) > 0
        ? 'overdue'
        : paidMinor > 0n
          ? 'partially_paid'
          : 'unpaid'
      : writtenOffMinor > 0n
        ? 'written_off'
        : paidMinor === 0n && creditedMinor > 0n
          ? 'credited'
          : 'paid';
  const snap = invoice.seller;
  return {
    link,
    invoice,
    seller: tenant,
    buyer: invoice.buyer,
    orderNumber: order?.number ?? null,
    creditNotes,
    payableMinor,
    creditedMinor,
    writtenOffMinor,
    amountDueMinor,
    paidMinor,
    status,
    bankgiro: snap?.bankgiro ?? tenant.bankgiro,
    iban: snap?.iban ?? tenant.iban,
    bic: snap?.bic ?? tenant.bic,
  };
}
