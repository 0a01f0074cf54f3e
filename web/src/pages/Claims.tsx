/**
 * The /claims section (issue 9): the queue of claims (filtered by status and sorted by the API) with
 * each claim's customer, order and delivery, and a claim (/claims/{id}) with its order line, photos,
 * the resolutions the API has — replacement (then "Ship replacement"), return (then "Receive return"),
 * credit, price concession — or a rejection with the reason the customer sees, and the resolution
 * history with the replacement delivery, the RMA number and the credit request and its credit note.
 * Writes only for claims.write; a credit note is drafted by finance (billing.write).
 */
import { useState, type FormEvent } from 'react';
import { api, type ApiError, type Schemas } from '../api/client';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ListView } from '../list';
import { Link, matchPath, useLocation, useTitle } from '../router';
import { useSession } from '../session';
import { DateText, Empty, Loaded, Money, useLoad } from '../ui';
import { apiDecimal, customersOf, FieldError, FormError, invalidProps, Qty, useAction } from './sales-shared';
import './catalog.css';

type Claim = Schemas['Claim'];
type Resolution = Claim['resolutions'][number];
type Order = Schemas['Order'];
type Delivery = Schemas['Delivery'];

const CLAIM_STATUSES = ['open', 'resolved', 'rejected'] as const;

export function ClaimsPages({ path }: { path: string }) {
  if (path === '/claims' || path === '/claims/') return <ClaimList />;
  const claim = matchPath('/claims/:id', path);
  if (claim?.['id'] !== undefined) return <ClaimDetail key={claim['id']} id={claim['id']} />;
  return <ClaimsNotFound />;
}

function ClaimsNotFound() {
  const { t } = useI18n();
  useTitle(t('notFound.title'));
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p><Link to="/claims">{t('claims.back')}</Link></p>
    </section>
  );
}

export function ClaimStatusBadge({ status }: { status: Claim['status'] }) {
  const { t } = useI18n();
  return <span className={`badge badge-claim-${status}`}>{t(`claims.status.${status}` as MessageKey)}</span>;
}

/** Whole days since the claim was reported ("today", "1 day", "12 days"). */
function Age({ since, until }: { since: string; until: string | null }) {
  const { t } = useI18n();
  const end = until === null ? Date.now() : new Date(until).getTime();
  const days = Math.max(0, Math.floor((end - new Date(since).getTime()) / 86_400_000));
  return <span title={since}>{days === 0 ? t('claims.age.today') : t(days === 1 ? 'claims.age.day' : 'claims.age.days', { n: days })}</span>;
}

/**
 * An order with its customer's name and a delivery, each fetched once however many claims name them
 * (the claim list gives ids only; an order's number and customer never change).
 */
const orderCache = new Map<string, Promise<{ order: Order; customerName: string }>>();
const deliveryCache = new Map<string, Promise<Delivery>>();
function orderWithCustomer(id: string): Promise<{ order: Order; customerName: string }> {
  let p = orderCache.get(id);
  if (p === undefined) {
    p = (async () => {
      const order = await api.get('/v1/orders/{id}', { path: { id } });
      const customers = await customersOf([order.customer_id], new AbortController().signal);
      return { order, customerName: customers.get(order.customer_id)?.name ?? order.customer_id };
    })();
    p.catch(() => orderCache.delete(id));
    orderCache.set(id, p);
  }
  return p;
}
function deliveryOf(id: string): Promise<Delivery> {
  let p = deliveryCache.get(id);
  if (p === undefined) {
    p = api.get('/v1/deliveries/{id}', { path: { id } });
    p.catch(() => deliveryCache.delete(id));
    deliveryCache.set(id, p);
  }
  return p;
}

function OrderCell({ orderId, show }: { orderId: string; show: 'customer' | 'order' }) {
  const [o] = useLoad(() => orderWithCustomer(orderId), [orderId]);
  if (o.state !== 'ready') return <>{o.state === 'loading' ? '…' : orderId}</>;
  if (show === 'customer') return <Link to={`/customers/${encodeURIComponent(o.data.order.customer_id)}`}>{o.data.customerName}</Link>;
  return <Link to={`/orders/${encodeURIComponent(orderId)}`}>{o.data.order.number}</Link>;
}

