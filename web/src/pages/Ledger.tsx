/**
 * The ledger: journal entries with their postings (server-side pages, filtered by date), the trial
 * balance for a date range, period close (after an explicit confirmation: it cannot be undone from
 * here) and the exports for other bookkeeping programs (SIE 4, hledger), as links the browser
 * downloads with the session cookie.
 */
import { useState, type FormEvent } from 'react';
import { api, apiUrl, type Schemas } from '../api/client';
import { formatDate } from '../format';
import { useI18n } from '../i18n/i18n';
import { useTitle } from '../router';
import { useSession } from '../session';
import { CursorPaged, DateText, Empty, Loaded, Money, useCursorPages, useLoad } from '../ui';
import { PAGE_SIZE } from './Customers';
import { ActionError, today, useAction } from './Invoices';

type Entry = Schemas['JournalEntry'];

export function Ledger() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('ledger.title'));
  const year = new Date().getFullYear();
  const [range, setRange] = useState({ from: `${year}-01-01`, to: today() });
  const [draft, setDraft] = useState(range);
  const [round, setRound] = useState(0);
  if (!may('books.read')) {
    return (
      <section aria-labelledby="ledger-title">
        <h1 id="ledger-title">{t('ledger.title')}</h1>
        <p className="muted">{t('dashboard.notForRole')}</p>
      </section>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setRange(draft);
  };
  return (
    <section aria-labelledby="ledger-title">
      <div className="page-head">
        <h1 id="ledger-title">{t('ledger.title')}</h1>
      </div>
      <form className="card form form-inline" onSubmit={submit} noValidate aria-label={t('ledger.period')}>
        <div className="field">
          <label htmlFor="ledger-from">{t('ledger.from')}</label>
          <input id="ledger-from" type="date" value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
        </div>
        <div className="field">
          <label htmlFor="ledger-to">{t('ledger.to')}</label>
          <input id="ledger-to" type="date" value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary">{t('ledger.show')}</button>
        </div>
      </form>
      <div className="grid">
        <TrialBalance from={range.from} to={range.to} round={round} />
        <div className="card">
          <h2>{t('ledger.exports')}</h2>
          <ul>
            <li><a href={apiUrl('/v1/exports/sie', undefined, { fiscal_year: Number(range.from.slice(0, 4)) })}>{t('ledger.sie', { year: range.from.slice(0, 4) })}</a></li>
            <li><a href={apiUrl('/v1/exports/hledger', undefined, { from: range.from, to: range.to })}>{t('ledger.hledger')}</a></li>
            <li><a href={apiUrl('/v1/ledger/trial-balance', undefined, { from: range.from, to: range.to, format: 'csv' })}>{t('ledger.trialCsv')}</a></li>
          </ul>
          <PeriodClose canClose={may('books.write')} onClosed={() => setRound((r) => r + 1)} />
        </div>
      </div>
      <Journal from={range.from} to={range.to} round={round} />
    </section>
  );
}

