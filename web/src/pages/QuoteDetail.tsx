/**
 * A quote version (/quotes/{id}): header, lines, totals, approval, the versions with a visual diff
 * between any two (GET /v1/quotes/{id}/diff), the PDF (same origin, so the session cookie goes with
 * it) and the actions the user's role and the version's status allow: edit, send, request approval,
 * approve or reject (sales managers), revise, a portal link to copy, and accept or decline on the
 * customer's behalf (accepting opens the order made from it).
 */
import { useState, type FormEvent } from 'react';
import { api, apiUrl, type Schemas } from '../api/client';
import { PortalLinkCard } from '../portal-link';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link, navigate, useTitle } from '../router';
import { useSession } from '../session';
import { DateText, Empty, Loaded, Money, StatusBadge, useLoad } from '../ui';
import { QuoteTotals } from './QuoteEditor';
import { ActionBar, FormError, Percent, Qty, useAction, type Quote } from './sales-shared';

type Approval = Schemas['QuoteApproval'];
type Diff = Schemas['QuoteDiff'];

export function QuoteDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const [data, reload] = useLoad(
    async (signal) => {
      const quote = await api.get('/v1/quotes/{id}', { path: { id }, signal });
      const [customer, versions, approvals] = await Promise.all([
        api.get('/v1/customers/{id}', { path: { id: quote.customer_id }, signal }).catch(() => null),
        api.get('/v1/quotes/{id}/versions', { path: { id }, signal }),
        api.get('/v1/quotes/{id}/approvals', { path: { id }, signal }),
      ]);
      return { quote, customer, versions: versions.data, approvals: approvals.data };
    },
    [id],
  );
  useTitle(data.state === 'ready' ? t('quoteEditor.heading', { number: data.data.quote.number, version: data.data.quote.version }) : t('quotes.title'));
  return (
    <section aria-labelledby="quote-title" className="quote-detail">
      <p><Link to="/quotes">← {t('quoteEditor.back')}</Link></p>
      <Loaded value={data} retry={reload}>
        {(d) => <QuoteView key={d.quote.id + d.quote.status} quote={d.quote} customerName={d.customer?.name ?? d.quote.customer_id} versions={d.versions} approvals={d.approvals} reload={reload} />}
      </Loaded>
    </section>
  );
}

