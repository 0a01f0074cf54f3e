/**
 * Invoices: the list (sorted, searched, filtered and paged by the API: list.tsx) with a billing run for the roles that bill, and an
 * invoice's detail: lines, VAT breakdown, totals, what is still due and the payment reference, with
 * issue / send / PDF / UBL and credit notes (the whole invoice or parts of its lines). Every action
 * is the API's own: the page shows what the API answers, its refusals included.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, apiUrl, type Schemas } from '../api/client';
import { formatDecimal, type Lang } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link, useTitle } from '../router';
import { ListView } from '../list';
import { PortalLinkCard } from '../portal-link';
import { useSession } from '../session';
import { DateText, Empty, Loaded, Money, useLoad } from '../ui';

type Invoice = Schemas['Invoice'];
type CreditNote = Schemas['CreditNote'];
type BillingRun = Schemas['BillingRun'];

/** Statuses of the finance pages (invoices, payment status, bank lines, payments, refund requests). */
const FINANCE_STATUSES = [
  'draft', 'issued', 'unpaid', 'partially_paid', 'paid', 'written_off', 'unmatched', 'applied', 'credit', 'ignored', 'outgoing',
  'received', 'returned', 'pending', 'approved', 'rejected',
] as const;

/** A status in words; an unknown one (a newer API) as the API spells it rather than nothing. */
export function FinanceBadge({ status }: { status: string }) {
  const { t } = useI18n();
  const known = (FINANCE_STATUSES as readonly string[]).includes(status);
  return <span className={`badge badge-${status}`}>{known ? t(`finance.status.${status}` as MessageKey) : status}</span>;
}

/** Issued or draft, and once issued how far it is paid. */
function InvoiceStatus({ invoice }: { invoice: Invoice }) {
  if (invoice.payment_status === null) return <FinanceBadge status={invoice.status} />;
  return <><FinanceBadge status={invoice.status} /> <FinanceBadge status={invoice.payment_status} /></>;
}

/**
 * UN/ECE Rec. 20 unit codes as the invoice PDF prints them (src/integrations/pdf/i18n.ts has the
 * full list; the web app reaches the server over HTTP only, so the common ones are repeated here).
 * Other codes show as they are.
 */
const UNIT_LABELS: Record<string, Record<Lang, string>> = {
  C62: { sv: 'st', en: 'pcs' }, H87: { sv: 'st', en: 'pcs' }, EA: { sv: 'st', en: 'pcs' }, HUR: { sv: 'tim', en: 'h' },
  MIN: { sv: 'min', en: 'min' }, DAY: { sv: 'dag', en: 'day' }, WEE: { sv: 'v', en: 'wk' }, MON: { sv: 'mån', en: 'mo' },
  ANN: { sv: 'år', en: 'yr' }, KGM: { sv: 'kg', en: 'kg' }, MTR: { sv: 'm', en: 'm' }, LTR: { sv: 'l', en: 'l' },
};
export const unitLabel = (code: string, lang: Lang) => UNIT_LABELS[code]?.[lang] ?? code;