function DeliveryCell({ deliveryId }: { deliveryId: string }) {
  const [d] = useLoad(() => deliveryOf(deliveryId), [deliveryId]);
  return <Link to={`/deliveries/${encodeURIComponent(deliveryId)}`}>{d.state === 'ready' ? d.data.number : d.state === 'loading' ? '…' : deliveryId}</Link>;
}

/** The queue; `?order_id=` narrows it to one order's claims (a link from the order page). */
export function ClaimList() {
  const { t } = useI18n();
  const { query } = useLocation();
  const orderId = query.get('order_id');
  useTitle(t('claims.title'));
  return (
    <section aria-labelledby="claims-title">
      <div className="page-head">
        <h1 id="claims-title">{t('claims.title')}</h1>
      </div>
      <p className="hint claims-intro">{t('claims.intro')}</p>
      {orderId !== null && (
        <p className="notice" data-testid="claims-order-filter">
          {t('claims.forOrder')} <OrderCell orderId={orderId} show="order" /> · <Link to="/claims">{t('claims.showAll')}</Link>
        </p>
      )}
      <ListView
        path="/v1/claims"
        {...(orderId !== null ? { fixed: { order_id: orderId } } : {})}
        caption={t('claims.title')}
        search={t('list.search')}
        filters={[{ param: 'status', label: t('list.status'), options: CLAIM_STATUSES.map((s) => ({ value: s, label: t(`claims.status.${s}` as MessageKey) })) }]}
        empty={t('claims.empty')}
        rowKey={(c) => c.id}
        testId="claim-list"
        columns={[
          { header: t('claims.number'), sort: 'number', cell: (c) => <Link to={`/claims/${encodeURIComponent(c.id)}`}>{c.number}</Link> },
          { header: t('list.status'), cell: (c) => <ClaimStatusBadge status={c.status} /> },
          // the list carries the numbers and the customer's name (no request per row)
          { header: t('claims.customer'), cell: (c) => <Link to={`/customers/${encodeURIComponent(c.customer_id ?? '')}`}>{c.customer_name ?? c.order_id}</Link> },
          { header: t('claims.order'), cell: (c) => <Link to={`/orders/${encodeURIComponent(c.order_id)}`}>{c.order_number ?? c.order_id}</Link> },
          { header: t('claims.delivery'), cell: (c) => <Link to={`/deliveries/${encodeURIComponent(c.delivery_id)}`}>{c.delivery_number ?? c.delivery_id}</Link> },
          { header: t('claims.reason'), cell: (c) => t(`claims.reason.${c.reason}` as MessageKey) },
          { header: t('claims.quantity'), numeric: true, cell: (c) => <Qty value={c.quantity} /> },
          { header: t('claims.reported'), sort: 'reported', cell: (c) => <DateText value={c.reported_at} /> },
          { header: t('claims.age'), cell: (c) => <Age since={c.reported_at} until={c.closed_at} /> },
        ]}
      />
    </section>
  );
}

// ------------------------------------------------------------------ one claim