function QuoteView({ quote, customerName, versions, approvals, reload }: { quote: Quote; customerName: string; versions: Quote[]; approvals: Approval[]; reload: () => void }) {
  const { t, lang } = useI18n();
  const { may, session } = useSession();
  const { busy, error, run } = useAction();
  const [portalUrl, setPortalUrl] = useState<string | null>(null);
  const [pdfShown, setPdfShown] = useState(false);
  const [asking, setAsking] = useState<'reject' | 'decline' | null>(null);
  const [reason, setReason] = useState('');
  const q = quote;
  const path = { id: q.id };
  const mine = approvals.filter((a) => a.version === q.version);
  const approval = mine[mine.length - 1];
  // an earlier version's approval carries over to a revision while nothing that needed it changes
  const earlier = approvals.filter((a) => a.status === 'approved' && a.version < q.version).pop();
  const write = may('quotes.write');
  const approve = may('quotes.approve');
  const latest = versions[versions.length - 1];
  const pdf = apiUrl('/v1/quotes/{id}/pdf', path, { lang });

  const send = () => run('send', async () => {
    await api.post('/v1/quotes/{id}/send', { path });
    reload();
  });
  const requestApproval = () => run('request', async () => {
    await api.post('/v1/quotes/{id}/request-approval', { path });
    reload();
  });
  const doApprove = () => run('approve', async () => {
    await api.post('/v1/quotes/{id}/approve', { path, body: {} });
    reload();
  });
  const revise = () => run('revise', async () => {
    const next = await api.post('/v1/quotes/{id}/revise', { path });
    navigate(`/quotes/${encodeURIComponent(next.id)}/edit`);
  });
  const accept = () => run('accept', async () => {
    const order = await api.post('/v1/quotes/{id}/accept', { path });
    navigate(`/orders/${encodeURIComponent(order.id)}`);
  });
  const portalLink = () => run('portal', async () => {
    const link = await api.post('/v1/quotes/{id}/portal-links', { path });
    setPortalUrl(link.url ?? null);
  });
  const submitReason = async (e: FormEvent) => {
    e.preventDefault();
    const done = await run(asking ?? '', async () => {
      if (asking === 'reject') await api.post('/v1/quotes/{id}/reject-approval', { path, body: { comment: reason } });
      else await api.post('/v1/quotes/{id}/decline', { path, body: { reason } });
      return true;
    });
    if (done) {
      setAsking(null);
      setReason('');
      reload();
    }
  };

  return (
    <>
      <div className="page-head">
        <h1 id="quote-title">{t('quoteEditor.heading', { number: q.number, version: q.version })}</h1>
        <StatusBadge status={q.status} />
      </div>
      {latest && latest.id !== q.id && (
        <p className="notice">{t('quote.newerVersion')} <Link to={`/quotes/${encodeURIComponent(latest.id)}`}>{t('quoteEditor.heading', { number: latest.number, version: latest.version })}</Link></p>
      )}
      <FormError error={error} />
      <ActionBar label={t('quote.actions')}>
        {write && q.status === 'draft' && <Link to={`/quotes/${encodeURIComponent(q.id)}/edit`} className="button" data-write="true">{t('quote.edit')}</Link>}
        {write && (q.status === 'draft' || q.status === 'approved') && (
          <button type="button" className="button button-primary" data-write="true" onClick={() => void send()} disabled={busy !== null}>{t('quote.send')}</button>
        )}
        {write && q.status === 'draft' && error?.code === 'quote_approval_required' && (
          <button type="button" className="button button-primary" data-write="true" onClick={() => void requestApproval()} disabled={busy !== null}>{t('quote.requestApproval')}</button>
        )}
        {approve && q.status === 'awaiting_approval' && approval?.requested_by !== session?.user?.id && (
          <button type="button" className="button button-primary" data-write="true" onClick={() => void doApprove()} disabled={busy !== null}>{t('quote.approve')}</button>
        )}
        {approve && q.status === 'awaiting_approval' && (
          <button type="button" className="button" data-write="true" onClick={() => setAsking('reject')} disabled={busy !== null}>{t('quote.reject')}</button>
        )}
        {write && q.status === 'sent' && (
          <button type="button" className="button button-primary" data-write="true" onClick={() => void accept()} disabled={busy !== null}>{t('quote.accept')}</button>
        )}
        {write && q.status === 'sent' && (
          <button type="button" className="button" data-write="true" onClick={() => setAsking('decline')} disabled={busy !== null}>{t('quote.decline')}</button>
        )}
        {write && q.status === 'sent' && (
          <button type="button" className="button" data-write="true" onClick={() => void portalLink()} disabled={busy !== null}>{t('quote.portalLink')}</button>
        )}
        {write && latest?.id === q.id && (q.status === 'sent' || q.status === 'declined' || q.status === 'expired') && (
          <button type="button" className="button" data-write="true" onClick={() => void revise()} disabled={busy !== null}>{t('quote.revise')}</button>
        )}
      </ActionBar>
      {asking !== null && (
        <form className="card form inline-form" onSubmit={submitReason}>
          <div className="field">
            <label htmlFor="quote-reason">{asking === 'reject' ? t('quote.rejectComment') : t('quote.declineReason')}</label>
            <textarea id="quote-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} required />
          </div>
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy !== null}>{asking === 'reject' ? t('quote.reject') : t('quote.decline')}</button>
            <button type="button" className="button" onClick={() => setAsking(null)}>{t('customers.cancel')}</button>
          </div>
        </form>
      )}
      {portalUrl !== null && <PortalLinkCard url={portalUrl} />}

      <div className="grid">
        <div className="card">
          <dl className="details">
            <dt>{t('quotes.customer')}</dt><dd><Link to={`/customers/${encodeURIComponent(q.customer_id)}`}>{customerName}</Link></dd>
            <dt>{t('quotes.date')}</dt><dd><DateText value={q.quote_date} /></dd>
            <dt>{t('quotes.validUntil')}</dt><dd><DateText value={q.valid_until} /></dd>
            <dt>{t('customers.terms')}</dt><dd>{t('customers.termsDays', { days: q.payment_terms_days })}</dd>
            <dt>{t('customers.currency')}</dt><dd>{q.currency}</dd>
            {q.sent_at && <><dt>{t('quote.sentAt')}</dt><dd><DateText value={q.sent_at} /></dd></>}
            {q.declined_reason && <><dt>{t('quote.declinedReason')}</dt><dd>{q.declined_reason}</dd></>}
            {q.notes && <><dt>{t('quoteEditor.notes')}</dt><dd>{q.notes}</dd></>}
          </dl>
        </div>
        <div className="card" data-testid="quote-totals">
          <h2>{t('quote.totals')}</h2>
          <QuoteTotals quote={q} />
        </div>
        <div className="card" data-testid="quote-approval">
          <h2>{t('quote.approval')}</h2>
          {approval === undefined ? (
            earlier !== undefined ? (
              <p>{t('quote.approvalEarlier', { n: earlier.version })} <DateText value={earlier.decided_at} /></p>
            ) : (
              <p className="muted">{q.status === 'draft' ? t('quote.approvalNone') : t('quote.approvalNotNeeded')}</p>
            )
          ) : (
            <>
              <p><span className={`badge badge-approval-${approval.status}`}>{t(`approval.${approval.status}` as MessageKey)}</span> <DateText value={approval.decided_at ?? approval.requested_at} /></p>
              {approval.triggered.length > 0 && (
                <ul className="triggered">{approval.triggered.map((r) => <li key={r.rule_id + r.line_keys.join()}>{r.message}</li>)}</ul>
              )}
              {approval.comment && <p>“{approval.comment}”</p>}
            </>
          )}
        </div>
      </div>

      <h2>{t('quoteEditor.lines')}</h2>
      <QuoteLinesTable quote={q} />

      <h2>{t('quote.pdf')}</h2>
      <p className="actions">
        <a className="button" href={pdf} target="_blank" rel="noopener">{t('quote.openPdf')}</a>
        <button type="button" className="button" aria-expanded={pdfShown} onClick={() => setPdfShown((s) => !s)}>{pdfShown ? t('quote.hidePreview') : t('quote.showPreview')}</button>
      </p>
      {pdfShown && <iframe className="pdf-preview" src={pdf} title={t('quote.pdfTitle', { number: q.number, version: q.version })} />}

      <h2 id="versions-title">{t('quote.versions')}</h2>
      <table className="table" aria-labelledby="versions-title">
        <thead>
          <tr>
            <th scope="col">{t('quotes.version')}</th>
            <th scope="col">{t('quotes.status')}</th>
            <th scope="col">{t('quotes.date')}</th>
            <th scope="col" className="num">{t('quotes.total')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.id} aria-current={v.id === q.id ? 'true' : undefined}>
              <td>{v.id === q.id ? <strong>{t('diff.version', { n: v.version })}</strong> : <Link to={`/quotes/${encodeURIComponent(v.id)}`}>{t('diff.version', { n: v.version })}</Link>}</td>
              <td><StatusBadge status={v.status} /></td>
              <td><DateText value={v.sent_at ?? v.created_at} /></td>
              <td className="num"><Money value={v.payable_total} /></td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 ? <VersionDiff id={q.id} versions={versions} current={q.version} /> : <Empty>{t('quote.oneVersion')}</Empty>}
    </>
  );
}

