/**
 * Customers: the list (server-side pages of 25), a customer's detail (details, contact card, balance,
 * statement for a chosen period as PDF or CSV, and the customer's quotes, orders and invoices), and
 * one form for a new customer and for changing one (/customers/:id/edit). The list is sorted, searched
 * and paged by the API (list.tsx); every error the API names a field of is shown beside that field.
 */
import { useState, type FormEvent, type InputHTMLAttributes, type KeyboardEvent } from 'react';
import { api, ApiError, apiUrl, type RequestOptions, type Schemas } from '../api/client';
import type { Lang } from '../format';
import { useI18n } from '../i18n/i18n';
import { Link, matchPath, navigate, useLocation, useTitle } from '../router';
import { ListView } from '../list';
import { useSession } from '../session';
import { DateText, Loaded, Money, StatusBadge, useLoad } from '../ui';
import { FinanceBadge } from './Invoices';
import { apiDecimal, OrderStatusBadge } from './sales-shared';
import './customers.css';

export const PAGE_SIZE = 25;

export function CustomerList() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('customers.title'));
  return (
    <section aria-labelledby="customers-title">
      <div className="page-head">
        <h1 id="customers-title">{t('customers.title')}</h1>
        {may('customers.write') && (
          <Link to="/customers/new" className="button button-primary" data-write="true">{t('customers.new')}</Link>
        )}
      </div>
      <ListView
        path="/v1/customers"
        caption={t('customers.title')}
        search={t('list.search')}
        empty={t('customers.empty')}
        rowKey={(c) => c.id}
        columns={[
          { header: t('customers.name'), sort: 'name', cell: (c) => <Link to={`/customers/${encodeURIComponent(c.id)}`}>{c.name}</Link> },
          { header: t('customers.email'), cell: (c) => c.email ?? '–' },
          { header: t('customers.country'), cell: (c) => c.country },
          { header: t('customers.currency'), cell: (c) => c.currency },
          { header: t('customers.orgNumber'), cell: (c) => c.org_number ?? '–' },
        ]}
      />
    </section>
  );
}

type Customer = Schemas['Customer'];
const enc = encodeURIComponent;

/** The address as lines (empty ones left out): street, c/o line, "postal code city". */
function addressLines(c: Customer): string[] {
  const a = c.address;
  return [a.line1, a.line2, [a.postal_code, a.city].filter(Boolean).join(' ')].filter((l): l is string => l !== null && l !== '');
}