export function ClaimDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const { may } = useSession();
  // kept here: an action reloads the claim, which renders its view afresh
  const [notice, setNotice] = useState<string | null>(null);
  const [data, reload] = useLoad(async (signal) => {
    const claim = await api.get('/v1/claims/{id}', { path: { id }, signal });
    const [order, delivery, requests] = await Promise.all([
      api.get('/v1/orders/{id}', { path: { id: claim.order_id }, signal }),
      api.get('/v1/deliveries/{id}', { path: { id: claim.delivery_id }, signal }),
      api.get('/v1/credit-requests', { query: { order_id: claim.order_id }, signal }).then((r) => r.data.filter((x) => x.claim_id === claim.id)),
    ]);
    const [customers, notes] = await Promise.all([
      customersOf([order.customer_id], signal),
      requests.length === 0 ? Promise.resolve([]) : api.get('/v1/credit-notes', { query: { customer_id: order.customer_id, limit: 100 }, signal }).then((r) => r.data),
    ]);
    return { claim, order, delivery, requests, notes, customerName: customers.get(order.customer_id)?.name ?? order.customer_id };
  }, [id]);
  useTitle(data.state === 'ready' ? t('claims.heading', { number: data.data.claim.number }) : t('claims.title'));
  return (
    <section aria-labelledby="claim-title" className="claim-detail">
      <p><Link to="/claims">← {t('claims.back')}</Link></p>
      <Loaded value={data} retry={reload}>
        {(d) => <ClaimView key={JSON.stringify(d.claim)} {...d} notice={notice} setNotice={setNotice} write={may('claims.write')} billing={may('billing.write')} reload={reload} />}
      </Loaded>
    </section>
  );
}

type CreditRequest = Awaited<ReturnType<typeof api.get<'/v1/credit-requests'>>>['data'][number];
type CreditNote = Schemas['CreditNote'];

/** "2.0000" less the quantities of the resolutions so far (scaled integers, never floats). */
function openQuantity(claim: Claim): string {
  const scale = (q: string) => {
    const [w = '0', f = ''] = q.split('.');
    return BigInt(w + f.padEnd(4, '0').slice(0, 4));
  };
  const used = claim.resolutions.reduce((a, r) => a + (r.quantity === null ? 0n : scale(r.quantity)), 0n);
  const left = scale(claim.quantity) - used;
  if (left <= 0n) return '0';
  const s = left.toString().padStart(5, '0');
  return `${s.slice(0, -4)}.${s.slice(-4)}`.replace(/0+$/, '').replace(/\.$/, '');
}

