/**
 * Customers: the list (server-side pages of 25), a customer's detail with balance, statement PDF and
 * invoices, and a form to create one (for roles that may). The list is sorted, searched and paged by
 * the API (list.tsx).
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, apiUrl, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Link, navigate, useTitle } from '../router';
import { ListView } from '../list';
import { useSession } from '../session';
import { DateText, Loaded, Money, StatusBadge, useLoad } from '../ui';

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

export function CustomerDetail({ id }: { id: string }) {
  const { t, lang } = useI18n();
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
              <a className="button" href={apiUrl('/v1/customers/{id}/statement.pdf', { id }, { from: yearStart, lang })}>{t('customers.statement')}</a>
            </div>
            <div className="grid">
              <div className="card">
                <dl className="details">
                  <dt>{t('customers.email')}</dt><dd>{c.email ?? '–'}</dd>
                  <dt>{t('customers.country')}</dt><dd>{c.country}</dd>
                  <dt>{t('customers.currency')}</dt><dd>{c.currency}</dd>
                  <dt>{t('customers.orgNumber')}</dt><dd>{c.org_number ?? '–'}</dd>
                  <dt>{t('customers.vatNumber')}</dt><dd>{c.vat_number ?? '–'}</dd>
                  <dt>{t('customers.terms')}</dt><dd>{t('customers.termsDays', { days: c.payment_terms_days })}</dd>
                  <dt>{t('customers.creditLimit')}</dt><dd><Money value={c.credit_limit} /></dd>
                  <dt>{t('customers.address')}</dt>
                  <dd>{[c.address.line1, c.address.line2, [c.address.postal_code, c.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '–'}</dd>
                  <dt>{t('customers.created')}</dt><dd><DateText value={c.created_at} /></dd>
                </dl>
              </div>
              <div className="card">
                <h2>{t('customers.balance')}</h2>
                <Loaded value={balance} retry={reloadBalance}>
                  {(b) => <BalanceView balance={b} />}
                </Loaded>
              </div>
            </div>
          </>
        )}
      </Loaded>
      <h2>{t('customers.invoices')}</h2>
      <ListView
        path="/v1/invoices"
        fixed={{ customer_id: id }}
        caption={t('customers.invoices')}
        empty={t('customers.invoicesEmpty')}
        rowKey={(inv) => inv.id}
        columns={[
          { header: t('invoices.number'), sort: 'number', cell: (inv) => inv.number ?? inv.id },
          { header: t('invoices.status'), cell: (inv) => <StatusBadge status={inv.status} /> },
          { header: t('invoices.due'), sort: 'due_date', cell: (inv) => <DateText value={inv.due_date} /> },
          { header: t('invoices.total'), sort: 'total', numeric: true, cell: (inv) => <Money value={inv.gross_total} /> },
        ]}
      />
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

/** A new customer: the API checks every field and names the one it refuses, shown beside it. */
export function NewCustomer() {
  const { t } = useI18n();
  useTitle(t('customers.new'));
  const [form, setForm] = useState({ name: '', email: '', country: 'SE', currency: 'SEK', org_number: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const c = await api.post('/v1/customers', {
        body: {
          name: form.name,
          country: form.country.trim().toUpperCase(),
          currency: form.currency.trim().toUpperCase(),
          email: form.email.trim() === '' ? null : form.email.trim(),
          org_number: form.org_number.trim() === '' ? null : form.org_number.trim(),
        },
      });
      navigate(`/customers/${encodeURIComponent(c.id)}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err), null, 'api_error'));
    } finally {
      setBusy(false);
    }
  };
  const field = (k: keyof typeof form, label: string, props: Record<string, unknown> = {}) => {
    const err = error?.param === k ? error : null;
    return (
      <div className="field">
        <label htmlFor={`customer-${k}`}>{label}</label>
        <input id={`customer-${k}`} value={form[k]} onChange={set(k)} aria-invalid={err ? true : undefined} aria-describedby={err ? `customer-${k}-error` : undefined} {...props} />
        {err && <p className="field-error" id={`customer-${k}-error`}>{err.message}</p>}
      </div>
    );
  };
  const fields = ['name', 'email', 'country', 'currency', 'org_number'];
  return (
    <section aria-labelledby="new-customer-title">
      <p><Link to="/customers">← {t('customers.back')}</Link></p>
      <h1 id="new-customer-title">{t('customers.new')}</h1>
      <form className="card form" onSubmit={submit} noValidate>
        {error && !fields.includes(error.param ?? '') && <p className="form-error" role="alert">{error.message}</p>}
        {error && fields.includes(error.param ?? '') && <p className="visually-hidden" role="alert">{error.message}</p>}
        {field('name', t('customers.name'), { required: true, autoFocus: true })}
        {field('email', t('customers.email'), { type: 'email' })}
        {field('country', t('customers.country'), { maxLength: 2, required: true })}
        {field('currency', t('customers.currency'), { maxLength: 3, required: true })}
        {field('org_number', t('customers.orgNumber'))}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('customers.saving') : t('customers.create')}</button>
          <Link to="/customers" className="button">{t('customers.cancel')}</Link>
        </div>
      </form>
    </section>
  );
}
