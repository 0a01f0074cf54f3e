/**
 * The /reports section (issue 9), one tab per report, each its own URL: receivables aging
 * (/reports/aging: as of any date, buckets, per customer in the base currency, with a bar chart),
 * the VAT return (/reports/vat: the momsdeklaration's sales boxes for a period), the KPIs
 * (/reports/kpis: quote conversion, days per stage, DSO, CEI) and the exports (/reports/exports:
 * SIE 4, hledger and the CSV files, as links the browser downloads with the session cookie). The
 * figures are the API's, shown as they come (money as decimal strings, never floats).
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, apiUrl, type Schemas } from '../api/client';
import { formatDate, formatDecimal, formatMoney, minorUnits } from '../format';
import { agingBucketLabel, agingOverdue, Bars } from '../charts';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { Permission } from '../permissions';
import { Link, useTitle } from '../router';
import { useSession } from '../session';
import { Empty, Loaded, Money, useLoad } from '../ui';
import { today } from './Invoices';
import './ops.css';

type Aging = Schemas['AgingReportAsOf'];
type Vat = Schemas['VatReport'];
type Kpis = Schemas['KpiReport'];

const TABS: { key: 'aging' | 'vat' | 'kpis' | 'exports'; permission: Permission }[] = [
  { key: 'aging', permission: 'books.read' },
  { key: 'vat', permission: 'books.read' },
  { key: 'kpis', permission: 'documents.read' },
  { key: 'exports', permission: 'books.read' },
];
type TabKey = (typeof TABS)[number]['key'];

export function ReportsPages({ path }: { path: string }) {
  const { t } = useI18n();
  const { may } = useSession();
  const allowed = TABS.filter((tab) => may(tab.permission));
  const asked = TABS.find((tab) => path === `/reports/${tab.key}`)?.key;
  const tab: TabKey | undefined = asked ?? allowed[0]?.key;
  const title = tab === undefined ? t('nav.reports') : `${t(`reports.tab.${tab}`)} · ${t('nav.reports')}`;
  useTitle(title);
  const known = path === '/reports' || asked !== undefined;
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">{t('nav.reports')}</h1>
      {allowed.length > 0 && (
        <nav aria-label={t('reports.tabs')}>
          <ul className="report-tabs">
            {allowed.map((x) => (
              <li key={x.key}><Link to={`/reports/${x.key}`} aria-current={x.key === tab ? 'page' : undefined}>{t(`reports.tab.${x.key}`)}</Link></li>
            ))}
          </ul>
        </nav>
      )}
      {!known ? (
        <p>{t('reports.unknown')} <Link to="/reports">{t('nav.reports')}</Link></p>
      ) : tab === undefined || !may(TABS.find((x) => x.key === tab)!.permission) ? (
        <p className="muted">{t('dashboard.notForRole')}</p>
      ) : tab === 'aging' ? (
        <AgingReport />
      ) : tab === 'vat' ? (
        <VatReport />
      ) : tab === 'kpis' ? (
        <KpiReport />
      ) : (
        <Exports />
      )}
    </section>
  );
}

/** A small form of fields and a "Show" button; the report reads the values once shown. */
function ReportForm({ label, children, onSubmit }: { label: string; children: ReactNode; onSubmit: () => void }) {
  const { t } = useI18n();
  return (
    <form className="card form form-inline" aria-label={label} noValidate onSubmit={(e: FormEvent) => { e.preventDefault(); onSubmit(); }}>
      {children}
      <div className="actions">
        <button type="submit" className="button button-primary">{t('reports.show')}</button>
      </div>
    </form>
  );
}

function DateField({ id, label, value, onChange }: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}