function TrialBalance({ from, to, round }: { from: string; to: string; round: number }) {
  const { t } = useI18n();
  const [tb, reload] = useLoad(
    (signal) => api.get('/v1/ledger/trial-balance', { query: { ...(from ? { from } : {}), ...(to ? { to } : {}) }, signal }) as Promise<Schemas['TrialBalance'] | string>,
    [from, to, round],
  );
  return (
    <div className="card card-wide">
      <h2>{t('ledger.trialBalance')}</h2>
      <Loaded value={tb} retry={reload}>
        {(report) => {
          if (typeof report === 'string') return null; // CSV only when asked for
          if (report.rows.length === 0) return <Empty>{t('ledger.noMovements')}</Empty>;
          return (
            <>
              <table className="table" data-testid="trial-balance">
                <caption className="visually-hidden">{t('ledger.trialBalance')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('ledger.account')}</th>
                    <th scope="col" className="num">{t('ledger.opening')}</th>
                    <th scope="col" className="num">{t('ledger.debit')}</th>
                    <th scope="col" className="num">{t('ledger.credit')}</th>
                    <th scope="col" className="num">{t('ledger.closing')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows.map((r) => (
                    <tr key={`${r.account}-${r.currency}`} data-account={r.account}>
                      <td>{r.account}{r.name ? ` ${r.name}` : ''}</td>
                      <td className="num"><Money value={r.opening} /></td>
                      <td className="num"><Money value={r.debit} /></td>
                      <td className="num"><Money value={r.credit} /></td>
                      <td className="num"><Money value={r.closing} /></td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  {report.totals.map((s) => (
                    <tr key={s.currency}>
                      <th scope="row">{t('ledger.total', { currency: s.currency })}</th>
                      <td />
                      <td className="num"><Money value={s.debit} /></td>
                      <td className="num"><Money value={s.credit} /></td>
                      <td data-testid="balanced">{s.balanced ? t('ledger.balanced') : t('ledger.unbalanced')}</td>
                    </tr>
                  ))}
                </tfoot>
              </table>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

/** Closes every period through a month end, after the user confirmed what that means. */
function PeriodClose({ canClose, onClosed }: { canClose: boolean; onClosed: () => void }) {
  const { t, lang } = useI18n();
  const [settings, reload] = useLoad((signal) => api.get('/v1/ledger/settings', { signal }), []);
  const [through, setThrough] = useState('');
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const close = async () => {
    const r = await action.run(() => api.post('/v1/ledger/close', { body: { through } }));
    setConfirming(false);
    if (r) {
      reload();
      onClosed();
    }
  };
  return (
    <>
      <h2>{t('ledger.close')}</h2>
      <Loaded value={settings} retry={reload}>
        {(s) => <p data-testid="locked-through">{s.locked_through ? t('ledger.lockedThrough', { date: formatDate(s.locked_through, lang) }) : t('ledger.nothingClosed')}</p>}
      </Loaded>
      {canClose && (
        <form className="form" onSubmit={(e) => { e.preventDefault(); setConfirming(true); }} noValidate>
          <ActionError error={action.error} />
          <div className="field">
            <label htmlFor="close-through">{t('ledger.closeThrough')}</label>
            <input id="close-through" type="date" value={through} onChange={(e) => { setThrough(e.target.value); setConfirming(false); }} />
          </div>
          {!confirming ? (
            <button type="submit" className="button" disabled={through === ''} data-write="true">{t('ledger.closeStart')}</button>
          ) : (
            <div role="alertdialog" aria-labelledby="close-confirm-text" className="confirm">
              <p id="close-confirm-text" className="warn">{t('ledger.closeConfirm', { date: formatDate(through, lang) })}</p>
              <div className="actions">
                <button type="button" className="button button-primary" onClick={() => void close()} disabled={action.busy}>{t('ledger.closeYes')}</button>
                <button type="button" className="button" onClick={() => setConfirming(false)}>{t('customers.cancel')}</button>
              </div>
            </div>
          )}
        </form>
      )}
    </>
  );
}

function Journal({ from, to, round }: { from: string; to: string; round: number }) {
  const { t } = useI18n();
  const pages = useCursorPages(`journal|${from}|${to}`);
  const [list, reload] = useLoad(
    (signal) => api.get('/v1/ledger/entries', { query: { from, to, limit: PAGE_SIZE, ...(pages.after ? { starting_after: pages.after } : {}) }, signal }),
    [from, to, pages.after, round],
  );
  return (
    <>
      <h2>{t('ledger.journal')}</h2>
      <CursorPaged value={list} retry={reload} pages={pages} empty={t('ledger.noEntries')}>
        {(rows) => (
          <>
            <table className="table journal" data-testid="journal">
              <caption className="visually-hidden">{t('ledger.journal')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('ledger.entry')}</th>
                  <th scope="col">{t('ledger.date')}</th>
                  <th scope="col">{t('ledger.account')}</th>
                  <th scope="col" className="num">{t('ledger.debit')}</th>
                  <th scope="col" className="num">{t('ledger.credit')}</th>
                </tr>
              </thead>
              {rows.map((e) => <EntryRows key={e.id} entry={e} />)}
            </table>
          </>
        )}
      </CursorPaged>
    </>
  );
}

/** One entry as a group of rows: its description, then one row per posting. */
function EntryRows({ entry: e }: { entry: Entry }) {
  const zero = (m: { amount: string }) => /^-?0*(\.0*)?$/.test(m.amount);
  return (
    <tbody className="entry" data-entry={`${e.series}${e.number}`} data-source={e.source_type}>
      <tr className="entry-head">
        <th scope="rowgroup" colSpan={2}>
          {e.series}{e.number} · <DateText value={e.entry_date} />
        </th>
        <td colSpan={3}>{e.description}</td>
      </tr>
      {e.lines.map((line) => (
        <tr key={line.line_no} data-account={line.account}>
          <td />
          <td />
          <td>{line.account}</td>
          <td className="num">{zero(line.debit) ? '' : <Money value={line.debit} />}</td>
          <td className="num">{zero(line.credit) ? '' : <Money value={line.credit} />}</td>
        </tr>
      ))}
    </tbody>
  );
}
