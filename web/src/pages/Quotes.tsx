/** Quotes: the latest version of each, server-side pages of 25, with the customer's name. */
import { api, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Link, useTitle } from '../router';
import { useSession } from '../session';
import { DateText, Empty, Loaded, Money, Pager, StatusBadge, useCursorPages, useLoad } from '../ui';
import { PAGE_SIZE } from './Customers';

type Customer = Schemas['Customer'];
type QuoteList = Schemas['Quote'][];

/** One page of quotes and the customers they name (each customer fetched once per page). */
async function quotesPage(after: string | undefined, signal: AbortSignal): Promise<{ data: QuoteList; has_more: boolean; customers: Map<string, Customer> }> {
  const page = await api.get('/v1/quotes', { query: { limit: PAGE_SIZE, ...(after ? { starting_after: after } : {}) }, signal });
  const ids = [...new Set(page.data.map((q) => q.customer_id))];
  const customers = new Map<string, Customer>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        customers.set(id, await api.get('/v1/customers/{id}', { path: { id }, signal }));
      } catch {
        // the id is shown instead of the name; the quote list itself still loads
      }
    }),
  );
  return { ...page, customers };
}

export function QuoteList() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('quotes.title'));
  const pages = useCursorPages('quotes');
  const [list, reload] = useLoad((signal) => quotesPage(pages.after, signal), [pages.after]);
  return (
    <section aria-labelledby="quotes-title">
      <div className="page-head">
        <h1 id="quotes-title">{t('quotes.title')}</h1>
        {may('quotes.write') && (
          <Link to="/quotes/new" className="button button-primary" data-write="true">{t('quotes.new')}</Link>
        )}
      </div>
      <Loaded value={list} retry={reload}>
        {(l) =>
          l.data.length === 0 && pages.page === 1 ? (
            <Empty>{t('quotes.empty')}</Empty>
          ) : (
            <>
              <table className="table">
                <caption className="visually-hidden">{t('quotes.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('quotes.number')}</th>
                    <th scope="col">{t('quotes.customer')}</th>
                    <th scope="col">{t('quotes.status')}</th>
                    <th scope="col">{t('quotes.date')}</th>
                    <th scope="col">{t('quotes.validUntil')}</th>
                    <th scope="col" className="num">{t('quotes.total')}</th>
                  </tr>
                </thead>
                <tbody>
                  {l.data.map((q) => (
                    <tr key={q.id}>
                      <td>{q.number}{q.version > 1 ? ` (${t('quotes.version')} ${q.version})` : ''}</td>
                      <td><Link to={`/customers/${encodeURIComponent(q.customer_id)}`}>{l.customers.get(q.customer_id)?.name ?? q.customer_id}</Link></td>
                      <td><StatusBadge status={q.status} /></td>
                      <td><DateText value={q.quote_date} /></td>
                      <td><DateText value={q.valid_until} /></td>
                      <td className="num"><Money value={q.gross_total} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <Pager page={pages.page} hasMore={l.has_more} onPrevious={pages.previous} onNext={() => { const last = l.data[l.data.length - 1]; if (last) pages.next(last.id); }} />
            </>
          )
        }
      </Loaded>
    </section>
  );
}