function monthStart(day: string): string {
  return `${day.slice(0, 8)}01`;
}
function monthEnd(day: string): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${day.slice(0, 8)}${String(last).padStart(2, '0')}`;
}
function daysBefore(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - n);
  return d.toISOString().slice(0, 10);
}

// ------------------------------------------------------------------ aging

function AgingReport() {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState({ asOf: today(), buckets: '' });
  const [shown, setShown] = useState(draft);
  const query = { as_of: shown.asOf, ...(shown.buckets.trim() === '' ? {} : { buckets: shown.buckets.trim() }) };
  const [report, reload] = useLoad(async (signal) => {
    const r = (await api.get('/v1/reports/aging', { query, signal })) as Aging | string;
    if (typeof r === 'string') throw new Error('CSV');
    return { r, names: new Map(r.customers.map((c) => [c.customer_id, c.customer_name])) };
  }, [shown.asOf, shown.buckets]);
  return (
    <div className="report-section" data-testid="report-aging">
      <ReportForm label={t('reports.tab.aging')} onSubmit={() => setShown(draft)}>
        <DateField id="aging-as-of" label={t('reports.asOf')} value={draft.asOf} onChange={(v) => setDraft((d) => ({ ...d, asOf: v }))} />
        <div className="field">
          <label htmlFor="aging-buckets">{t('reports.aging.buckets')}</label>
          <input id="aging-buckets" value={draft.buckets} placeholder="30,60,90" aria-describedby="aging-buckets-hint" onChange={(e) => setDraft((d) => ({ ...d, buckets: e.target.value }))} />
          <p className="hint" id="aging-buckets-hint">{t('reports.aging.bucketsHint')}</p>
        </div>
      </ReportForm>
      <Loaded value={report} retry={reload}>
        {({ r, names }) => {
          const total = r.base_total.total;
          const zero = { amount: '0.00', currency: r.base_currency };
          return (
            <>
              <div className="card">
                <h2>{t('reports.aging.title', { date: formatDate(r.as_of, lang) })}</h2>
                <dl className="figures">
                  <div>
                    <dt>{t('reports.aging.total', { currency: r.base_currency })}</dt>
                    <dd data-testid="aging-total"><Money value={total} /></dd>
                  </div>
                </dl>
                <h3>{t('reports.aging.chart')}</h3>
                <Bars
                  label={t('reports.aging.chart')}
                  testId="aging-bars"
                  rows={r.bucket_definitions.map((b) => {
                    const money = r.base_total.buckets[b.key] ?? zero;
                    return { key: b.key, label: agingBucketLabel(b, t), minor: minorUnits(money.amount), value: formatMoney(money, lang), warn: agingOverdue(b) };
                  })}
                />
              </div>
              <h2 id="aging-customers-title">{t('reports.aging.perCustomer', { currency: r.base_currency })}</h2>
              {r.customers.length === 0 ? (
                <Empty>{t('reports.aging.none')}</Empty>
              ) : (
                <div className="table-scroll">
                  <table className="table report-table" aria-labelledby="aging-customers-title" data-testid="aging-customers">
                    <thead>
                      <tr>
                        <th scope="col">{t('reports.customer')}</th>
                        {r.bucket_definitions.map((b) => <th key={b.key} scope="col" className="num">{agingBucketLabel(b, t)}</th>)}
                        <th scope="col" className="num">{t('reports.total')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.customers.map((c) => (
                        <tr key={c.customer_id}>
                          <th scope="row"><Link to={`/customers/${encodeURIComponent(c.customer_id)}`}>{names.get(c.customer_id) ?? c.customer_id}</Link></th>
                          {r.bucket_definitions.map((b) => <td key={b.key} className="num"><Money value={c.base_buckets[b.key] ?? zero} /></td>)}
                          <td className="num"><Money value={c.base_total} /></td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">{t('reports.total')}</th>
                        {r.bucket_definitions.map((b) => <td key={b.key} className="num"><Money value={r.base_total.buckets[b.key] ?? zero} /></td>)}
                        <td className="num"><Money value={total} /></td>
                      </tr>
                    </tfoot>
                  </table>
                </div>
              )}
              {r.totals.length > 0 && (
                <>
                  <h2 id="aging-currencies-title">{t('reports.aging.perCurrency')}</h2>
                  <table className="table report-table" aria-labelledby="aging-currencies-title" data-testid="aging-currencies">
                    <thead>
                      <tr>
                        <th scope="col">{t('reports.currency')}</th>
                        <th scope="col" className="num">{t('reports.aging.inCurrency')}</th>
                        <th scope="col" className="num">{t('reports.aging.inBase', { currency: r.base_currency })}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {r.totals.map((x) => (
                        <tr key={x.currency}>
                          <th scope="row">{x.currency}</th>
                          <td className="num"><Money value={x.total} /></td>
                          <td className="num"><Money value={x.base_total} /></td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </>
              )}
              <p><a href={apiUrl('/v1/reports/aging', undefined, { ...query, format: 'csv' })} download>{t('reports.csv')}</a></p>
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

// ------------------------------------------------------------------ VAT

const VAT_BOXES = ['05', '06', '07', '08', '10', '11', '12', '35', '36', '39', '40', '42', '48', '49'] as const;

function VatReport() {
  const { t, lang } = useI18n();
  const now = today();
  const [draft, setDraft] = useState({ from: monthStart(now), to: monthEnd(now) });
  const [shown, setShown] = useState(draft);
  const [report, reload] = useLoad(async (signal) => {
    const r = (await api.get('/v1/reports/vat', { query: { from: shown.from, to: shown.to }, signal })) as Vat | string;
    if (typeof r === 'string') throw new Error('CSV');
    return r;
  }, [shown.from, shown.to]);
  return (
    <div className="report-section" data-testid="report-vat">
      <ReportForm label={t('reports.period')} onSubmit={() => setShown(draft)}>
        <DateField id="vat-from" label={t('reports.from')} value={draft.from} onChange={(v) => setDraft((d) => ({ ...d, from: v }))} />
        <DateField id="vat-to" label={t('reports.to')} value={draft.to} onChange={(v) => setDraft((d) => ({ ...d, to: v }))} />
      </ReportForm>
      <Loaded value={report} retry={reload}>
        {(r) => (
          <>
            <h2 id="vat-boxes-title">{t('reports.vat.title', { from: formatDate(r.from, lang), to: formatDate(r.to, lang) })}</h2>
            <p className="muted">{t('reports.vat.documents', { invoices: r.documents.invoices, credits: r.documents.credit_notes })}</p>
            <table className="table report-table" aria-labelledby="vat-boxes-title" data-testid="vat-boxes">
              <thead>
                <tr>
                  <th scope="col">{t('reports.vat.box')}</th>
                  <th scope="col">{t('reports.vat.label')}</th>
                  <th scope="col" className="num">{t('reports.vat.exact')}</th>
                  <th scope="col" className="num">{t('reports.vat.declared')}</th>
                </tr>
              </thead>
              <tbody>
                {r.boxes.map((b) => (
                  <tr key={b.box} data-box={b.box}>
                    <th scope="row">{b.box}</th>
                    <td>{(VAT_BOXES as readonly string[]).includes(b.box) ? t(`reports.vat.box${b.box}` as MessageKey) : b.label}</td>
                    <td className="num"><Money value={b.amount} /></td>
                    <td className="num">{formatDecimal(b.declared_kronor, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2 id="vat-rates-title">{t('reports.vat.byRate')}</h2>
            <table className="table report-table" aria-labelledby="vat-rates-title" data-testid="vat-rates">
              <thead>
                <tr>
                  <th scope="col">{t('reports.vat.rate')}</th>
                  <th scope="col" className="num">{t('reports.vat.taxable')}</th>
                  <th scope="col" className="num">{t('reports.vat.vat')}</th>
                </tr>
              </thead>
              <tbody>
                {r.output_vat_by_rate.map((v) => (
                  <tr key={v.rate}>
                    <th scope="row">{lang === 'sv' ? `${v.rate} %` : `${v.rate}%`}</th>
                    <td className="num"><Money value={v.taxable} /></td>
                    <td className="num"><Money value={v.vat} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="hint">{t('reports.vat.rounding')}</p>
            <p><a href={apiUrl('/v1/reports/vat', undefined, { from: r.from, to: r.to, format: 'csv' })} download>{t('reports.csv')}</a></p>
          </>
        )}
      </Loaded>
    </div>
  );
}

// ------------------------------------------------------------------ KPIs

const STAGES = ['sent_to_accepted', 'accepted_to_delivered', 'delivered_to_invoiced', 'issued_to_paid'] as const;

function KpiReport() {
  const { t, lang } = useI18n();
  const now = today();
  const [draft, setDraft] = useState({ from: daysBefore(now, 90), to: now });
  const [shown, setShown] = useState(draft);
  const [report, reload] = useLoad(async (signal) => {
    const r = (await api.get('/v1/reports/kpis', { query: { from: shown.from, to: shown.to }, signal })) as Kpis | string;
    if (typeof r === 'string') throw new Error('CSV');
    return r;
  }, [shown.from, shown.to]);
  const pct = (v: string | null) => (v === null ? t('reports.none') : `${formatDecimal(v, lang)}${lang === 'sv' ? ' %' : '%'}`);
  const num = (v: string | number | null) => (v === null ? t('reports.none') : formatDecimal(v, lang));
  return (
    <div className="report-section" data-testid="report-kpis">
      <ReportForm label={t('reports.period')} onSubmit={() => setShown(draft)}>
        <DateField id="kpi-from" label={t('reports.from')} value={draft.from} onChange={(v) => setDraft((d) => ({ ...d, from: v }))} />
        <DateField id="kpi-to" label={t('reports.to')} value={draft.to} onChange={(v) => setDraft((d) => ({ ...d, to: v }))} />
      </ReportForm>
      <Loaded value={report} retry={reload}>
        {(r) => (
          <>
            <div className="grid">
              <div className="card">
                <h2>{t('reports.kpi.quotes')}</h2>
                <dl className="details" data-testid="kpi-quotes">
                  <dt>{t('reports.kpi.sent')}</dt><dd data-kpi="sent">{num(r.quotes.sent)}</dd>
                  <dt>{t('reports.kpi.accepted')}</dt><dd data-kpi="accepted">{num(r.quotes.accepted)}</dd>
                  <dt>{t('reports.kpi.declined')}</dt><dd data-kpi="declined">{num(r.quotes.declined)}</dd>
                  <dt>{t('reports.kpi.expired')}</dt><dd data-kpi="expired">{num(r.quotes.expired)}</dd>
                  <dt>{t('reports.kpi.open')}</dt><dd data-kpi="open">{num(r.quotes.open)}</dd>
                  <dt>{t('reports.kpi.winRate')}</dt><dd data-kpi="win-rate">{pct(r.quotes.win_rate_of_decided_percent)}</dd>
                  <dt>{t('reports.kpi.conversion')}</dt><dd data-kpi="conversion">{pct(r.quotes.conversion_rate_of_sent_percent)}</dd>
                </dl>
              </div>
              <div className="card">
                <h2>{t('reports.kpi.receivables')}</h2>
                <dl className="details" data-testid="kpi-receivables">
                  <dt>{t('reports.kpi.openingAr')}</dt><dd><Money value={r.receivables.opening_ar} /></dd>
                  <dt>{t('reports.kpi.closingAr')}</dt><dd data-kpi="closing-ar"><Money value={r.receivables.closing_ar} /></dd>
                  <dt>{t('reports.kpi.closingCurrentAr')}</dt><dd><Money value={r.receivables.closing_current_ar} /></dd>
                  <dt>{t('reports.kpi.creditSales')}</dt><dd data-kpi="credit-sales"><Money value={r.receivables.credit_sales} /></dd>
                  <dt>{t('reports.kpi.days')}</dt><dd>{num(r.receivables.days)}</dd>
                  <dt>{t('reports.kpi.dso')}</dt><dd data-kpi="dso">{num(r.receivables.dso_days)}</dd>
                  <dt>{t('reports.kpi.cei')}</dt><dd data-kpi="cei">{pct(r.receivables.cei_percent)}</dd>
                </dl>
              </div>
            </div>
            <h2 id="kpi-stages-title">{t('reports.kpi.stages')}</h2>
            <table className="table report-table" aria-labelledby="kpi-stages-title" data-testid="kpi-stages">
              <thead>
                <tr>
                  <th scope="col">{t('reports.kpi.stage')}</th>
                  <th scope="col" className="num">{t('reports.kpi.count')}</th>
                  <th scope="col" className="num">{t('reports.kpi.average')}</th>
                  <th scope="col" className="num">{t('reports.kpi.median')}</th>
                  <th scope="col" className="num">{t('reports.kpi.min')}</th>
                  <th scope="col" className="num">{t('reports.kpi.max')}</th>
                </tr>
              </thead>
              <tbody>
                {STAGES.map((s) => {
                  const st = r.stages[s];
                  return (
                    <tr key={s} data-stage={s}>
                      <th scope="row">{t(`reports.kpi.stage.${s}`)}</th>
                      <td className="num">{num(st.count)}</td>
                      <td className="num">{num(st.average_days)}</td>
                      <td className="num">{num(st.median_days)}</td>
                      <td className="num">{num(st.min_days)}</td>
                      <td className="num">{num(st.max_days)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <p className="hint">{t('reports.kpi.daysHint')}</p>
            <p><a href={apiUrl('/v1/reports/kpis', undefined, { from: r.from, to: r.to, format: 'csv' })} download>{t('reports.csv')}</a></p>
          </>
        )}
      </Loaded>
    </div>
  );
}

// ------------------------------------------------------------------ exports

function Exports() {
  const { t } = useI18n();
  const now = today();
  const [year, setYear] = useState(now.slice(0, 4));
  const [range, setRange] = useState({ from: `${now.slice(0, 4)}-01-01`, to: now });
  const validYear = /^\d{4}$/.test(year);
  return (
    <div className="report-section downloads" data-testid="report-exports">
      <div className="card">
        <h2 id="sie-title">{t('reports.exports.sie')}</h2>
        <p className="hint">{t('reports.exports.sieHint')}</p>
        <div className="field">
          <label htmlFor="sie-year">{t('reports.exports.fiscalYear')}</label>
          <input id="sie-year" inputMode="numeric" size={6} value={year} onChange={(e) => setYear(e.target.value.trim())} />
        </div>
        {validYear ? (
          <a className="button button-primary" href={apiUrl('/v1/exports/sie', undefined, { fiscal_year: year })} download>{t('reports.exports.sieDownload', { year })}</a>
        ) : (
          <p className="field-error" role="alert">{t('reports.exports.yearInvalid')}</p>
        )}
      </div>
      <div className="card">
        <h2>{t('reports.exports.hledger')}</h2>
        <p className="hint">{t('reports.exports.hledgerHint')}</p>
        <div className="form-inline">
          <DateField id="export-from" label={t('reports.from')} value={range.from} onChange={(v) => setRange((r) => ({ ...r, from: v }))} />
          <DateField id="export-to" label={t('reports.to')} value={range.to} onChange={(v) => setRange((r) => ({ ...r, to: v }))} />
        </div>
        <ul>
          <li><a href={apiUrl('/v1/exports/hledger', undefined, { from: range.from, to: range.to })} download>{t('reports.exports.hledgerDownload')}</a></li>
          <li><a href={apiUrl('/v1/ledger/trial-balance', undefined, { from: range.from, to: range.to, format: 'csv' })} download>{t('reports.exports.trialCsv')}</a></li>
          <li><a href={apiUrl('/v1/reports/vat', undefined, { from: range.from, to: range.to, format: 'csv' })} download>{t('reports.exports.vatCsv')}</a></li>
          <li><a href={apiUrl('/v1/reports/kpis', undefined, { from: range.from, to: range.to, format: 'csv' })} download>{t('reports.exports.kpiCsv')}</a></li>
          <li><a href={apiUrl('/v1/reports/aging', undefined, { as_of: range.to, format: 'csv' })} download>{t('reports.exports.agingCsv')}</a></li>
        </ul>
      </div>
    </div>
  );
}