export function CustomerDetail({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const { may } = useSession();
  const [customer, reload] = useLoad((signal) => api.get('/v1/customers/{id}', { path: { id }, signal }), [id]);
  const [balance, reloadBalance] = useLoad((signal) => api.get('/v1/customers/{id}/balance', { path: { id }, signal }), [id]);
  const title = customer.state === 'ready' ? customer.data.name : t('customers.title');
  useTitle(title);
  const yearStart = `${new Date().getFullYear()}-01-01`;
  return (
    <section aria-labelledby="customer-title">
      <p><Link to="/customers">← {t('customers.back')}</Link></p>
      <Loaded value={customer} retry={reload}>
        {(c) => (
          <>
            <div className="page-head">
              <h1 id="customer-title">{c.name}</h1>
              <div className="head-actions">
                {may('customers.write') && (
                  <Link to={`/customers/${enc(id)}/edit`} className="button button-primary" data-write="true">{t('customerDetail.edit')}</Link>
                )}
                {may('quotes.write') && (
                  <Link to={`/quotes/new?customer=${enc(id)}`} className="button" data-write="true">{t('customerDetail.newQuote')}</Link>
                )}
                <a className="button" href={apiUrl('/v1/customers/{id}/statement.pdf', { id }, { from: yearStart, lang })}>{t('customers.statement')}</a>
              </div>
            </div>
            <div className="grid">
              <div className="card">
                <h2>{t('customerDetail.details')}</h2>
                <dl className="details" data-testid="customer-details">
                  <dt>{t('customers.country')}</dt><dd>{c.country}</dd>
                  <dt>{t('customers.currency')}</dt><dd>{c.currency}</dd>
                  <dt>{t('customers.orgNumber')}</dt><dd>{c.org_number ?? '–'}</dd>
                  <dt>{t('customers.vatNumber')}</dt><dd>{c.vat_number ?? '–'}</dd>
                  <dt>{t('customers.terms')}</dt><dd data-testid="customer-terms">{t('customers.termsDays', { days: c.payment_terms_days })}</dd>
                  <dt>{t('customerDetail.customerGroup')}</dt><dd>{c.customer_group ?? '–'}</dd>
                  <dt>{t('customers.creditLimit')}</dt>
                  <dd data-testid="customer-credit-limit">{c.credit_limit === null ? t('customerDetail.noCreditLimit') : <Money value={c.credit_limit} />}</dd>
                  <dt>{t('customers.created')}</dt><dd><DateText value={c.created_at} /></dd>
                </dl>
              </div>
              <ContactCard customer={c} />
              <div className="card">
                <h2>{t('customers.balance')}</h2>
                <Loaded value={balance} retry={reloadBalance}>
                  {(b) => <BalanceView balance={b} />}
                </Loaded>
              </div>
            </div>
            <StatementCard id={id} yearStart={yearStart} />
            <CustomerDocuments id={id} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** Who to write to: the e-mail address (a mailto link) and the postal address. */
function ContactCard({ customer: c }: { customer: Customer }) {
  const { t } = useI18n();
  const lines = addressLines(c);
  return (
    <div className="card contact-card" data-testid="customer-contact">
      <h2>{t('customerDetail.contact')}</h2>
      {lines.length === 0 ? (
        <p className="muted">{t('customerDetail.noAddress')}</p>
      ) : (
        <address>
          {c.name}
          {lines.map((l, i) => <span key={i}><br />{l}</span>)}
          <br />{c.country}
        </address>
      )}
      {c.email === null ? (
        <p className="muted contact-email">{t('customerDetail.noEmail')}</p>
      ) : (
        <p className="contact-email">{t('customers.email')}: <a href={`mailto:${c.email}`}>{c.email}</a></p>
      )}
    </div>
  );
}

/** The statement for a chosen period, as a PDF (Swedish or English) or a CSV, downloaded with the session cookie. */
function StatementCard({ id, yearStart }: { id: string; yearStart: string }) {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState(yearStart);
  const [to, setTo] = useState('');
  const [docLang, setDocLang] = useState<Lang>(lang);
  const problem = from === '' ? t('customerDetail.fromMissing') : to !== '' && to < from ? t('customerDetail.periodInvalid') : null;
  const period = { from, ...(to !== '' ? { to } : {}) };
  return (
    <div className="card" data-testid="customer-statement">
      <h2>{t('customerDetail.statement')}</h2>
      <p className="hint">{t('customerDetail.statementIntro')}</p>
      <form className="form-inline statement-form" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="statement-from">{t('customerDetail.from')}</label>
          <input id="statement-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-invalid={problem !== null ? true : undefined} aria-describedby={problem !== null ? 'statement-problem' : undefined} />
        </div>
        <div className="field">
          <label htmlFor="statement-to">{t('customerDetail.to')}</label>
          <input id="statement-to" type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-invalid={problem !== null && to !== '' ? true : undefined} aria-describedby={problem !== null ? 'statement-problem' : undefined} />
        </div>
        <div className="field">
          <label htmlFor="statement-lang">{t('customerDetail.language')}</label>
          <select id="statement-lang" value={docLang} onChange={(e) => setDocLang(e.target.value === 'sv' ? 'sv' : 'en')}>
            <option value="sv">{t('customerDetail.lang.sv')}</option>
            <option value="en">{t('customerDetail.lang.en')}</option>
          </select>
        </div>
      </form>
      {problem !== null ? (
        <p className="field-error" id="statement-problem" role="alert">{problem}</p>
      ) : (
        <p className="statement-links">
          <a className="button" href={apiUrl('/v1/customers/{id}/statement.pdf', { id }, { ...period, lang: docLang })}>{t('customerDetail.statementPdf')}</a>
          <a className="button" href={apiUrl('/v1/customers/{id}/statement', { id }, { ...period, format: 'csv' })} download>{t('customerDetail.statementCsv')}</a>
        </p>
      )}
    </div>
  );
}

const DOC_TABS = ['invoices', 'orders', 'quotes'] as const;
type DocTab = (typeof DOC_TABS)[number];

/**
 * The customer's quotes, orders and invoices as tabs (the one shown is `docs` in the URL, so Back and a
 * reload keep it); each a list of the API's, filtered by customer_id, sorted and paged by the server.
 */
function CustomerDocuments({ id }: { id: string }) {
  const { t } = useI18n();
  const { query } = useLocation();
  const docs = query.get('docs');
  const tab: DocTab = docs === 'orders' || docs === 'quotes' ? docs : 'invoices';
  const label: Record<DocTab, string> = { invoices: t('customerDetail.invoices'), orders: t('customerDetail.orders'), quotes: t('customerDetail.quotes') };
  // another tab starts on its first page in its default order (the lists' sort keys differ)
  const select = (x: DocTab) => navigate(`/customers/${enc(id)}?docs=${x}`, { keepScroll: true });
  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = DOC_TABS.indexOf(tab);
    const next = e.key === 'ArrowRight' ? DOC_TABS[(i + 1) % DOC_TABS.length] : e.key === 'ArrowLeft' ? DOC_TABS[(i + DOC_TABS.length - 1) % DOC_TABS.length]
      : e.key === 'Home' ? DOC_TABS[0] : e.key === 'End' ? DOC_TABS[DOC_TABS.length - 1] : undefined;
    if (next === undefined) return;
    e.preventDefault();
    select(next);
    document.getElementById(`customer-docs-tab-${next}`)?.focus();
  };
  const fixed = { customer_id: id };
  return (
    <section className="customer-documents" aria-labelledby="customer-documents-title">
      <h2 id="customer-documents-title">{t('customerDetail.documents')}</h2>
      <div className="document-tabs" role="tablist" aria-label={t('customerDetail.documentTabs')}>
        {DOC_TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            id={`customer-docs-tab-${x}`}
            aria-selected={x === tab}
            aria-controls="customer-docs-panel"
            tabIndex={x === tab ? 0 : -1}
            onClick={() => select(x)}
            onKeyDown={onKey}
          >
            {label[x]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="customer-docs-panel" aria-labelledby={`customer-docs-tab-${tab}`} data-testid={`customer-${tab}`}>
        {tab === 'quotes' && (
          <ListView
            key="quotes"
            path="/v1/quotes"
            fixed={fixed}
            caption={label.quotes}
            empty={t('customerDetail.quotesEmpty')}
            rowKey={(q) => q.id}
            columns={[
              { header: t('customerDetail.number'), sort: 'number', cell: (q) => <Link to={`/quotes/${enc(q.id)}`}>{q.number}{q.version > 1 ? ` (${t('quotes.version')} ${q.version})` : ''}</Link> },
              { header: t('customerDetail.status'), cell: (q) => <StatusBadge status={q.status} /> },
              { header: t('customerDetail.date'), sort: 'date', cell: (q) => <DateText value={q.quote_date} /> },
              { header: t('customerDetail.validUntil'), sort: 'valid_until', cell: (q) => <DateText value={q.valid_until} /> },
              { header: t('customerDetail.total'), sort: 'total', numeric: true, cell: (q) => <Money value={q.gross_total} /> },
            ]}
          />
        )}
        {tab === 'orders' && (
          <ListView
            key="orders"
            path="/v1/orders"
            fixed={fixed}
            caption={label.orders}
            empty={t('customerDetail.ordersEmpty')}
            rowKey={(o) => o.id}
            columns={[
              { header: t('customerDetail.number'), sort: 'number', cell: (o) => <Link to={`/orders/${enc(o.id)}`}>{o.number}</Link> },
              { header: t('customerDetail.status'), cell: (o) => <OrderStatusBadge status={o.status} /> },
              { header: t('customerDetail.date'), sort: 'date', cell: (o) => <DateText value={o.order_date} /> },
              { header: t('customerDetail.total'), sort: 'total', numeric: true, cell: (o) => <Money value={o.payable_total} /> },
            ]}
          />
        )}
        {tab === 'invoices' && (
          <ListView
            key="invoices"
            path="/v1/invoices"
            fixed={fixed}
            caption={label.invoices}
            empty={t('customers.invoicesEmpty')}
            rowKey={(inv) => inv.id}
            columns={[
              { header: t('customerDetail.number'), sort: 'number', cell: (inv) => <Link to={`/invoices/${enc(inv.id)}`}>{inv.number ?? t('customerDetail.draft')}</Link> },
              {
                header: t('customerDetail.status'),
                cell: (inv) => (inv.payment_status === null ? <FinanceBadge status={inv.status} /> : <><FinanceBadge status={inv.status} /> <FinanceBadge status={inv.payment_status} /></>),
              },
              { header: t('customerDetail.issueDate'), sort: 'issue_date', cell: (inv) => <DateText value={inv.issue_date} /> },
              { header: t('customerDetail.due'), sort: 'due_date', cell: (inv) => <DateText value={inv.due_date} /> },
              { header: t('customerDetail.total'), sort: 'total', numeric: true, cell: (inv) => <Money value={inv.payable_total} /> },
              { header: t('customerDetail.amountDue'), sort: 'amount_due', numeric: true, cell: (inv) => <Money value={inv.amount_due} /> },
            ]}
          />
        )}
      </div>
    </section>
  );
}

function BalanceView({ balance }: { balance: Schemas['CustomerBalance'] }) {
  const { t } = useI18n();
  if (balance.balances.length === 0) return <p className="muted">{t('customers.balanceNone')}</p>;
  return (
    <dl className="details" data-testid="customer-balance">
      {balance.balances.map((b) => (
        <div key={b.currency} className="details-group">
          <dt>{t('customers.balanceOpen')} ({b.currency})</dt><dd data-testid={`balance-${b.currency}`}><Money value={b.balance} /></dd>
          <dt>{t('customers.balanceCredit')} ({b.currency})</dt><dd><Money value={b.credit} /></dd>
        </div>
      ))}
      <dt>{t('customers.balanceBase', { currency: balance.base_currency })}</dt>
      <dd data-testid="balance-base"><strong><Money value={balance.balance_base} /></strong></dd>
    </dl>
  );
}

/** The form's fields, each as typed; the API's name of each (`param` of its errors). */
const FIELDS = {
  name: 'name',
  email: 'email',
  country: 'country',
  currency: 'currency',
  org_number: 'org_number',
  vat_number: 'vat_number',
  payment_terms_days: 'payment_terms_days',
  line1: 'address.line1',
  line2: 'address.line2',
  postal_code: 'address.postal_code',
  city: 'address.city',
  customer_group: 'customer_group',
  credit_limit: 'credit_limit',
} as const;
type FieldKey = keyof typeof FIELDS;
type FormState = Record<FieldKey, string>;
const ADDRESS_FIELDS = ['line1', 'line2', 'postal_code', 'city'] as const;
const DEFAULT_TERMS_DAYS = '30';
/** Who may set a credit limit (the API refuses it for other roles, naming credit_limit). */
const CREDIT_ROLES: readonly string[] = ['admin', 'finance'];

type CreateBody = NonNullable<RequestOptions<'/v1/customers', 'post'>['body']>;
type PatchBody = NonNullable<RequestOptions<'/v1/customers/{id}', 'patch'>['body']>;

function formOf(c: Customer | null): FormState {
  if (c === null) {
    return {
      name: '', email: '', country: 'SE', currency: 'SEK', org_number: '', vat_number: '', payment_terms_days: DEFAULT_TERMS_DAYS,
      line1: '', line2: '', postal_code: '', city: '', customer_group: '', credit_limit: '',
    };
  }
  return {
    name: c.name,
    email: c.email ?? '',
    country: c.country,
    currency: c.currency,
    org_number: c.org_number ?? '',
    vat_number: c.vat_number ?? '',
    payment_terms_days: String(c.payment_terms_days),
    line1: c.address.line1 ?? '',
    line2: c.address.line2 ?? '',
    postal_code: c.address.postal_code ?? '',
    city: c.address.city ?? '',
    customer_group: c.customer_group ?? '',
    credit_limit: c.credit_limit?.amount ?? '',
  };
}

/** Empty → null (the API's "none"); otherwise the text without surrounding spaces. */
const optional = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/**
 * A whole number of days as the API reads it. Anything else is sent as typed, so that the API refuses
 * it by name (payment_terms_days) and the message appears beside the field.
 */
const days = (s: string): number => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : (s.trim() as unknown as number));

/** A new customer: the API checks every field and names the one it refuses, shown beside it. */
export function NewCustomer() {
  const { t } = useI18n();
  useTitle(t('customers.new'));
  return (
    <section aria-labelledby="new-customer-title">
      <p><Link to="/customers">← {t('customers.back')}</Link></p>
      <h1 id="new-customer-title">{t('customers.new')}</h1>
      <CustomerForm customer={null} />
    </section>
  );
}

/** /customers/:id/edit: the same form with the customer's details; only what changed is sent. */
export function EditCustomer({ path }: { path: string }) {
  const { t } = useI18n();
  const { may } = useSession();
  const id = matchPath('/customers/:id/edit', path)?.['id'];
  const [customer, reload] = useLoad(
    (signal) => (id === undefined ? Promise.reject(new Error(t('notFound.title'))) : api.get('/v1/customers/{id}', { path: { id }, signal })),
    [id],
  );
  const title = customer.state === 'ready' ? t('customerForm.editTitle', { name: customer.data.name }) : t('customerDetail.edit');
  useTitle(title);
  const back = id === undefined ? '/customers' : `/customers/${enc(id)}`;
  return (
    <section aria-labelledby="edit-customer-title">
      <p><Link to={back}>← {customer.state === 'ready' ? customer.data.name : t('customers.back')}</Link></p>
      <h1 id="edit-customer-title">{title}</h1>
      {!may('customers.write') ? (
        <p className="card">{t('customerForm.mayNot')}</p>
      ) : (
        <Loaded value={customer} retry={reload}>
          {(c) => <CustomerForm key={c.id} customer={c} />}
        </Loaded>
      )}
    </section>
  );
}

function CustomerForm({ customer }: { customer: Customer | null }) {
  const { t } = useI18n();
  const { session } = useSession();
  const mayCredit = session != null && CREDIT_ROLES.includes(session.role);
  const [initial] = useState<FormState>(() => formOf(customer));
  const [form, setForm] = useState<FormState>(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (k: FieldKey) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const detail = (id: string) => `/customers/${enc(id)}`;

  const createBody = (): CreateBody => ({
    name: form.name.trim(),
    email: optional(form.email),
    country: form.country.trim().toUpperCase(),
    currency: form.currency.trim().toUpperCase(),
    org_number: optional(form.org_number),
    vat_number: optional(form.vat_number),
    ...(form.payment_terms_days.trim() === '' ? {} : { payment_terms_days: days(form.payment_terms_days) }),
    address: { line1: optional(form.line1), line2: optional(form.line2), postal_code: optional(form.postal_code), city: optional(form.city) },
    customer_group: optional(form.customer_group),
    ...(mayCredit && form.credit_limit.trim() !== '' ? { credit_limit: apiDecimal(form.credit_limit) } : {}),
  });

  /** Only the fields that changed ("fields left out stay as they are"); the currency never changes. */
  const patchBody = (): PatchBody => {
    const changed = (k: FieldKey) => form[k] !== initial[k];
    const body: PatchBody = {};
    if (changed('name')) body.name = form.name.trim();
    if (changed('email')) body.email = optional(form.email);
    if (changed('country')) body.country = form.country.trim().toUpperCase();
    if (changed('org_number')) body.org_number = optional(form.org_number);
    if (changed('vat_number')) body.vat_number = optional(form.vat_number);
    if (changed('payment_terms_days')) body.payment_terms_days = days(form.payment_terms_days);
    if (changed('customer_group')) body.customer_group = optional(form.customer_group);
    const address: NonNullable<PatchBody['address']> = {};
    for (const k of ADDRESS_FIELDS) if (changed(k)) address[k] = optional(form[k]);
    if (Object.keys(address).length > 0) body.address = address;
    if (mayCredit && changed('credit_limit')) body.credit_limit = form.credit_limit.trim() === '' ? null : apiDecimal(form.credit_limit);
    return body;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (customer === null) {
        const c = await api.post('/v1/customers', { body: createBody() });
        navigate(detail(c.id));
      } else {
        const body = patchBody();
        if (Object.keys(body).length > 0) await api.patch('/v1/customers/{id}', { path: { id: customer.id }, body });
        navigate(detail(customer.id));
      }
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err), null, 'api_error'));
    } finally {
      setBusy(false);
    }
  };

  const creditCurrency = customer?.currency ?? form.currency.trim().toUpperCase();
  const creditLabel = creditCurrency === '' ? t('customerForm.creditLimit') : `${t('customerForm.creditLimit')} (${creditCurrency})`;
  const shown = (Object.keys(FIELDS) as FieldKey[]).filter((k) => k !== 'credit_limit' || mayCredit);
  const named = error !== null && shown.some((k) => FIELDS[k] === error.param);
  const field = (k: FieldKey, label: string, props: InputHTMLAttributes<HTMLInputElement> = {}, hint?: string) => {
    const err = error !== null && error.param === FIELDS[k] ? error : null;
    const id = `customer-${k}`;
    const describedBy = [hint !== undefined ? `${id}-hint` : null, err ? `${id}-error` : null].filter((x) => x !== null).join(' ');
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} value={form[k]} onChange={set(k)} aria-invalid={err ? true : undefined} aria-describedby={describedBy === '' ? undefined : describedBy} {...props} />
        {hint !== undefined && <p className="hint" id={`${id}-hint`}>{hint}</p>}
        {err && <p className="field-error" id={`${id}-error`}>{err.message}</p>}
      </div>
    );
  };
  return (
    <form className="card form customer-form" onSubmit={submit} noValidate>
      {error && !named && <p className="form-error" role="alert">{error.message}</p>}
      {error && named && <p className="visually-hidden" role="alert">{error.message}</p>}
      <fieldset>
        <legend>{t('customerForm.company')}</legend>
        {field('name', t('customers.name'), { required: true, autoFocus: true, autoComplete: 'organization' })}
        <div className="field-row">
          {field('org_number', t('customers.orgNumber'))}
          {field('vat_number', t('customers.vatNumber'))}
        </div>
        <div className="field-row">
          {field('country', t('customers.country'), { maxLength: 2, required: true, autoComplete: 'country' }, t('customerForm.countryHint'))}
          {customer === null
            ? field('currency', t('customers.currency'), { maxLength: 3, required: true }, t('customerForm.currencyHint'))
            : field('currency', t('customers.currency'), { readOnly: true }, t('customerForm.currencyFixed'))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('customerForm.contact')}</legend>
        {field('email', t('customers.email'), { type: 'email', autoComplete: 'email' })}
      </fieldset>
      <fieldset>
        <legend>{t('customerForm.address')}</legend>
        {field('line1', t('customerForm.line1'), { autoComplete: 'address-line1' })}
        {field('line2', t('customerForm.line2'), { autoComplete: 'address-line2' })}
        <div className="field-row">
          {field('postal_code', t('customerForm.postalCode'), { autoComplete: 'postal-code' })}
          {field('city', t('customerForm.city'), { autoComplete: 'address-level2' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('customerForm.terms')}</legend>
        <div className="field-row">
          {field('payment_terms_days', t('customerForm.paymentTermsDays'), { inputMode: 'numeric' }, t('customerForm.paymentTermsHint'))}
          {field('customer_group', t('customerForm.customerGroup'), {}, t('customerForm.customerGroupHint'))}
        </div>
        {mayCredit
          ? field('credit_limit', creditLabel, { inputMode: 'decimal' }, t('customerForm.creditLimitHint'))
          : <p className="hint" data-testid="credit-limit-note">{t('customerForm.creditLimitFinance')}</p>}
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? t('customers.saving') : customer === null ? t('customers.create') : t('customerForm.save')}
        </button>
        <Link to={customer === null ? '/customers' : detail(customer.id)} className="button">{t('customers.cancel')}</Link>
      </div>
    </form>
  );
}