function ClaimView({ claim: c, order, delivery, requests, notes, customerName, notice, setNotice, write, billing, reload }: {
  claim: Claim; order: Order; delivery: Delivery; requests: CreditRequest[]; notes: CreditNote[]; customerName: string;
  notice: string | null; setNotice: (notice: string | null) => void; write: boolean; billing: boolean; reload: () => void;
}) {
  const { t, lang } = useI18n();
  const { busy, error, run } = useAction();
  const [quantity, setQuantity] = useState(() => { const q = openQuantity(c); return lang === 'sv' ? q.replace('.', ',') : q; });
  const [amount, setAmount] = useState('');
  const [mode, setMode] = useState<'reject' | 'concession' | null>(null);
  const [reason, setReason] = useState('');
  const [receiving, setReceiving] = useState<number | null>(null);
  const line = order.lines.find((l) => l.line_no === c.order_line_no);
  const open = c.status === 'open';
  const path = { id: c.id };
  const act = async (name: string, fn: () => Promise<unknown>, done: string) => {
    setNotice(null);
    const r = await run(name, fn);
    if (r === undefined) return false;
    setNotice(done);
    reload();
    return true;
  };
  const resolve = (kind: 'replacement' | 'return' | 'credit') =>
    void act(kind, () => api.post('/v1/claims/{id}/resolutions', { path, body: { kind, quantity: apiDecimal(quantity) } }), t(`claims.added.${kind}` as MessageKey));
  const quantityError = error?.param === 'quantity' && receiving === null ? error : null;
  const amountError = error?.param === 'amount' || error?.param === 'amount.amount' ? error : null;
  const reasonError = error?.param === 'reason' ? error : null;
  const placed = quantityError !== null || amountError !== null || reasonError !== null || (receiving !== null && error?.param != null);

  return (
    <>
      <div className="page-head">
        <h1 id="claim-title">{t('claims.heading', { number: c.number })}</h1>
        <ClaimStatusBadge status={c.status} />
      </div>
      {notice !== null && <p className="notice" role="status">{notice}</p>}
      {error && !placed && <FormError error={error} />}

      <div className="grid">
        <div className="card">
          <h2>{t('claims.problem')}</h2>
          <dl className="details" data-testid="claim-details">
            <dt>{t('claims.customer')}</dt><dd><Link to={`/customers/${encodeURIComponent(order.customer_id)}`}>{customerName}</Link></dd>
            <dt>{t('claims.order')}</dt><dd><Link to={`/orders/${encodeURIComponent(order.id)}`}>{order.number}</Link></dd>
            <dt>{t('claims.orderLine')}</dt><dd>{t('claims.lineOf', { n: c.order_line_no, description: line?.description ?? '' })}</dd>
            <dt>{t('claims.delivery')}</dt><dd><Link to={`/deliveries/${encodeURIComponent(delivery.id)}`}>{delivery.number}</Link> · {t('claims.deliveryLine', { n: c.delivery_line_no })}{delivery.delivered_on && <> · <DateText value={delivery.delivered_on} /></>}</dd>
            <dt>{t('claims.reason')}</dt><dd>{t(`claims.reason.${c.reason}` as MessageKey)}</dd>
            <dt>{t('claims.quantity')}</dt><dd><Qty value={c.quantity} /></dd>
            <dt>{t('claims.description')}</dt><dd className="claim-description">{c.description}</dd>
            <dt>{t('claims.reported')}</dt><dd><DateText value={c.reported_at} /> · {t(`claims.reportedBy.${c.reported_by}` as MessageKey)} · <Age since={c.reported_at} until={c.closed_at} /></dd>
            {c.closed_at !== null && <><dt>{t('claims.closed')}</dt><dd><DateText value={c.closed_at} /></dd></>}
            {c.rejection_reason !== null && <><dt>{t('claims.rejectionReason')}</dt><dd data-testid="rejection-reason">{c.rejection_reason}</dd></>}
          </dl>
        </div>
        <div className="card">
          <h2>{t('claims.photos')}</h2>
          {(c.photos ?? []).length === 0 ? (
            <Empty>{t('claims.photosNone')}</Empty>
          ) : (
            <ul className="photos">
              {(c.photos ?? []).map((p) => <li key={p.id}>{t('claims.photo', { type: p.content_type })} · <DateText value={p.created_at} /></li>)}
            </ul>
          )}
        </div>
      </div>

      {write && open && (
        <section className="card resolve" aria-labelledby="resolve-title">
          <h2 id="resolve-title">{t('claims.resolve')}</h2>
          <p className="hint">{t('claims.resolveHint')}</p>
          <div className="field field-inline">
            <label htmlFor="resolve-quantity">{t('claims.resolveQuantity')}</label>
            <input id="resolve-quantity" className="num-input" inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} {...invalidProps('resolve-quantity-error', quantityError)} />
            <FieldError id="resolve-quantity-error" error={quantityError} />
          </div>
          <div className="action-bar" role="group" aria-label={t('claims.resolutionActions')}>
            <button type="button" className="button button-primary" disabled={busy !== null} onClick={() => resolve('replacement')}>{t('claims.resolveReplacement')}</button>
            <button type="button" className="button" disabled={busy !== null} onClick={() => resolve('return')}>{t('claims.resolveReturn')}</button>
            <button type="button" className="button" disabled={busy !== null} onClick={() => resolve('credit')}>{t('claims.resolveCredit')}</button>
            <button type="button" className="button" aria-expanded={mode === 'concession'} onClick={() => setMode(mode === 'concession' ? null : 'concession')}>{t('claims.priceConcession')}</button>
            {c.resolutions.length === 0 && (
              <button type="button" className="button button-danger" aria-expanded={mode === 'reject'} onClick={() => setMode(mode === 'reject' ? null : 'reject')}>{t('claims.reject')}</button>
            )}
          </div>
          {mode === 'concession' && (
            <form className="inline-form" onSubmit={(e: FormEvent) => { e.preventDefault(); void act('concession', () => api.post('/v1/claims/{id}/resolutions', { path, body: { kind: 'price_concession', amount: apiDecimal(amount) } }), t('claims.added.price_concession')).then((ok) => ok && setMode(null)); }}>
              <div className="field field-inline">
                <label htmlFor="concession-amount">{t('claims.concessionAmount', { currency: order.currency })}</label>
                <input id="concession-amount" className="num-input" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} {...invalidProps('concession-amount-error', amountError)} />
                <button type="submit" className="button button-primary" disabled={busy !== null}>{t('claims.giveConcession')}</button>
                <FieldError id="concession-amount-error" error={amountError} />
              </div>
            </form>
          )}
          {mode === 'reject' && (
            <form className="inline-form" onSubmit={(e: FormEvent) => { e.preventDefault(); void act('reject', () => api.post('/v1/claims/{id}/reject', { path, body: { reason } }), t('claims.rejected')).then((ok) => ok && setMode(null)); }}>
              <div className="field">
                <label htmlFor="reject-reason">{t('claims.rejectReason')}</label>
                <textarea id="reject-reason" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={reasonError ? 'reject-reason-error' : 'reject-reason-hint'} aria-invalid={reasonError ? true : undefined} />
                <p className="hint" id="reject-reason-hint">{t('claims.rejectHint')}</p>
                <FieldError id="reject-reason-error" error={reasonError} />
              </div>
              <div className="actions">
                <button type="submit" className="button button-danger" disabled={busy !== null}>{t('claims.rejectConfirm')}</button>
                <button type="button" className="button" onClick={() => setMode(null)}>{t('customers.cancel')}</button>
              </div>
            </form>
          )}
        </section>
      )}

      <h2 id="resolutions-title">{t('claims.history')}</h2>
      {c.resolutions.length === 0 ? (
        <Empty>{c.status === 'rejected' ? t('claims.historyRejected') : t('claims.historyNone')}</Empty>
      ) : (
        <table className="table" aria-labelledby="resolutions-title" data-testid="resolutions">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('claims.resolutionKind')}</th>
              <th scope="col" className="num">{t('claims.quantityOrAmount')}</th>
              <th scope="col">{t('list.status')}</th>
              <th scope="col">{t('claims.followUp')}</th>
              <th scope="col"><span className="visually-hidden">{t('claims.resolutionActions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {c.resolutions.map((r) => (
              <ResolutionRow
                key={r.index}
                resolution={r}
                request={requests.find((x) => x.id === r.credit_request_id) ?? null}
                note={notes.find((n) => r.credit_request_id !== null && n.credit_request_id === r.credit_request_id) ?? null}
                write={write}
                billing={billing}
                busy={busy !== null}
                onShip={() => void act('ship', () => api.post('/v1/claims/{id}/resolutions/{n}/ship-replacement', { path: { id: c.id, n: r.index } }), t('claims.shipped'))}
                onReceive={() => setReceiving(receiving === r.index ? null : r.index)}
                receiving={receiving === r.index}
                onDraftCredit={(requestId) => void act('credit-note', () => api.post('/v1/credit-requests/{id}/credit-note', { path: { id: requestId } }), t('claims.creditNoteDrafted'))}
              />
            ))}
          </tbody>
        </table>
      )}
      {receiving !== null && (
        <ReceiveReturnForm
          claim={c}
          index={receiving}
          busy={busy !== null}
          error={error}
          onSubmit={(body) => void act('receive', () => api.post('/v1/claims/{id}/resolutions/{n}/receive-return', { path: { id: c.id, n: receiving }, body }), t('claims.received')).then((ok) => ok && setReceiving(null))}
          onCancel={() => setReceiving(null)}
        />
      )}
    </>
  );
}

