/**
 * Quotes: the latest version of each, sorted, searched, filtered by status and paged by the API
 * (list.tsx), with the customer's name as the list gives it.
 */
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ListView } from '../list';
import { Link, useTitle } from '../router';
import { useSession } from '../session';
import { DateText, Money, StatusBadge } from '../ui';

const QUOTE_STATUSES = ['draft', 'awaiting_approval', 'approved', 'sent', 'accepted', 'declined', 'expired', 'superseded'] as const;

export function QuoteList() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('quotes.title'));
  return (
    <section aria-labelledby="quotes-title">
      <div className="page-head">
        <h1 id="quotes-title">{t('quotes.title')}</h1>
        {may('quotes.write') && (
          <Link to="/quotes/new" className="button button-primary" data-write="true">{t('quotes.new')}</Link>
        )}
      </div>
      <ListView
        path="/v1/quotes"
        caption={t('quotes.title')}
        search={t('list.search')}
        filters={[{ param: 'status', label: t('list.status'), options: QUOTE_STATUSES.map((s) => ({ value: s, label: t(`status.${s}` as MessageKey) })) }]}
        empty={t('quotes.empty')}
        rowKey={(q) => q.id}
        columns={[
          { header: t('quotes.number'), sort: 'number', cell: (q) => <Link to={`/quotes/${encodeURIComponent(q.id)}`}>{q.number}{q.version > 1 ? ` (${t('quotes.version')} ${q.version})` : ''}</Link> },
          { header: t('quotes.customer'), cell: (q) => <Link to={`/customers/${encodeURIComponent(q.customer_id)}`}>{q.customer_name ?? q.customer_id}</Link> },
          { header: t('quotes.status'), cell: (q) => <StatusBadge status={q.status} /> },
          { header: t('quotes.date'), sort: 'date', cell: (q) => <DateText value={q.quote_date} /> },
          { header: t('quotes.validUntil'), sort: 'valid_until', cell: (q) => <DateText value={q.valid_until} /> },
          { header: t('quotes.total'), sort: 'total', numeric: true, cell: (q) => <Money value={q.gross_total} /> },
        ]}
      />
    </section>
  );
}
