/**
 * The dashboard: what the API answers cheaply today. Receivables and their aging (GET
 * /v1/reports/aging, the books' readers only), quote conversion and DSO for the last 90 days (GET
 * /v1/reports/kpis), and the work queues the list filters can count (open claims, unmatched bank
 * lines). Queues the API cannot filter yet are named, not guessed from one page of a list.
 */
import { api, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Link, useTitle } from '../router';
import { useSession } from '../session';
import { formatDecimal, formatMoney, minorUnits } from '../format';
import { Loaded, Money, useLoad } from '../ui';

const QUEUE_LIMIT = 100;

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function Dashboard() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('dashboard.title'));
  const books = may('books.read');
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">{t('dashboard.title')}</h1>
      <div className="grid">
        {books ? <AgingCard /> : <NotForRole title={t('dashboard.receivables')} />}
        <KpiCard />
        <QueuesCard books={books} />
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
          const overdueKeys = report.bucket_definitions.filter((b) => (b.min_days_past_due ?? 0) >= 1).map((b) => b.key);
          const overdueMinor = overdueKeys.reduce((sum, k) => sum + minorUnits(report.base_total.buckets[k]?.amount ?? '0'), 0n);
          const overdue = { amount: minorToDecimal(overdueMinor), currency: total.currency };
          const max = report.bucket_definitions.reduce((m, b) => {
            const v = minorUnits(report.base_total.buckets[b.key]?.amount ?? '0');
            return v > m ? v : m;
          }, 0n);
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
              <ul className="bars" aria-label={t('dashboard.aging')}>
                {report.bucket_definitions.map((b) => {
                  const money = report.base_total.buckets[b.key] ?? { amount: '0.00', currency: total.currency };
                  const v = minorUnits(money.amount);
                  // a proportion for the bar's width only; the amount itself is shown exactly
                  const pct = max > 0n && v > 0n ? Math.max(1, Number((v * 1000n) / max) / 10) : 0;
                  const label = bucketLabel(b, t);
                  return (
                    <li key={b.key}>
                      <span className="bar-label">{label}</span>
                      <span className="bar-track" aria-hidden="true">
                        <span className={`bar ${(b.min_days_past_due ?? 0) >= 1 ? 'bar-overdue' : ''}`} style={{ width: `${pct}%` }} />
                      </span>
                      <span className="bar-value">{formatMoney(money, lang)}</span>
                    </li>
                  );
                })}
              </ul>
              {overdueMinor === 0n && <p className="muted">{t('dashboard.overdueNone')}</p>}
            </>
          );
        }}
      </Loaded>
    </div>
  );
}

/** "Not yet due", "1–30 days", "Over 90 days", from the bucket's limits (the keys are the API's, not words). */
function bucketLabel(b: Aging['bucket_definitions'][number], t: ReturnType<typeof useI18n>['t']): string {
  const min = b.min_days_past_due;
  const max = b.max_days_past_due;
  if (max !== null && max <= 0) return t('dashboard.agingCurrent');
  if (max === null) return t('dashboard.agingOver', { days: (min ?? 1) - 1 });
  return t('dashboard.agingRange', { from: Math.max(min ?? 1, 1), to: max });
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

function QueuesCard({ books }: { books: boolean }) {
  const { t } = useI18n();
  const [claims, reloadClaims] = useLoad((signal) => api.get('/v1/claims', { query: { status: 'open', limit: QUEUE_LIMIT }, signal }), []);
  const [bank, reloadBank] = useLoad(
    (signal) => (books ? api.get('/v1/bank-transactions', { query: { status: 'unmatched', limit: QUEUE_LIMIT }, signal }) : Promise.resolve(null)),
    [books],
  );
  const [awaiting, reloadAwaiting] = useLoad((signal) => api.get('/v1/quotes', { query: { awaiting_approval: 'true', limit: QUEUE_LIMIT }, signal }), []);
  const [onHold, reloadOnHold] = useLoad((signal) => api.get('/v1/orders', { query: { status: 'on_hold', limit: QUEUE_LIMIT }, signal }), []);
  const count = (list: { data: unknown[]; has_more: boolean }) => `${list.data.length}${list.has_more ? '+' : ''}`;
  return (
    <div className="card">
      <h2>{t('dashboard.queues')}</h2>
      <ul className="queues">
        <li>
          <Link to="/claims">{t('dashboard.claimsOpen')}</Link>
          <Loaded value={claims} retry={reloadClaims}>{(l) => <span className="count" data-testid="claims-open">{count(l)}</span>}</Loaded>
        </li>
        <li>
          <Link to="/payments">{t('dashboard.bankToReview')}</Link>
          {books ? (
            <Loaded value={bank} retry={reloadBank}>{(l) => (l === null ? null : <span className="count" data-testid="bank-unmatched">{count(l)}</span>)}</Loaded>
          ) : (
            <span className="muted">{t('dashboard.notForRole')}</span>
          )}
        </li>
        <li>
          <Link to="/quotes?status=awaiting_approval">{t('dashboard.awaitingApproval')}</Link>
          <Loaded value={awaiting} retry={reloadAwaiting}>{(l) => <span className="count" data-testid="quotes-awaiting">{count(l)}</span>}</Loaded>
        </li>
        <li>
          <Link to="/orders?status=on_hold">{t('dashboard.onHold')}</Link>
          <Loaded value={onHold} retry={reloadOnHold}>{(l) => <span className="count" data-testid="orders-on-hold">{count(l)}</span>}</Loaded>
        </li>
      </ul>
    </div>
  );
}