function ResolutionRow({ resolution: r, request, note, write, billing, busy, receiving, onShip, onReceive, onDraftCredit }: {
  resolution: Resolution; request: CreditRequest | null; note: CreditNote | null; write: boolean; billing: boolean; busy: boolean; receiving: boolean;
  onShip: () => void; onReceive: () => void; onDraftCredit: (requestId: string) => void;
}) {
  const { t } = useI18n();
  return (
    <tr>
      <td>{r.index + 1}</td>
      <td>{t(`claims.kind.${r.kind}` as MessageKey)}</td>
      <td className="num">{r.amount !== null ? <Money value={r.amount} /> : <Qty value={r.quantity} />}</td>
      <td><span className={`badge ${r.complete ? 'badge-done' : 'badge-pending'}`}>{t(`claims.resolution.${r.status}` as MessageKey)}</span></td>
      <td>
        <ul className="follow-up">
          {r.delivery_id !== null && <li>{t('claims.replacementDelivery')} <DeliveryCell deliveryId={r.delivery_id} /></li>}
          {r.rma_number !== null && <li>{t('claims.rma')} <strong>{r.rma_number}</strong></li>}
          {r.received !== null && <li>{t('claims.receivedAs', { disposition: t(`claims.disposition.${r.received.disposition}` as MessageKey) })} <Qty value={r.received.quantity} /></li>}
          {request !== null && (
            <li>
              {t('claims.creditRequest')} <Money value={request.net_amount} /> · {t(`claims.request.${request.status}` as MessageKey)}
              {note !== null && <> · <Link to={`/invoices/${encodeURIComponent(note.invoice_id)}`}>{note.number === null ? t('claims.creditNoteDraft') : t('claims.creditNote', { number: note.number })}</Link></>}
            </li>
          )}
          {r.delivery_id === null && r.rma_number === null && request === null && <li>–</li>}
        </ul>
      </td>
      <td>
        {write && r.kind === 'replacement' && r.status === 'pending' && (
          <button type="button" className="button button-primary" disabled={busy} onClick={onShip}>{t('claims.shipReplacement')}</button>
        )}
        {write && r.kind === 'return' && r.status === 'expected' && (
          <button type="button" className="button" aria-expanded={receiving} onClick={onReceive}>{t('claims.receiveReturn')}</button>
        )}
        {billing && request !== null && request.status === 'open' && note === null && (
          <button type="button" className="button" disabled={busy} onClick={() => onDraftCredit(request.id)}>{t('claims.draftCreditNote')}</button>
        )}
      </td>
    </tr>
  );
}

