/**
 * The dashboard: receivables and their aging (GET /v1/reports/aging, the books' readers only), quote
 * conversion and DSO for the last 90 days (GET /v1/reports/kpis), and from GET /v1/reports/dashboard
 * the quote pipeline by status, cash received per week (the books' readers only) and the exact sizes
 * of the work queues.
 */
import { api, type Schemas } from '../api/client';
import { agingBucketLabel, agingOverdue, Bars } from '../charts';
import { useI18n } from '../i18n/i18n';
import { Link, useTitle } from '../router';
import { useSession } from '../session';
import { formatDate, formatDecimal, formatMoney, minorUnits } from '../format';
import type { MessageKey } from '../i18n/messages';
import { Loaded, Money, useLoad } from '../ui';

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function Dashboard() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('dashboard.title'));
  const books = may('books.read');
  const [data, reload] = useLoad((signal) => api.get('/v1/reports/dashboard', { signal }), []);
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('dashboard.title')}</h1>
      <div className="grid">
        {books ? <AgingCard /> : <NotForRole title={t('dashboard.receivables')} />}
        <KpiCard />
        <Loaded value={data} retry={reload}>
          {(d) => (
            <>
              <QueuesCard data={d} books={books} />
              <PipelineCard data={d} />
              {d.cash_received !== null && <CashCard data={d} />}
            </>
          )}
        </Loaded>
      </div>
    </section>
  );
}

function NotForRole({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <div className="card">
      <h2>{title}</h2>
      <p className="muted">{t('dashboard.notForRole')}</p>
    </div>
  );
}

type Aging = Schemas['AgingReportAsOf'];

