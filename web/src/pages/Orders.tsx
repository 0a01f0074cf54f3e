/**
 * Orders: the list (sorted, searched, filtered and paged by the API: list.tsx) and an order (/orders/{id}) with each line's quantities
 * ordered, cancelled, delivered, invoiced and returned, a banner while it is on credit hold (finance
 * releases it), the actions its status allows (confirm, send the confirmation, amend quantities or
 * add lines, cancel, close), the confirmation PDF, its versions and its deliveries.
 */
import { useState, type FormEvent } from 'react';
import { api, apiUrl, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { scaledQuantity, unscaledQuantity } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link, navigate, useTitle } from '../router';
import { ListView } from '../list';
import { PortalLinkCard } from '../portal-link';
import { useSession } from '../session';
import { DateText, Empty, Loaded, Money, useLoad } from '../ui';
import { TAX_CLASSES } from './QuoteEditor';
import { ActionBar, apiDecimal, customersOf, FieldError, FormError, invalidProps, OrderStatusBadge, Qty, useAction, type Order } from './sales-shared';

type Delivery = Schemas['Delivery'];
type AmendBody = paths['/v1/orders/{id}/amend']['post']['requestBody']['content']['application/json'];
type AddLine = NonNullable<AmendBody['add']>[number];
type TaxClass = Order['lines'][number]['tax_class'];

/** What is still ordered: the quantity less what was cancelled (what an amendment sets). */
const netQuantity = (l: Order['lines'][number]) => unscaledQuantity(scaledQuantity(l.quantity) - scaledQuantity(l.quantity_cancelled));

function FlowBadge({ kind, status }: { kind: 'fulfilment' | 'invoicing'; status: string }) {
  const { t } = useI18n();
  return <span className={`badge badge-flow-${status}`}>{t(`order.${kind}.${status}` as MessageKey)}</span>;
}

const ORDER_STATUSES = ['unconfirmed', 'on_hold', 'confirmed', 'cancelled', 'closed'] as const;

export function OrderList() {
  const { t } = useI18n();
  useTitle(t('orders.title'));
  return (
    <section aria-labelledby="orders-title">
      <div className="page-head">
        <h1 id="orders-title">{t('orders.title')}</h1>
      </div>
      <ListView
        path="/v1/orders"
        caption={t('orders.title')}
        search={t('list.search')}
        filters={[{ param: 'status', label: t('list.status'), options: ORDER_STATUSES.map((s) => ({ value: s, label: t(`order.status.${s}` as MessageKey) })) }]}
        empty={t('orders.empty')}
        rowKey={(o) => o.id}
        columns={[
          { header: t('quotes.number'), sort: 'number', cell: (o) => <Link to={`/orders/${encodeURIComponent(o.id)}`}>{o.number}</Link> },
          { header: t('quotes.customer'), cell: (o) => <Link to={`/customers/${encodeURIComponent(o.customer_id)}`}>{o.customer_name ?? o.customer_id}</Link> },
          { header: t('quotes.status'), cell: (o) => <OrderStatusBadge status={o.status} /> },
          { header: t('order.fulfilment'), cell: (o) => <FlowBadge kind="fulfilment" status={o.fulfilment_status} /> },
          { header: t('order.invoicing'), cell: (o) => <FlowBadge kind="invoicing" status={o.invoicing_status} /> },
          { header: t('quotes.date'), sort: 'date', cell: (o) => <DateText value={o.order_date} /> },
          { header: t('quotes.total'), sort: 'total', numeric: true, cell: (o) => <Money value={o.payable_total} /> },
        ]}
      />
    </section>
  );
}

export function OrderDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const [data, reload] = useLoad(async (signal) => {
    const order = await api.get('/v1/orders/{id}', { path: { id }, signal });
    const [customers, deliveries, versions] = await Promise.all([
      customersOf([order.customer_id], signal),
      api.get('/v1/orders/{id}/deliveries', { path: { id }, signal }),
      api.get('/v1/orders/{id}/versions', { path: { id }, signal }),
    ]);
    return { order, customer: customers.get(order.customer_id), deliveries: deliveries.data, versions: versions.data };
  }, [id]);
  useTitle(data.state === 'ready' ? t('order.heading', { number: data.data.order.number }) : t('orders.title'));
  return (
    <section aria-labelledby="order-title" className="order-detail">
      <p><Link to="/orders">← {t('orders.back')}</Link></p>
      <Loaded value={data} retry={reload}>
        {(d) => <OrderView key={`${d.order.id}-${d.order.version}-${d.order.status}`} order={d.order} customerName={d.customer?.name ?? d.order.customer_id} deliveries={d.deliveries} versions={d.versions} reload={reload} />}
      </Loaded>
    </section>
  );
}