function ReceiveReturnForm({ claim, index, busy, error, onSubmit, onCancel }: {
  claim: Claim; index: number; busy: boolean; error: ApiError | null;
  onSubmit: (body: { quantity: string; disposition: 'restock' | 'scrap' }) => void; onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const r = claim.resolutions[index];
  const [quantity, setQuantity] = useState(() => { const q = (r?.quantity ?? '').replace(/\.?0+$/, ''); return lang === 'sv' ? q.replace('.', ',') : q; });
  const [disposition, setDisposition] = useState<'restock' | 'scrap'>('restock');
  const qError = error?.param === 'quantity' ? error : null;
  const dError = error?.param === 'disposition' || error?.param === 'warehouse_id' ? error : null;
  return (
    <form className="card inline-form" onSubmit={(e) => { e.preventDefault(); onSubmit({ quantity: apiDecimal(quantity), disposition }); }} aria-labelledby="receive-title">
      <h2 id="receive-title">{t('claims.receiveTitle', { n: index + 1, rma: r?.rma_number ?? '' })}</h2>
      {error && qError === null && dError === null && <FormError error={error} />}
      <div className="form-grid">
        <div className="field">
          <label htmlFor="receive-quantity">{t('claims.receivedQuantity')}</label>
          <input id="receive-quantity" className="num-input" inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} {...invalidProps('receive-quantity-error', qError)} />
          <FieldError id="receive-quantity-error" error={qError} />
        </div>
        <div className="field">
          <label htmlFor="receive-disposition">{t('claims.disposition')}</label>
          <select id="receive-disposition" value={disposition} onChange={(e) => setDisposition(e.target.value as 'restock' | 'scrap')} {...invalidProps('receive-disposition-error', dError)}>
            <option value="restock">{t('claims.disposition.restock')}</option>
            <option value="scrap">{t('claims.disposition.scrap')}</option>
          </select>
          <FieldError id="receive-disposition-error" error={dError} />
        </div>
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{t('claims.receiveConfirm')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('customers.cancel')}</button>
      </div>
    </form>
  );
}