function AgingCard() {
  const { t, lang } = useI18n();
  const [aging, reload] = useLoad((signal) => api.get('/v1/reports/aging', { signal }) as Promise<Aging | string>, []);
  return (
    <div className="card card-wide">
      <h2>{t('dashboard.receivables')}</h2>
      <Loaded value={aging} retry={reload}>
        {(report) => {
          if (typeof report === 'string') return null; // CSV only when asked for
          const total = report.base_total.total;
          const overdueKeys = report.bucket_definitions.filter(agingOverdue).map((b) => b.key);
          const overdueMinor = overdueKeys.reduce((sum, k) => sum + minorUnits(report.base_total.buckets[k]?.amount ?? '0'), 0n);
          const overdue = { amount: minorToDecimal(overdueMinor), currency: total.currency };
          return (
            <>
              <dl className="figures">
                <div>
                  <dt>{t('dashboard.receivables')}</dt>
                  <dd data-testid="receivables-total"><Money value={total} /></dd>
                </div>
                <div>
                  <dt>{t('dashboard.overdue')}</dt>
                  <dd data-testid="overdue-total" className={overdueMinor > 0n ? 'warn' : undefined}><Money value={overdue} /></dd>
                </div>
              </dl>
              <h3>{t('dashboard.aging')}</h3>
              <Bars
                label={t('dashboard.aging')}
                rows={report.bucket_definitions.map((b) => {
                  const money = report.base_total.buckets[b.key] ?? { amount: '0.00', currency: total.currency };
                  return { key: b.key, label: agingBucketLabel(b, t), minor: minorUnits(money.amount), value: formatMoney(money, lang), warn: agingOverdue(b) };
                })}
              />
              {overdueMinor === 0n && <p className="muted">{t('dashboard.overdueNone')}</p>}
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

/** 123450n → "1234.50" (two decimals, the base currency's). */
function minorToDecimal(minor: bigint): string {
  const negative = minor < 0n;
  const s = (negative ? -minor : minor).toString().padStart(3, '0');
  return `${negative ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

function KpiCard() {
  const { t, lang } = useI18n();
  const [kpis, reload] = useLoad((signal) => {
    const to = new Date();
    const from = new Date(to.getTime() - 90 * 86_400_000);
    return api.get('/v1/reports/kpis', { query: { from: isoDay(from), to: isoDay(to) }, signal }) as Promise<Schemas['KpiReport'] | string>;
  }, []);
  return (
    <div className="card">
      <h2>{t('dashboard.kpis')}</h2>
      <Loaded value={kpis} retry={reload}>
        {(r) => {
          if (typeof r === 'string') return null;
          const pct = r.quotes.conversion_rate_of_sent_percent;
          const dso = r.receivables.dso_days;
          return (
            <dl className="figures figures-small">
              <div><dt>{t('dashboard.quotesSent')}</dt><dd>{formatDecimal(r.quotes.sent, lang)}</dd></div>
              <div><dt>{t('dashboard.quotesAccepted')}</dt><dd>{formatDecimal(r.quotes.accepted, lang)}</dd></div>
              <div><dt>{t('dashboard.conversion')}</dt><dd>{pct === null ? t('dashboard.none') : `${formatDecimal(pct, lang)} %`}</dd></div>
              <div><dt>{t('dashboard.dso')}</dt><dd>{dso === null ? t('dashboard.none') : formatDecimal(dso, lang)}</dd></div>
            </dl>
          );
        }}
      </Loaded>
    </div>
  );
}

type DashboardData = Schemas['Dashboard'];

/** Quote value by status (one bar per status and currency: currencies are not converted). */
function PipelineCard({ data }: { data: DashboardData }) {
  const { t, lang } = useI18n();
  const currencies = new Set(data.pipeline.map((p) => p.net_total.currency));
  return (
    <div className="card card-wide" data-testid="pipeline">
      <h2>{t('dashboard.pipeline')}</h2>
      <p className="muted">{t('dashboard.pipelineHint', { days: data.window_days })}</p>
      {data.pipeline.length === 0 ? (
        <p className="muted">{t('dashboard.pipelineEmpty')}</p>
      ) : (
        <Bars
          label={t('dashboard.pipeline')}
          rows={data.pipeline.map((p) => ({
            key: `${p.status}-${p.net_total.currency}`,
            label: `${t(`status.${p.status}` as MessageKey)}${currencies.size > 1 ? ` (${p.net_total.currency})` : ''} · ${formatDecimal(p.count, lang)}`,
            minor: minorUnits(p.net_total.amount),
            value: formatMoney(p.net_total, lang),
            warn: p.status === 'declined' || p.status === 'expired',
          }))}
        />
      )}
    </div>
  );
}

/** Payments received per ISO week, in the base currency (other currencies listed below when there are any). */
function CashCard({ data }: { data: DashboardData }) {
  const { t, lang } = useI18n();
  const weeks = data.cash_received ?? [];
  const base = weeks.filter((w) => w.amount.currency === data.base_currency);
  const other = weeks.filter((w) => w.amount.currency !== data.base_currency && w.count > 0);
  return (
    <div className="card card-wide" data-testid="cash-per-week">
      <h2>{t('dashboard.cash')}</h2>
      <Bars
        label={t('dashboard.cash')}
        rows={base.map((w) => ({
          key: w.week_start,
          label: t('dashboard.week', { date: formatDate(w.week_start, lang) }),
          minor: minorUnits(w.amount.amount),
          value: formatMoney(w.amount, lang),
        }))}
      />
      {other.length > 0 && (
        <ul className="muted">
          {other.map((w) => (
            <li key={`${w.week_start}-${w.amount.currency}`}>
              {t('dashboard.week', { date: formatDate(w.week_start, lang) })}: {formatMoney(w.amount, lang)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function QueuesCard({ data, books }: { data: DashboardData; books: boolean }) {
  const { t, lang } = useI18n();
  const q = data.queues;
  const count = (n: number) => formatDecimal(n, lang);
  return (
    <div className="card">
      <h2>{t('dashboard.queues')}</h2>
      <ul className="queues">
        <li>
          <Link to="/quotes?status=awaiting_approval">{t('dashboard.awaitingApproval')}</Link>
          <span className="count" data-testid="quotes-awaiting">{count(q.quotes_awaiting_approval)}</span>
        </li>
        <li>
          <Link to="/orders?status=on_hold">{t('dashboard.onHold')}</Link>
          <span className="count" data-testid="orders-on-hold">{count(q.orders_on_hold)}</span>
        </li>
        <li>
          <Link to="/claims">{t('dashboard.claimsOpen')}</Link>
          <span className="count" data-testid="claims-open">{count(q.claims_open)}</span>
        </li>
        <li>
          <Link to="/payments">{t('dashboard.bankToReview')}</Link>
          {books && q.bank_lines_to_review !== null ? (
            <span className="count" data-testid="bank-unmatched">{count(q.bank_lines_to_review)}</span>
          ) : (
            <span className="muted">{t('dashboard.notForRole')}</span>
          )}
        </li>
        <li>
          <Link to="/invoices?overdue=true">{t('dashboard.overdueInvoices')}</Link>
          <span className="count" data-testid="invoices-overdue">
            {q.overdue_invoices.length === 0
              ? count(0)
              : q.overdue_invoices.map((o) => `${count(o.count)} · ${formatMoney(o.open, lang)}`).join(', ')}
          </span>
        </li>
      </ul>
    </div>
  );
}