function OrderView({ order: o, customerName, deliveries, versions, reload }: { order: Order; customerName: string; deliveries: Delivery[]; versions: Schemas['OrderVersion'][]; reload: () => void }) {
  const { t, lang } = useI18n();
  const { may } = useSession();
  const { busy, error, run } = useAction();
  const [mode, setMode] = useState<'amend' | 'cancel' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [portalUrl, setPortalUrl] = useState<string | null>(null);
  const path = { id: o.id };
  const write = may('orders.write');
  const open = o.status !== 'cancelled' && o.status !== 'closed';
  const act = (name: string, fn: () => Promise<unknown>, done?: string) => run(name, async () => {
    await fn();
    setNotice(done ?? null);
    reload();
  });

  return (
    <>
      <div className="page-head">
        <h1 id="order-title">{t('order.heading', { number: o.number })}</h1>
        <OrderStatusBadge status={o.status} />
      </div>
      {o.status === 'on_hold' && (
        <div className="notice notice-warn" role="status" data-testid="hold-banner">
          <p><strong>{t('order.onHold')}</strong> {o.hold_reason}</p>
          {may('billing.write') && (
            <button type="button" className="button button-primary" data-write="true" disabled={busy !== null} onClick={() => void act('release', () => api.post('/v1/orders/{id}/release-hold', { path }))}>
              {t('order.releaseHold')}
            </button>
          )}
        </div>
      )}
      {notice !== null && <p className="notice" role="status">{notice}</p>}
      <FormError error={mode === null ? error : null} />
      <ActionBar label={t('quote.actions')}>
        {write && o.status === 'unconfirmed' && (
          <button type="button" className="button button-primary" data-write="true" disabled={busy !== null} onClick={() => void act('confirm', () => api.post('/v1/orders/{id}/confirm', { path }))}>{t('order.confirm')}</button>
        )}
        {write && open && (
          <button type="button" className="button" data-write="true" disabled={busy !== null} onClick={() => void act('send', () => api.post('/v1/orders/{id}/send-confirmation', { path }), t('order.confirmationSent'))}>{t('order.sendConfirmation')}</button>
        )}
        {write && open && (
          <button type="button" className="button" data-write="true" aria-expanded={mode === 'amend'} onClick={() => setMode(mode === 'amend' ? null : 'amend')}>{t('order.amend')}</button>
        )}
        {write && open && (
          <button type="button" className="button" data-write="true" aria-expanded={mode === 'cancel'} onClick={() => setMode(mode === 'cancel' ? null : 'cancel')}>{t('order.cancel')}</button>
        )}
        {write && o.status === 'confirmed' && (
          <button type="button" className="button" data-write="true" disabled={busy !== null} onClick={() => void act('close', () => api.post('/v1/orders/{id}/close', { path }))}>{t('order.close')}</button>
        )}
        {may('fulfilment.write') && o.status === 'confirmed' && o.fulfilment_status !== 'delivered' && (
          <Link className="button" data-write="true" to={`/deliveries/new?order=${encodeURIComponent(o.id)}`}>{t('order.newDelivery')}</Link>
        )}
        {may('billing.write') && (o.status === 'confirmed' || o.status === 'closed') && o.invoicing_status !== 'invoiced' && (
          <button type="button" className="button" data-write="true" disabled={busy !== null} onClick={() => void run('invoice', async () => {
            const draft = await api.post('/v1/invoices', { body: { order_id: o.id } });
            navigate(`/invoices/${encodeURIComponent(draft.id)}`);
          })}>{t('order.createInvoice')}</button>
        )}
        {write && open && (
          <button type="button" className="button" data-write="true" disabled={busy !== null} onClick={() => void run('portal', async () => {
            const link = await api.post('/v1/orders/{id}/portal-links', { path });
            setPortalUrl(link.url ?? null);
          })}>{t('quote.portalLink')}</button>
        )}
        <a className="button" href={apiUrl('/v1/orders/{id}/pdf', path, { lang })} target="_blank" rel="noopener">{t('order.pdf')}</a>
        <Link className="button" to={`/claims?order_id=${encodeURIComponent(o.id)}`}>{t('order.claims')}</Link>
      </ActionBar>
      {portalUrl !== null && <PortalLinkCard url={portalUrl} />}
      {mode === 'amend' && <AmendForm order={o} onDone={() => { setMode(null); reload(); }} onCancel={() => setMode(null)} />}
      {mode === 'cancel' && (
        <CancelForm
          busy={busy !== null}
          error={error}
          onSubmit={(reason) => void act('cancel', () => api.post('/v1/orders/{id}/cancel', { path, body: { reason: reason.trim() === '' ? null : reason } }))}
          onCancel={() => setMode(null)}
        />
      )}

      <div className="grid">
        <div className="card">
          <dl className="details">
            <dt>{t('quotes.customer')}</dt><dd><Link to={`/customers/${encodeURIComponent(o.customer_id)}`}>{customerName}</Link></dd>
            <dt>{t('quotes.date')}</dt><dd><DateText value={o.order_date} /></dd>
            <dt>{t('order.quote')}</dt><dd><Link to={`/quotes/${encodeURIComponent(o.quote_id)}`}>{t('order.quoteLink')}</Link></dd>
            <dt>{t('quotes.version')}</dt><dd>{o.version}</dd>
            <dt>{t('customers.terms')}</dt><dd>{t('customers.termsDays', { days: o.payment_terms_days })}</dd>
            <dt>{t('order.fulfilment')}</dt><dd><FlowBadge kind="fulfilment" status={o.fulfilment_status} /></dd>
            <dt>{t('order.invoicing')}</dt><dd><FlowBadge kind="invoicing" status={o.invoicing_status} /></dd>
            {o.confirmed_at && <><dt>{t('order.confirmedAt')}</dt><dd><DateText value={o.confirmed_at} /></dd></>}
            {o.customer_confirmed_at && <><dt>{t('order.customerConfirmedAt')}</dt><dd><DateText value={o.customer_confirmed_at} /></dd></>}
          </dl>
        </div>
        <div className="card">
          <h2>{t('quote.totals')}</h2>
          <dl className="details totals">
            <dt>{t('quote.net')}</dt><dd><Money value={o.net_total} /></dd>
            <dt>{t('quote.vat')}</dt><dd><Money value={o.vat_total} /></dd>
            {o.rounding.amount !== '0.00' && <><dt>{t('quote.rounding')}</dt><dd><Money value={o.rounding} /></dd></>}
            <dt>{t('quotes.total')}</dt><dd data-testid="order-total"><strong><Money value={o.payable_total} /></strong></dd>
          </dl>
        </div>
      </div>

      <h2 id="order-lines-title">{t('quoteEditor.lines')}</h2>
      <div className="table-scroll">
        <table className="table" aria-labelledby="order-lines-title" data-testid="order-lines">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('quoteEditor.description')}</th>
              <th scope="col" className="num">{t('order.ordered')}</th>
              <th scope="col" className="num">{t('order.cancelled')}</th>
              <th scope="col" className="num">{t('order.delivered')}</th>
              <th scope="col" className="num">{t('order.invoiced')}</th>
              <th scope="col" className="num">{t('order.returned')}</th>
              <th scope="col">{t('order.progress')}</th>
              <th scope="col" className="num">{t('quote.net')}</th>
            </tr>
          </thead>
          <tbody>
            {o.lines.map((l) => {
              const ordered = scaledQuantity(netQuantity(l));
              const pct = (q: string) => (ordered <= 0n ? 0 : Number((scaledQuantity(q) * 100n) / ordered));
              return (
                <tr key={l.line_no}>
                  <td>{l.line_no}</td>
                  <td>{l.description}{l.added_in_version > 1 && <> <span className="badge">{t('order.addedIn', { n: l.added_in_version })}</span></>}</td>
                  <td className="num"><Qty value={l.quantity} /> {l.unit}</td>
                  <td className="num"><Qty value={l.quantity_cancelled} /></td>
                  <td className="num"><Qty value={l.quantity_delivered} /></td>
                  <td className="num"><Qty value={l.quantity_invoiced} /></td>
                  <td className="num"><Qty value={l.quantity_returned} /></td>
                  <td>
                    {/* two bars: delivered and invoiced of what is still ordered */}
                    <span className="progress" title={t('order.delivered')}><span className="progress-bar progress-delivered" style={{ width: `${Math.min(100, pct(l.quantity_delivered))}%` }} /></span>
                    <span className="progress" title={t('order.invoiced')}><span className="progress-bar progress-invoiced" style={{ width: `${Math.min(100, pct(l.quantity_invoiced))}%` }} /></span>
                  </td>
                  <td className="num"><Money value={l.net_amount} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <h2 id="deliveries-title">{t('order.deliveries')}</h2>
      {deliveries.length === 0 ? (
        <Empty>{t('order.noDeliveries')}</Empty>
      ) : (
        <table className="table" aria-labelledby="deliveries-title">
          <thead>
            <tr>
              <th scope="col">{t('quotes.number')}</th>
              <th scope="col">{t('quotes.status')}</th>
              <th scope="col">{t('order.deliveryKind')}</th>
              <th scope="col">{t('order.shipped')}</th>
              <th scope="col">{t('order.deliveredOn')}</th>
              <th scope="col">{t('order.deliveryNote')}</th>
            </tr>
          </thead>
          <tbody>
            {deliveries.map((d) => (
              <tr key={d.id}>
                <td><Link to={`/deliveries/${encodeURIComponent(d.id)}`}>{d.number}</Link></td>
                <td><span className="badge">{t(`delivery.status.${d.status}` as MessageKey)}</span></td>
                <td>{t(`delivery.kind.${d.kind}` as MessageKey)}</td>
                <td><DateText value={d.shipped_at} /></td>
                <td><DateText value={d.delivered_on} /></td>
                <td><a href={apiUrl('/v1/deliveries/{id}/pdf', { id: d.id }, { lang })} target="_blank" rel="noopener">{t('order.pdfShort')}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {versions.length > 1 && (
        <>
          <h2>{t('order.versions')}</h2>
          <ol className="order-versions">
            {versions.slice(1).map((v) => (
              <li key={v.version}>
                <strong>{t('diff.version', { n: v.version })}</strong> · <DateText value={v.created_at} /> · {t('order.priceEffect')} <Money value={v.price_effect.gross} />
                {v.reason && <> · “{v.reason}”</>}
                <ul>
                  {v.changes.map((c, i) => (
                    <li key={i} className={`diff-${c.kind === 'added' ? 'added' : c.kind === 'removed' ? 'removed' : 'changed'}`}>
                      {t(`order.change.${c.kind}` as MessageKey, { line: c.line_no, description: c.description, from: c.quantity_before ?? '', to: c.quantity_after ?? '' })}
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}

function CancelForm({ busy, error, onSubmit, onCancel }: { busy: boolean; error: ReturnType<typeof useAction>['error']; onSubmit: (reason: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <form className="card form inline-form" onSubmit={(e) => { e.preventDefault(); onSubmit(reason); }}>
      <h2>{t('order.cancelTitle')}</h2>
      <FormError error={error} />
      <div className="field">
        <label htmlFor="cancel-reason">{t('order.cancelReason')}</label>
        <textarea id="cancel-reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="actions">
        <button type="submit" className="button button-danger" disabled={busy}>{t('order.cancelConfirm')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('order.keep')}</button>
      </div>
    </form>
  );
}

interface AddForm { uid: number; description: string; quantity: string; unitPrice: string; taxClass: TaxClass }
let addUids = 0;

/** New quantities for the lines (only changed ones are sent) and lines to add; errors beside their fields. */
function AmendForm({ order, onDone, onCancel }: { order: Order; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { busy, error, run } = useAction();
  const [quantities, setQuantities] = useState<Record<number, string>>(() => Object.fromEntries(order.lines.map((l) => [l.line_no, netQuantity(l)])));
  const [adds, setAdds] = useState<AddForm[]>([]);
  const [reason, setReason] = useState('');
  const [sent, setSent] = useState<number[]>([]);
  const changed = order.lines.filter((l) => apiDecimal(quantities[l.line_no] ?? '') !== netQuantity(l));
  // the API names `lines.{i}` by position in what was sent: map it back to the line number
  const lineError = (lineNo: number) => {
    const i = sent.indexOf(lineNo);
    return i >= 0 && error?.param === `lines.${i}.quantity` ? error : null;
  };
  const addError = (i: number, f: string) => (error?.param === `add.${i}.${f}` ? error : null);
  const placed = error?.param != null && (/^lines\.\d+\.quantity$/.test(error.param) || /^add\.\d+\./.test(error.param));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(changed.map((l) => l.line_no));
    const body: AmendBody = {
      reason: reason.trim() === '' ? null : reason,
      ...(changed.length > 0 ? { lines: changed.map((l) => ({ line_no: l.line_no, quantity: apiDecimal(quantities[l.line_no] ?? '') })) } : {}),
      ...(adds.length > 0
        ? {
            add: adds.map((a): AddLine => ({
              description: a.description,
              quantity: apiDecimal(a.quantity),
              tax_class: a.taxClass,
              ...(a.unitPrice.trim() === '' ? {} : { unit_price: apiDecimal(a.unitPrice) }),
            })),
          }
        : {}),
    };
    const done = await run('amend', () => api.post('/v1/orders/{id}/amend', { path: { id: order.id }, body }));
    if (done) onDone();
  };
  return (
    <form className="card inline-form amend-form" onSubmit={submit} noValidate>
      <h2>{t('order.amendTitle')}</h2>
      <p className="hint">{t('order.amendHint')}</p>
      {error && !placed && <FormError error={error} />}
      {error && placed && <p className="visually-hidden" role="alert">{error.message}</p>}
      <div className="amend-lines">
        {order.lines.map((l) => {
          const fid = `amend-${l.line_no}`;
          return (
            <div className="field field-inline" key={l.line_no}>
              <label htmlFor={fid}>{t('order.amendLine', { n: l.line_no, description: l.description })}</label>
              <input id={fid} inputMode="decimal" value={quantities[l.line_no] ?? ''} onChange={(e) => setQuantities((q) => ({ ...q, [l.line_no]: e.target.value }))} {...invalidProps(`${fid}-error`, lineError(l.line_no))} />
              <FieldError id={`${fid}-error`} error={lineError(l.line_no)} />
            </div>
          );
        })}
      </div>
      {adds.map((a, i) => {
        const fid = (f: string) => `add-${a.uid}-${f}`;
        const set = (patch: Partial<AddForm>) => setAdds((xs) => xs.map((x) => (x.uid === a.uid ? { ...x, ...patch } : x)));
        return (
          <fieldset key={a.uid} className="add-line">
            <legend>{t('order.newLine', { n: i + 1 })}</legend>
            <div className="field">
              <label htmlFor={fid('description')}>{t('quoteEditor.description')}</label>
              <input id={fid('description')} value={a.description} onChange={(e) => set({ description: e.target.value })} {...invalidProps(fid('description-error'), addError(i, 'description'))} />
              <FieldError id={fid('description-error')} error={addError(i, 'description')} />
            </div>
            <div className="field">
              <label htmlFor={fid('quantity')}>{t('quoteEditor.quantity')}</label>
              <input id={fid('quantity')} inputMode="decimal" value={a.quantity} onChange={(e) => set({ quantity: e.target.value })} {...invalidProps(fid('quantity-error'), addError(i, 'quantity'))} />
              <FieldError id={fid('quantity-error')} error={addError(i, 'quantity')} />
            </div>
            <div className="field">
              <label htmlFor={fid('price')}>{t('quoteEditor.unitPrice', { currency: order.currency })}</label>
              <input id={fid('price')} inputMode="decimal" value={a.unitPrice} onChange={(e) => set({ unitPrice: e.target.value })} {...invalidProps(fid('price-error'), addError(i, 'unit_price'))} />
              <FieldError id={fid('price-error')} error={addError(i, 'unit_price')} />
            </div>
            <div className="field">
              <label htmlFor={fid('tax')}>{t('quoteEditor.taxClass')}</label>
              <select id={fid('tax')} value={a.taxClass} onChange={(e) => set({ taxClass: e.target.value as TaxClass })}>
                {TAX_CLASSES.map((c) => <option key={c} value={c}>{t(`tax.${c}` as MessageKey)}</option>)}
              </select>
            </div>
            <button type="button" className="button button-small" onClick={() => setAdds((xs) => xs.filter((x) => x.uid !== a.uid))}>{t('quoteEditor.remove')}</button>
          </fieldset>
        );
      })}
      <p><button type="button" className="button" onClick={() => setAdds((xs) => [...xs, { uid: ++addUids, description: '', quantity: '1', unitPrice: '', taxClass: 'standard' }])}>{t('quoteEditor.addLine')}</button></p>
      <div className="field">
        <label htmlFor="amend-reason">{t('order.amendReason')}</label>
        <input id="amend-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy !== null}>{t('order.amendSave')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('customers.cancel')}</button>
      </div>
    </form>
  );
}