export function QuoteLinesTable({ quote }: { quote: Quote }) {
  const { t } = useI18n();
  return (
    <table className="table">
      <caption className="visually-hidden">{t('quoteEditor.lines')}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{t('quoteEditor.description')}</th>
          <th scope="col" className="num">{t('quoteEditor.quantity')}</th>
          <th scope="col" className="num">{t('quote.unitPrice')}</th>
          <th scope="col" className="num">{t('quoteEditor.discount')}</th>
          <th scope="col" className="num">{t('quote.net')}</th>
          <th scope="col" className="num">{t('quote.vatRate')}</th>
          <th scope="col" className="num">{t('quote.margin')}</th>
        </tr>
      </thead>
      <tbody>
        {quote.lines.map((l) => (
          <tr key={l.line_key} className={l.included ? undefined : 'line-excluded'}>
            <td>{l.line_no}</td>
            <td>
              {l.description}
              {l.optional && <> <span className="badge">{l.selected ? t('quote.optionChosen') : t('quote.option')}</span></>}
            </td>
            <td className="num"><Qty value={l.quantity} /> {l.unit}</td>
            <td className="num"><Money value={l.unit_price} /></td>
            <td className="num">{l.discount === null ? '–' : 'percent' in l.discount ? <Percent value={l.discount.percent} /> : <Money value={l.discount.amount} />}</td>
            <td className="num"><Money value={l.net_amount} /></td>
            <td className="num"><Percent value={l.vat_rate} /></td>
            <td className="num">{l.margin_percent === null ? '–' : <Percent value={l.margin_percent} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Two versions side by side as the API compares them: lines added, removed and changed, header, totals. */
function VersionDiff({ id, versions, current }: { id: string; versions: Quote[]; current: number }) {
  const { t } = useI18n();
  const numbers = versions.map((v) => v.version);
  const to0 = current > 1 ? current : (numbers[numbers.length - 1] ?? current);
  const [range, setRange] = useState({ from: to0 - 1, to: to0 });
  const [diff, reload] = useLoad((signal) => api.get('/v1/quotes/{id}/diff', { path: { id }, query: range, signal }), [id, range.from, range.to]);
  const pick = (k: 'from' | 'to') => (e: { target: { value: string } }) => setRange((r) => ({ ...r, [k]: Number(e.target.value) }));
  return (
    <section className="diff" aria-labelledby="diff-title">
      <h2 id="diff-title">{t('diff.title')}</h2>
      <div className="diff-pick">
        <label htmlFor="diff-from">{t('diff.from')}</label>
        <select id="diff-from" value={range.from} onChange={pick('from')}>
          {numbers.map((n) => <option key={n} value={n}>{t('diff.version', { n })}</option>)}
        </select>
        <label htmlFor="diff-to">{t('diff.to')}</label>
        <select id="diff-to" value={range.to} onChange={pick('to')}>
          {numbers.map((n) => <option key={n} value={n}>{t('diff.version', { n })}</option>)}
        </select>
      </div>
      <Loaded value={diff} retry={reload}>
        {(d) => <DiffView diff={d} />}
      </Loaded>
    </section>
  );
}

const FIELD_KEYS: Record<string, MessageKey> = {
  product: 'quoteEditor.product',
  description: 'quoteEditor.description',
  quantity: 'quoteEditor.quantity',
  unit_price: 'quote.unitPrice',
  discount: 'quoteEditor.discount',
  optional: 'quoteEditor.optional',
  valid_until: 'quotes.validUntil',
  payment_terms_days: 'quoteEditor.termsDays',
  notes: 'quoteEditor.notes',
  quote_discount: 'quoteEditor.quoteDiscount',
};

function DiffView({ diff }: { diff: Diff }) {
  const { t } = useI18n();
  const nothing = diff.added.length + diff.removed.length + diff.changed.length + diff.header.length === 0;
  const field = (f: string) => (FIELD_KEYS[f] ? t(FIELD_KEYS[f]) : f);
  return (
    <div data-testid="quote-diff">
      {nothing && <Empty>{t('diff.none')}</Empty>}
      <ul className="diff-lines">
        {diff.header.map((h) => (
          <li key={h.field} className="diff-changed">
            <span className="diff-mark" aria-hidden="true">~</span>
            <span className="diff-what">{field(h.field)}</span>
            <span><del>{h.from ?? '–'}</del> → <ins>{h.to ?? '–'}</ins></span>
          </li>
        ))}
        {diff.removed.map((l) => (
          <li key={`r${l.line_key}`} className="diff-removed" data-testid="diff-removed">
            <span className="diff-mark" aria-hidden="true">−</span>
            <span className="diff-what"><span className="visually-hidden">{t('diff.removed')}: </span><del>{l.description}</del></span>
            <span><del><Qty value={l.quantity} /> × <Money value={l.unit_price} /></del></span>
            <span className="num"><del><Money value={l.net_amount} /></del></span>
          </li>
        ))}
        {diff.added.map((l) => (
          <li key={`a${l.line_key}`} className="diff-added" data-testid="diff-added">
            <span className="diff-mark" aria-hidden="true">+</span>
            <span className="diff-what"><span className="visually-hidden">{t('diff.added')}: </span><ins>{l.description}</ins></span>
            <span><ins><Qty value={l.quantity} /> × <Money value={l.unit_price} />{l.discount ? ` − ${l.discount}` : ''}</ins></span>
            <span className="num"><ins><Money value={l.net_amount} /></ins></span>
          </li>
        ))}
        {diff.changed.map((c) => (
          <li key={`c${c.line_key}`} className="diff-changed" data-testid="diff-changed">
            <span className="diff-mark" aria-hidden="true">~</span>
            <span className="diff-what"><span className="visually-hidden">{t('diff.changed')}: </span>{c.description}</span>
            <span className="diff-fields">
              {c.changes.map((ch) => (
                <span key={ch.field} className="diff-field">{field(ch.field)}: <del>{ch.from}</del> → <ins>{ch.to}</ins></span>
              ))}
            </span>
            <span className="num">{t('diff.netChange')} <Money value={c.net_change} /></span>
          </li>
        ))}
      </ul>
      <dl className="details diff-totals">
        <dt>{t('quote.net')}</dt>
        <dd><del><Money value={diff.totals.net_from} /></del> → <ins><Money value={diff.totals.net_to} /></ins></dd>
        <dt>{t('quotes.total')}</dt>
        <dd data-testid="diff-gross"><del><Money value={diff.totals.gross_from} /></del> → <ins><Money value={diff.totals.gross_to} /></ins></dd>
      </dl>
    </div>
  );
}