/** One write at a time, with the API's refusal kept for display. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const run = async <T,>(work: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err), null, 'api_error'));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, clear: () => setError(null) };
}

export function ActionError({ error }: { error: ApiError | null }) {
  if (error === null) return null;
  return <p className="form-error" role="alert">{error.message}</p>;
}

/** "12500" öre with 2 digits → "125.00": minor units as the decimal string the API takes, no float. */
export function amountOfMinor(minor: string, digits: number): string {
  const negative = minor.startsWith('-');
  const digitsOnly = (negative ? minor.slice(1) : minor).padStart(digits + 1, '0');
  const whole = digitsOnly.slice(0, digitsOnly.length - digits);
  const fraction = digits === 0 ? '' : `.${digitsOnly.slice(-digits)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** The minor-unit digits of an amount as the API writes it ("500.00" → 2). */
export function digitsOf(amount: string): number {
  const dot = amount.indexOf('.');
  return dot === -1 ? 0 : amount.length - dot - 1;
}

export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const PAYMENT_STATUSES = ['open', 'unpaid', 'partially_paid', 'paid', 'written_off'] as const;

export function InvoiceList() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('invoices.title'));
  // a billing run adds invoices: the list loads again (a new key remounts it)
  const [round, setRound] = useState(0);
  return (
    <section aria-labelledby="invoices-title">
      <div className="page-head">
        <h1 id="invoices-title">{t('invoices.title')}</h1>
      </div>
      {may('billing.write') && <BillingRunForm onDone={() => setRound((r) => r + 1)} />}
      <ListView
        key={round}
        path="/v1/invoices"
        caption={t('invoices.title')}
        testId="invoice-list"
        search={t('list.search')}
        filters={[
          { param: 'status', label: t('list.status'), options: (['draft', 'issued'] as const).map((s) => ({ value: s, label: t(`finance.status.${s}`) })) },
          { param: 'payment_status', label: t('list.paymentStatus'), options: PAYMENT_STATUSES.map((s) => ({ value: s, label: s === 'open' ? t('status.open') : t(`finance.status.${s}`) })) },
          { param: 'overdue', label: t('list.overdue'), options: [{ value: 'true', label: t('list.overdueOnly') }] },
        ]}
        empty={t('invoices.empty')}
        rowKey={(inv) => inv.id}
        columns={[
          { header: t('invoices.number'), sort: 'number', cell: (inv) => <Link to={`/invoices/${encodeURIComponent(inv.id)}`}>{inv.number ?? t('invoices.draftNumber')}</Link> },
          { header: t('invoices.customer'), cell: (inv) => <Link to={`/customers/${encodeURIComponent(inv.customer_id)}`}>{inv.customer_name ?? inv.buyer.name}</Link> },
          { header: t('invoices.status'), cell: (inv) => <InvoiceStatus invoice={inv} /> },
          { header: t('invoices.issueDate'), sort: 'issue_date', cell: (inv) => <DateText value={inv.issue_date} /> },
          { header: t('invoices.due'), sort: 'due_date', cell: (inv) => <DateText value={inv.due_date} /> },
          { header: t('invoices.total'), sort: 'total', numeric: true, cell: (inv) => <Money value={inv.payable_total} /> },
          { header: t('invoices.amountDue'), sort: 'amount_due', numeric: true, cell: (inv) => <Money value={inv.amount_due} /> },
        ]}
      />
    </section>
  );
}

/** POST /v1/billing-runs: invoices every confirmed order with something to invoice, then its report. */
function BillingRunForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [upTo, setUpTo] = useState(today());
  const [issue, setIssue] = useState(false);
  const [groupBy, setGroupBy] = useState<'' | 'order' | 'customer'>('');
  const [report, setReport] = useState<BillingRun | null>(null);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => api.post('/v1/billing-runs', { body: { up_to: upTo, issue, ...(groupBy === '' ? {} : { group_by: groupBy }) } }));
    if (r) {
      setReport(r);
      onDone();
    }
  };
  return (
    <details className="card">
      <summary>{t('billing.title')}</summary>
      <form className="form" onSubmit={submit} noValidate>
        <p className="muted">{t('billing.help')}</p>
        <ActionError error={action.error} />
        <div className="field">
          <label htmlFor="billing-up-to">{t('billing.upTo')}</label>
          <input id="billing-up-to" type="date" value={upTo} onChange={(e) => setUpTo(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="billing-group">{t('billing.groupBy')}</label>
          <select id="billing-group" value={groupBy} onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}>
            <option value="">{t('billing.groupDefault')}</option>
            <option value="order">{t('billing.groupOrder')}</option>
            <option value="customer">{t('billing.groupCustomer')}</option>
          </select>
        </div>
        <div className="field field-check">
          <input id="billing-issue" type="checkbox" checked={issue} onChange={(e) => setIssue(e.target.checked)} />
          <label htmlFor="billing-issue">{t('billing.issue')}</label>
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={action.busy} data-write="true">{action.busy ? t('billing.running') : t('billing.run')}</button>
        </div>
      </form>
      {report && <BillingRunReport report={report} />}
    </details>
  );
}

/** Why a billing run skipped an order (the API's codes); a code not listed is shown as it is. */
const SKIP_REASONS = ['nothing_to_invoice', 'delivered_after_up_to', 'order_not_confirmed'];

function BillingRunReport({ report }: { report: BillingRun }) {
  const { t } = useI18n();
  return (
    <div data-testid="billing-report" role="status">
      <h3>{t('billing.report', { created: report.created.length, skipped: report.skipped.length, failed: report.failed.length })}</h3>
      {report.created.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">{t('billing.created')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('invoices.number')}</th>
              <th scope="col">{t('billing.orders')}</th>
              <th scope="col" className="num">{t('invoices.total')}</th>
            </tr>
          </thead>
          <tbody>
            {report.created.map((c) => (
              <tr key={c.invoice_id}>
                <td><Link to={`/invoices/${encodeURIComponent(c.invoice_id)}`}>{c.invoice_number ?? t('invoices.draftNumber')}</Link></td>
                <td>{c.orders.map((o) => o.order_number).join(', ')}</td>
                <td className="num"><Money value={c.gross} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.skipped.length > 0 && (
        <ul className="muted">
          {report.skipped.map((s) => (
            <li key={s.order_id}>
              {t('billing.skipped', { order: s.order_id, reason: SKIP_REASONS.includes(s.reason) ? t(`billing.reason.${s.reason}` as MessageKey) : s.reason })}
            </li>
          ))}
        </ul>
      )}
      {report.failed.length > 0 && (
        <ul className="warn">
          {report.failed.map((f) => <li key={f.order_id}>{f.order_id}: {f.message}</li>)}
        </ul>
      )}
    </div>
  );
}

export function InvoiceDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const [invoice, reload, setInvoice] = useReplaceable((signal) => api.get('/v1/invoices/{id}', { path: { id }, signal }), [id]);
  const title = invoice.state === 'ready' ? (invoice.data.number ?? t('invoices.draftNumber')) : t('invoices.title');
  useTitle(`${t('invoices.invoice')} ${title}`);
  return (
    <section aria-labelledby="invoice-title">
      <p><Link to="/invoices">← {t('invoices.back')}</Link></p>
      <Loaded value={invoice} retry={reload}>
        {(inv) => <InvoiceView invoice={inv} onChange={setInvoice} />}
      </Loaded>
    </section>
  );
}

/** useLoad plus a way to show the API's answer to a write without fetching again. */
function useReplaceable<T>(load: (signal: AbortSignal) => Promise<T>, deps: readonly unknown[]) {
  const [replaced, setReplaced] = useState<{ key: string; value: T } | null>(null);
  const [value, reload] = useLoad(load, deps);
  const key = JSON.stringify(deps);
  const shown = replaced !== null && replaced.key === key && value.state === 'ready' ? { state: 'ready' as const, data: replaced.value } : value;
  return [shown, () => { setReplaced(null); reload(); }, (v: T) => setReplaced({ key, value: v })] as const;
}

function InvoiceView({ invoice: inv, onChange }: { invoice: Invoice; onChange: (i: Invoice) => void }) {
  const { t, lang } = useI18n();
  const { may } = useSession();
  const action = useAction();
  const [sent, setSent] = useState(false);
  const [portalUrl, setPortalUrl] = useState<string | null>(null);
  const canBill = may('billing.write');
  const issued = inv.status === 'issued';
  const issue = async () => {
    const r = await action.run(() => api.post('/v1/invoices/{id}/issue', { path: { id: inv.id }, body: {} }));
    if (r) onChange(r);
  };
  const send = async () => {
    const r = await action.run(() => api.post('/v1/invoices/{id}/send', { path: { id: inv.id } }));
    if (r) {
      onChange(r);
      setSent(true);
    }
  };
  const portalLink = async () => {
    const link = await action.run(() => api.post('/v1/invoices/{id}/portal-links', { path: { id: inv.id } }));
    if (link) setPortalUrl(link.url ?? null);
  };
  return (
    <>
      <div className="page-head">
        <h1 id="invoice-title">{t('invoices.invoice')} {inv.number ?? t('invoices.draftNumber')}</h1>
        <div className="actions">
          {canBill && !issued && <button type="button" className="button button-primary" onClick={() => void issue()} disabled={action.busy} data-write="true">{t('invoices.issue')}</button>}
          {canBill && issued && <button type="button" className="button" onClick={() => void send()} disabled={action.busy} data-write="true">{t('invoices.send')}</button>}
          {canBill && issued && <button type="button" className="button" onClick={() => void portalLink()} disabled={action.busy} data-write="true">{t('invoices.portalLink')}</button>}
          <a className="button" href={apiUrl('/v1/invoices/{id}/pdf', { id: inv.id }, { lang })}>{t('invoices.pdf')}</a>
          {issued && <a className="button" href={apiUrl('/v1/invoices/{id}/ubl', { id: inv.id })}>{t('invoices.ubl')}</a>}
        </div>
      </div>
      <ActionError error={action.error} />
      {sent && <p role="status" className="hint">{t('invoices.sent')}</p>}
      {portalUrl !== null && <PortalLinkCard url={portalUrl} />}
      <div className="grid">
        <div className="card">
          <dl className="details" data-testid="invoice-facts">
            <dt>{t('invoices.customer')}</dt><dd><Link to={`/customers/${encodeURIComponent(inv.customer_id)}`}>{inv.buyer.name}</Link></dd>
            <dt>{t('invoices.status')}</dt>
            <dd data-testid="invoice-status"><InvoiceStatus invoice={inv} /></dd>
            <dt>{t('invoices.issueDate')}</dt><dd><DateText value={inv.issue_date} /></dd>
            <dt>{t('invoices.deliveryDate')}</dt><dd><DateText value={inv.delivery_date} /></dd>
            <dt>{t('invoices.due')}</dt><dd><DateText value={inv.due_date} /> ({t('customers.termsDays', { days: inv.payment_terms_days })})</dd>
            <dt>{t('invoices.reference')}</dt><dd data-testid="payment-reference">{inv.payment_reference ?? '–'}</dd>
            {inv.dunning_paused && <><dt>{t('invoices.dunning')}</dt><dd>{t('invoices.dunningPaused')}</dd></>}
          </dl>
        </div>
        <div className="card">
          <dl className="details" data-testid="invoice-totals">
            <dt>{t('invoices.net')}</dt><dd><Money value={inv.net_total} /></dd>
            <dt>{t('invoices.vat')}</dt><dd><Money value={inv.vat_total} /></dd>
            {inv.rounding.amount !== '0.00' && inv.rounding.amount !== '0' && <><dt>{t('invoices.rounding')}</dt><dd><Money value={inv.rounding} /></dd></>}
            {inv.advance_deductions.length > 0 && <><dt>{t('invoices.prepaid')}</dt><dd><Money value={inv.prepaid} /></dd></>}
            <dt>{t('invoices.payable')}</dt><dd data-testid="invoice-payable"><strong><Money value={inv.payable_total} /></strong></dd>
            <dt>{t('invoices.amountDue')}</dt><dd data-testid="invoice-due"><strong><Money value={inv.amount_due} /></strong></dd>
          </dl>
        </div>
      </div>
      <h2>{t('invoices.lines')}</h2>
      <table className="table" data-testid="invoice-lines">
        <caption className="visually-hidden">{t('invoices.lines')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('invoices.description')}</th>
            <th scope="col" className="num">{t('invoices.quantity')}</th>
            <th scope="col" className="num">{t('invoices.unitPrice')}</th>
            <th scope="col" className="num">{t('invoices.discount')}</th>
            <th scope="col" className="num">{t('invoices.vatRate')}</th>
            <th scope="col" className="num">{t('invoices.lineNet')}</th>
          </tr>
        </thead>
        <tbody>
          {inv.lines.map((l) => (
            <tr key={l.line_no}>
              <td>{l.description}</td>
              <td className="num">{formatDecimal(l.quantity, lang)} {unitLabel(l.unit, lang)}</td>
              <td className="num"><Money value={l.unit_price} /></td>
              <td className="num">{/^0*(\.0*)?$/.test(l.discount_percent) ? '–' : `${formatDecimal(l.discount_percent, lang)} %`}</td>
              <td className="num">{formatDecimal(l.vat_rate, lang)} %</td>
              <td className="num"><Money value={l.net_amount} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('invoices.vatBreakdown')}</h2>
      <table className="table" data-testid="vat-breakdown">
        <caption className="visually-hidden">{t('invoices.vatBreakdown')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('invoices.vatCategory')}</th>
            <th scope="col" className="num">{t('invoices.vatRate')}</th>
            <th scope="col" className="num">{t('invoices.taxable')}</th>
            <th scope="col" className="num">{t('invoices.vat')}</th>
          </tr>
        </thead>
        <tbody>
          {inv.vat_breakdown.map((v) => (
            <tr key={`${v.vat_category}-${v.vat_rate}`}>
              <td>{v.vat_category}</td>
              <td className="num">{formatDecimal(v.vat_rate, lang)} %</td>
              <td className="num"><Money value={v.taxable_amount} /></td>
              <td className="num"><Money value={v.vat_amount} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {issued && <CreditNotes invoice={inv} canBill={canBill} onInvoiceChanged={onChange} />}
    </>
  );
}

/** The invoice's credit notes, and (for billing roles) a new one: the whole invoice or parts of its lines. */
function CreditNotes({ invoice, canBill, onInvoiceChanged }: { invoice: Invoice; canBill: boolean; onInvoiceChanged: (i: Invoice) => void }) {
  const { t, lang } = useI18n();
  const [notes, reload] = useLoad((signal) => api.get('/v1/credit-notes', { query: { invoice_id: invoice.id, limit: 100 }, signal }), [invoice.id]);
  const action = useAction();
  const issue = async (note: CreditNote) => {
    const r = await action.run(() => api.post('/v1/credit-notes/{id}/issue', { path: { id: note.id }, body: {} }));
    if (r) {
      reload();
      const fresh = await action.run(() => api.get('/v1/invoices/{id}', { path: { id: invoice.id } }));
      if (fresh) onInvoiceChanged(fresh);
    }
  };
  return (
    <>
      <h2>{t('credit.title')}</h2>
      <ActionError error={action.error} />
      <Loaded value={notes} retry={reload}>
        {(l) =>
          l.data.length === 0 ? (
            <Empty>{t('credit.none')}</Empty>
          ) : (
            <table className="table" data-testid="credit-notes">
              <caption className="visually-hidden">{t('credit.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('invoices.number')}</th>
                  <th scope="col">{t('invoices.status')}</th>
                  <th scope="col">{t('credit.reason')}</th>
                  <th scope="col" className="num">{t('invoices.total')}</th>
                  <th scope="col"><span className="visually-hidden">{t('credit.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {l.data.map((n) => (
                  <tr key={n.id}>
                    <td>{n.number ?? t('invoices.draftNumber')}</td>
                    <td><FinanceBadge status={n.status} /></td>
                    <td>{n.reason}</td>
                    <td className="num"><Money value={n.gross_total} /></td>
                    <td>
                      {canBill && n.status === 'draft' && (
                        <button type="button" className="button" onClick={() => void issue(n)} disabled={action.busy} data-write="true">{t('credit.issue')}</button>
                      )}{' '}
                      <a className="button" href={apiUrl('/v1/credit-notes/{id}/pdf', { id: n.id }, { lang })}>{t('invoices.pdf')}</a>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
      {canBill && <NewCreditNote invoice={invoice} onCreated={reload} />}
    </>
  );
}

function NewCreditNote({ invoice, onCreated }: { invoice: Invoice; onCreated: () => void }) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<'whole' | 'lines'>('whole');
  const [quantities, setQuantities] = useState<Record<number, string>>({});
  const [reason, setReason] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const lines = Object.entries(quantities)
      .filter(([, q]) => q.trim() !== '')
      .map(([no, q]) => ({ invoice_line_no: Number(no), quantity: q.trim() }));
    const body = kind === 'whole' ? { reason } : { reason, lines };
    const r = await action.run(() => api.post('/v1/invoices/{id}/credit-notes', { path: { id: invoice.id }, body }));
    if (r) {
      setReason('');
      setQuantities({});
      onCreated();
    }
  };
  const err = (param: string) => (action.error?.param === param ? action.error : null);
  return (
    <details className="card">
      <summary>{t('credit.new')}</summary>
      <form className="form" onSubmit={submit} noValidate>
        <ActionError error={action.error} />
        <fieldset>
          <legend>{t('credit.what')}</legend>
          <div className="field field-check">
            <input id="credit-whole" type="radio" name="credit-kind" checked={kind === 'whole'} onChange={() => setKind('whole')} />
            <label htmlFor="credit-whole">{t('credit.whole')}</label>
          </div>
          <div className="field field-check">
            <input id="credit-lines" type="radio" name="credit-kind" checked={kind === 'lines'} onChange={() => setKind('lines')} />
            <label htmlFor="credit-lines">{t('credit.lines')}</label>
          </div>
        </fieldset>
        {kind === 'lines' &&
          invoice.lines.map((l, i) => (
            <div className="field" key={l.line_no}>
              <label htmlFor={`credit-qty-${l.line_no}`}>{t('credit.quantityOf', { line: l.description, quantity: `${formatDecimal(l.quantity, lang)} ${unitLabel(l.unit, lang)}` })}</label>
              <input
                id={`credit-qty-${l.line_no}`}
                inputMode="decimal"
                value={quantities[l.line_no] ?? ''}
                onChange={(e) => setQuantities((q) => ({ ...q, [l.line_no]: e.target.value }))}
                aria-invalid={err(`lines.${i}.quantity`) ? true : undefined}
              />
            </div>
          ))}
        <div className="field">
          <label htmlFor="credit-reason">{t('credit.reason')}</label>
          <input id="credit-reason" value={reason} onChange={(e) => setReason(e.target.value)} required aria-invalid={err('reason') ? true : undefined} />
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={action.busy} data-write="true">{t('credit.create')}</button>
        </div>
      </form>
    </details>
  );
}

