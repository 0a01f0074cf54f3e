/**
 * Accounts: the chart of accounts (add, rename, deactivate), the account map postings use, and the
 * fiscal year start. Reading needs books.read; changing needs books.write (finance, admin).
 */
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session';
import { DateText, Loaded, useLoad } from '../../ui';
import { CheckField, Field, FormError, put, Saved, SelectField, useSubmit } from './shared';

type Account = Schemas['Account'];
type BooksSettings = Schemas['BooksSettings'];

export function AccountsSettings() {
  const { t } = useI18n();
  const { may } = useSession();
  const canWrite = may('books.write');
  const [accounts, reloadAccounts] = useLoad((signal) => api.get('/v1/ledger/accounts', { signal }), []);
  const [settings, reloadSettings] = useLoad((signal) => api.get('/v1/ledger/settings', { signal }), []);
  const [editing, setEditing] = useState<{ account: string; name: string; active: boolean } | null>(null);
  return (
    <>
      <h1>{t('settings.accounts.title')}</h1>
      <p className="muted">{t('settings.accounts.intro')}</p>
      <h2>{t('settings.accounts.chart')}</h2>
      {canWrite && (
        <AccountForm
          key={editing?.account ?? 'new'}
          initial={editing}
          onSaved={() => {
            setEditing(null);
            reloadAccounts();
          }}
        />
      )}
      <Loaded value={accounts} retry={reloadAccounts}>
        {(l) => (
          <table className="table" data-testid="chart-of-accounts">
            <caption className="visually-hidden">{t('settings.accounts.chart')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('settings.accounts.number')}</th>
                <th scope="col">{t('settings.accounts.name')}</th>
                <th scope="col">{t('settings.accounts.status')}</th>
                <th scope="col">{t('settings.accounts.source')}</th>
                {canWrite && <th scope="col"><span className="visually-hidden">{t('settings.actions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {l.data.map((a: Account) => (
                <tr key={a.account}>
                  <th scope="row">{a.account}</th>
                  <td>{a.name}</td>
                  <td>{a.active ? t('settings.active') : t('settings.inactive')}</td>
                  <td>{a.source === 'bas' ? t('settings.accounts.bas') : t('settings.accounts.own')}</td>
                  {canWrite && (
                    <td>
                      <button type="button" className="button settings-small" onClick={() => setEditing({ account: a.account, name: a.name, active: a.active })}>
                        {t('settings.edit')}<span className="visually-hidden"> {a.account}</span>
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
      <Loaded value={settings} retry={reloadSettings}>
        {(s) => (
          <>
            <h2>{t('settings.accounts.map')}</h2>
            <AccountMap settings={s} canWrite={canWrite} />
            <h2>{t('settings.accounts.fiscal')}</h2>
            <FiscalYear settings={s} canWrite={canWrite} />
          </>
        )}
      </Loaded>
    </>
  );
}

function AccountForm({ initial, onSaved }: { initial: { account: string; name: string; active: boolean } | null; onSaved: () => void }) {
  const { t } = useI18n();
  const [account, setAccount] = useState(initial?.account ?? '');
  const [name, setName] = useState(initial?.name ?? '');
  const [active, setActive] = useState(initial?.active ?? true);
  const { busy, error, done, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => put('/v1/ledger/accounts/{account}', { path: { account: account.trim() }, body: { name: name.trim(), active } }));
    if (ok) onSaved();
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-label={initial ? t('settings.accounts.editOne', { account: initial.account }) : t('settings.accounts.add')}>
      <h3>{initial ? t('settings.accounts.editOne', { account: initial.account }) : t('settings.accounts.add')}</h3>
      <FormError error={error} fields={['account', 'name', 'active']} />
      <div className="settings-grid">
        <Field label={t('settings.accounts.number')} param="account" error={error} value={account} onValue={setAccount} inputMode="numeric" maxLength={4} readOnly={initial !== null} hint={t('settings.accounts.numberHint')} />
        <Field label={t('settings.accounts.name')} param="name" error={error} value={name} onValue={setName} />
        <CheckField label={t('settings.active')} checked={active} onChecked={setActive} />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.save')}</button>
      </div>
      <Saved show={done}>{t('settings.saved')}</Saved>
    </form>
  );
}

/** The account map flattened to "key" and "key.rate" entries (revenueByVatRate.25 …). */
function flatten(map: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'string') out.push([k, v]);
    else if (v !== null && typeof v === 'object') for (const [rate, acc] of Object.entries(v as Record<string, unknown>)) if (typeof acc === 'string') out.push([`${k}.${rate}`, acc]);
  }
  return out;
}

function unflatten(entries: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entries)) {
    const [head = k, rate] = k.split('.');
    if (rate === undefined) out[head] = v;
    else out[head] = { ...((out[head] as Record<string, string> | undefined) ?? {}), [rate]: v };
  }
  return out;
}

function AccountMap({ settings: initial, canWrite }: { settings: BooksSettings; canWrite: boolean }) {
  const { t } = useI18n();
  // the map as saved last (the PUT answers with it), so the form stays with its "saved" status
  const [settings, setSettings] = useState(initial);
  const effective = flatten(settings.account_map);
  const overridden = new Set(flatten(settings.account_map_overrides).map(([k]) => k));
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(effective));
  const { busy, error, done, run } = useSubmit();
  if (!canWrite) {
    return (
      <table className="table" data-testid="account-map">
        <caption className="visually-hidden">{t('settings.accounts.map')}</caption>
        <thead><tr><th scope="col">{t('settings.accounts.mapKey')}</th><th scope="col">{t('settings.accounts.number')}</th></tr></thead>
        <tbody>
          {effective.map(([k, v]) => <tr key={k}><th scope="row"><code>{k}</code></th><td>{v}{overridden.has(k) ? ` (${t('settings.accounts.own')})` : ''}</td></tr>)}
        </tbody>
      </table>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // the overrides: what was overridden before and what differs from the map in force now
    const base = Object.fromEntries(effective);
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (overridden.has(k) || v.trim() !== base[k]) next[k] = v.trim();
    await run(async () => setSettings(await put('/v1/ledger/account-map', { body: { account_map: unflatten(next) } })));
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-label={t('settings.accounts.map')}>
      <p className="muted">{t('settings.accounts.mapIntro')}</p>
      <FormError error={error} fields={['account_map']} />
      <div className="settings-grid settings-grid-narrow">
        {effective.map(([k]) => (
          <Field key={k} label={k} param={`account_map.${k}`} error={error} value={values[k] ?? ''} onValue={(v) => setValues((x) => ({ ...x, [k]: v }))} inputMode="numeric" maxLength={4} />
        ))}
      </div>
      {error !== null && error.param === 'account_map' && <p className="field-error">{error.message}</p>}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.accounts.saveMap')}</button>
      </div>
      <Saved show={done}>{t('settings.saved')}</Saved>
    </form>
  );
}

function FiscalYear({ settings: initial, canWrite }: { settings: BooksSettings; canWrite: boolean }) {
  const { t, lang } = useI18n();
  const [settings, setSettings] = useState(initial);
  const [month, setMonth] = useState(String(settings.fiscal_year_start_month));
  const { busy, error, done, run } = useSubmit();
  const monthName = (m: number) => new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, m - 1, 1)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => setSettings(await api.patch('/v1/ledger/settings', { body: { fiscal_year_start_month: Number(month) } })));
  };
  return (
    <div className="card">
      <dl className="details">
        <dt>{t('settings.accounts.baseCurrency')}</dt><dd>{settings.base_currency}</dd>
        <dt>{t('settings.accounts.lockedThrough')}</dt><dd>{settings.locked_through === null ? t('settings.accounts.noneLocked') : <DateText value={settings.locked_through} />}</dd>
      </dl>
      {canWrite ? (
        <form className="settings-form form-inline" onSubmit={submit} noValidate aria-label={t('settings.accounts.fiscal')}>
          <FormError error={error} fields={['fiscal_year_start_month']} />
          <SelectField
            label={t('settings.accounts.fiscalStart')} param="fiscal_year_start_month" error={error} value={month} onValue={setMonth}
            options={Array.from({ length: 12 }, (_, i) => ({ value: String(i + 1), label: monthName(i + 1) }))}
            hint={t('settings.accounts.fiscalHint')}
          />
          <button type="submit" className="button" disabled={busy}>{busy ? t('settings.saving') : t('settings.save')}</button>
          <Saved show={done}>{t('settings.saved')}</Saved>
        </form>
      ) : (
        <p>{t('settings.accounts.fiscalStart')}: {monthName(settings.fiscal_year_start_month)}</p>
      )}
    </div>
  );
}
