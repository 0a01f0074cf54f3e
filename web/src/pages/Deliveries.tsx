/**
 * The /deliveries section (issue 9): every delivery (GET /v1/deliveries, newest first, sorted,
 * filtered, searched and paged by the API: list.tsx); a delivery (/deliveries/{id}) with its lines,
 * its steps as a progress track (planned → picked → packed → shipped → delivered → receipt
 * confirmed), the actions its status allows (pick, pack, ship with carrier and tracking number,
 * deliver, cancel; then a portal link for the customer and confirming receipt on their behalf), the
 * delivery note PDF and the claims reported on it; and a new (partial) delivery of a confirmed
 * order (/deliveries/new?order={id}): each line's open quantity, the quantities to deliver chosen.
 */
import { useState, type FormEvent } from 'react';
import { api, apiUrl, type Schemas } from '../api/client';
import { PortalLinkCard } from '../portal-link';
import { scaledQuantity, unscaledQuantity } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ListView } from '../list';
import { Link, matchPath, navigate, useLocation, useTitle } from '../router';
import { useSession } from '../session';
import { DateText, Empty, Loaded, useLoad } from '../ui';
import { today, unitLabel } from './Invoices';
import { ActionBar, apiDecimal, customersOf, FieldError, FormError, invalidProps, Qty, useAction, type Order } from './sales-shared';
import './ops.css';

type Delivery = Schemas['Delivery'];
type Claim = Schemas['Claim'];

export const DELIVERY_STATUSES = ['created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;

export function DeliveriesPages({ path }: { path: string }) {
  if (path === '/deliveries') return <DeliveryList />;
  if (path === '/deliveries/new') return <NewDelivery />;
  const one = matchPath('/deliveries/:id', path);
  if (one?.['id'] !== undefined) return <DeliveryDetail id={one['id']} />;
  return <DeliveryList />;
}

function DeliveryStatusBadge({ status }: { status: Delivery['status'] }) {
  const { t } = useI18n();
  return <span className={`badge badge-delivery-${status}`}>{t(`delivery.status.${status}`)}</span>;
}

// ------------------------------------------------------------------ the list

function DeliveryList() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('deliveries.title'));
  return (
    <section aria-labelledby="deliveries-title">
      <div className="page-head">
        <h1 id="deliveries-title">{t('deliveries.title')}</h1>
        {may('fulfilment.write') && <Link to="/deliveries/new" className="button button-primary" data-write="true">{t('deliveries.new')}</Link>}
      </div>
      <ListView
        path="/v1/deliveries"
        caption={t('deliveries.title')}
        testId="delivery-list"
        search={t('list.search')}
        // newest first unless the reader sorts otherwise
        defaultSort="-created"
        filters={[{ param: 'status', label: t('list.status'), options: DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`delivery.status.${s}`) })) }]}
        empty={t('deliveries.empty')}
        rowKey={(d) => d.id}
        columns={[
          { header: t('deliveries.number'), sort: 'number', cell: (d) => <Link to={`/deliveries/${encodeURIComponent(d.id)}`}>{d.number}</Link> },
          { header: t('deliveries.order'), cell: (d) => <Link to={`/orders/${encodeURIComponent(d.order_id)}`}>{d.order_number}</Link> },
          { header: t('deliveries.customer'), cell: (d) => <Link to={`/customers/${encodeURIComponent(d.customer_id)}`}>{d.customer_name ?? d.customer_id}</Link> },
          { header: t('deliveries.status'), sort: 'status', cell: (d) => <DeliveryStatusBadge status={d.status} /> },
          { header: t('deliveries.created'), sort: 'created', cell: (d) => <DateText value={d.created_at} /> },
          { header: t('deliveries.shipped'), sort: 'shipped', cell: (d) => <DateText value={d.shipped_at} /> },
          { header: t('deliveries.deliveredOn'), sort: 'delivered', cell: (d) => <DateText value={d.delivered_on} /> },
        ]}
      />
    </section>
  );
}

// ------------------------------------------------------------------ one delivery

/** The steps of the track and when each was reached; receipt is the customer's (or deemed after the review window). */
const STEPS = ['created', 'picked', 'packed', 'shipped', 'delivered', 'received'] as const;
type Step = (typeof STEPS)[number];

function stepsOf(d: Delivery): { step: Step; at: string | null; done: boolean }[] {
  const received = d.review_status === 'accepted' || d.review_status === 'deemed_accepted';
  const reached: Record<Step, boolean> = {
    created: true,
    picked: d.picked_at !== null,
    packed: d.packed_at !== null,
    shipped: d.status === 'shipped' || d.status === 'delivered',
    delivered: d.status === 'delivered',
    received,
  };
  const at: Record<Step, string | null> = {
    created: d.created_at, picked: d.picked_at, packed: d.packed_at, shipped: d.shipped_at, delivered: d.delivered_on, received: received ? d.reviewed_at : null,
  };
  return STEPS.map((step) => ({ step, at: at[step], done: reached[step] }));
}

function ProgressTrack({ delivery }: { delivery: Delivery }) {
  const { t } = useI18n();
  const steps = stepsOf(delivery);
  // the current step: the last one reached
  let current = 0;
  steps.forEach((s, i) => { if (s.done) current = i; });
  return (
    <ol className="track" aria-label={t('deliveries.progress')} data-testid="delivery-track">
      {steps.map((s, i) => (
        <li key={s.step} className={s.done ? 'track-done' : 'track-todo'} aria-current={i === current ? 'step' : undefined}>
          <span className="track-dot" aria-hidden="true">{s.done ? '✓' : i + 1}</span>
          <span className="track-label">{t(`deliveries.step.${s.step}` as MessageKey)}</span>
          <span className="track-when">
            {s.done && s.at !== null ? <DateText value={s.at} /> : s.done ? '' : <span className="visually-hidden">{t('deliveries.stepTodo')}</span>}
          </span>
        </li>
      ))}
    </ol>
  );
}

function DeliveryDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const [data, reload] = useLoad(async (signal) => {
    const delivery = await api.get('/v1/deliveries/{id}', { path: { id }, signal });
    const [order, claims] = await Promise.all([
      api.get('/v1/orders/{id}', { path: { id: delivery.order_id }, signal }),
      api.get('/v1/claims', { query: { delivery_id: delivery.id, limit: 100 }, signal }),
    ]);
    const customers = await customersOf([order.customer_id], signal);
    return { delivery, order, customerName: customers.get(order.customer_id)?.name ?? order.customer_id, claims: claims.data };
  }, [id]);
  useTitle(data.state === 'ready' ? t('deliveries.heading', { number: data.data.delivery.number }) : t('deliveries.title'));
  return (
    <section aria-labelledby="delivery-title" className="delivery-detail">
      <p><Link to="/deliveries">← {t('deliveries.back')}</Link></p>
      <Loaded value={data} retry={reload}>
        {(d) => <DeliveryView key={`${d.delivery.id}-${d.delivery.status}-${d.delivery.review_status ?? ''}`} delivery={d.delivery} order={d.order} customerName={d.customerName} claims={d.claims} reload={reload} />}
      </Loaded>
    </section>
  );
}

function DeliveryView({ delivery: d, order, customerName, claims, reload }: { delivery: Delivery; order: Order; customerName: string; claims: Claim[]; reload: () => void }) {
  const { t, lang } = useI18n();
  const { may } = useSession();
  const { busy, error, run } = useAction();
  const [mode, setMode] = useState<'ship' | 'deliver' | 'cancel' | null>(null);
  const [portalUrl, setPortalUrl] = useState<string | null>(null);
  const path = { id: d.id };
  const write = may('fulfilment.write');
  const shippable = d.status === 'created' || d.status === 'picked' || d.status === 'packed';
  const act = (name: string, fn: () => Promise<unknown>) => run(name, async () => {
    await fn();
    setMode(null);
    reload();
  });
  const lineOf = new Map(order.lines.map((l) => [l.line_no, l]));

  return (
    <>
      <div className="page-head">
        <h1 id="delivery-title">{t('deliveries.heading', { number: d.number })}</h1>
        <DeliveryStatusBadge status={d.status} />
      </div>
      {d.status === 'cancelled' ? (
        <p className="notice notice-warn" role="status">{t('deliveries.cancelledNotice')}</p>
      ) : (
        <ProgressTrack delivery={d} />
      )}
      <FormError error={mode === null ? error : null} />
      <ActionBar label={t('deliveries.actions')}>
        {write && d.status === 'created' && (
          <button type="button" className="button button-primary" data-write="true" disabled={busy !== null} onClick={() => void act('pick', () => api.post('/v1/deliveries/{id}/pick', { path, body: {} }))}>{t('deliveries.pick')}</button>
        )}
        {write && (d.status === 'created' || d.status === 'picked') && (
          <button type="button" className={`button${d.status === 'picked' ? ' button-primary' : ''}`} data-write="true" disabled={busy !== null} onClick={() => void act('pack', () => api.post('/v1/deliveries/{id}/pack', { path, body: {} }))}>{t('deliveries.pack')}</button>
        )}
        {write && shippable && (
          <button type="button" className={`button${d.status === 'packed' ? ' button-primary' : ''}`} data-write="true" aria-expanded={mode === 'ship'} onClick={() => setMode(mode === 'ship' ? null : 'ship')}>{t('deliveries.ship')}</button>
        )}
        {write && d.status === 'shipped' && (
          <button type="button" className="button button-primary" data-write="true" aria-expanded={mode === 'deliver'} onClick={() => setMode(mode === 'deliver' ? null : 'deliver')}>{t('deliveries.deliver')}</button>
        )}
        {write && d.status === 'delivered' && d.review_status === 'awaiting_review' && (
          <button type="button" className="button" data-write="true" disabled={busy !== null} onClick={() => void act('confirm', () => api.post('/v1/deliveries/{id}/confirm-receipt', { path }))}>{t('deliveries.confirmReceipt')}</button>
        )}
        {write && d.status === 'delivered' && (
          <button
            type="button"
            className="button"
            data-write="true"
            disabled={busy !== null}
            onClick={() => void run('portal', async () => {
              const link = await api.post('/v1/deliveries/{id}/portal-links', { path, body: {} });
              setPortalUrl(link.url);
            })}
          >
            {t('deliveries.portalLink')}
          </button>
        )}
        {write && shippable && (
          <button type="button" className="button" data-write="true" aria-expanded={mode === 'cancel'} onClick={() => setMode(mode === 'cancel' ? null : 'cancel')}>{t('deliveries.cancel')}</button>
        )}
        {d.status !== 'cancelled' && (
          <a className="button" href={apiUrl('/v1/deliveries/{id}/pdf', path, { lang })} target="_blank" rel="noopener">{t('deliveries.note')}</a>
        )}
      </ActionBar>
      {portalUrl !== null && <PortalLinkCard url={portalUrl} hint={t('deliveries.portalMade')} />}
      {mode === 'ship' && <ShipForm busy={busy !== null} error={error} onCancel={() => setMode(null)} onSubmit={(body) => void act('ship', () => api.post('/v1/deliveries/{id}/ship', { path, body }))} />}
      {mode === 'deliver' && <DeliverForm busy={busy !== null} error={error} onCancel={() => setMode(null)} onSubmit={(body) => void act('deliver', () => api.post('/v1/deliveries/{id}/deliver', { path, body }))} />}
      {mode === 'cancel' && (
        <div className="card inline-form" role="group" aria-labelledby="cancel-title">
          <h2 id="cancel-title">{t('deliveries.cancelTitle')}</h2>
          <p>{t('deliveries.cancelText')}</p>
          <FormError error={error} />
          <div className="actions">
            <button type="button" className="button button-danger" disabled={busy !== null} onClick={() => void act('cancel', () => api.post('/v1/deliveries/{id}/cancel', { path, body: {} }))}>{t('deliveries.cancelConfirm')}</button>
            <button type="button" className="button" onClick={() => setMode(null)}>{t('deliveries.keep')}</button>
          </div>
        </div>
      )}

      <div className="grid">
        <div className="card">
          <dl className="details">
            <dt>{t('deliveries.order')}</dt><dd><Link to={`/orders/${encodeURIComponent(order.id)}`}>{order.number}</Link></dd>
            <dt>{t('deliveries.customer')}</dt><dd><Link to={`/customers/${encodeURIComponent(order.customer_id)}`}>{customerName}</Link></dd>
            <dt>{t('deliveries.kind')}</dt><dd>{t(`delivery.kind.${d.kind}`)}</dd>
            <dt>{t('deliveries.created')}</dt><dd><DateText value={d.created_at} /></dd>
            {d.warehouse_id !== null && <><dt>{t('deliveries.warehouse')}</dt><dd>{d.warehouse_id}</dd></>}
            {d.claim_id !== null && <><dt>{t('deliveries.forClaim')}</dt><dd><Link to={`/claims/${encodeURIComponent(d.claim_id)}`}>{d.claim_id}</Link></dd></>}
          </dl>
        </div>
        <div className="card">
          <dl className="details">
            <dt>{t('deliveries.carrier')}</dt><dd data-testid="delivery-carrier">{d.carrier ?? '–'}</dd>
            <dt>{t('deliveries.tracking')}</dt><dd data-testid="delivery-tracking">{d.tracking_number ?? '–'}</dd>
            <dt>{t('deliveries.shipped')}</dt><dd><DateText value={d.shipped_at} /></dd>
            <dt>{t('deliveries.deliveredOn')}</dt><dd><DateText value={d.delivered_on} /></dd>
            {d.proof !== null && <><dt>{t('deliveries.proof')}</dt><dd>{d.proof}</dd></>}
            {d.review_status !== null && <><dt>{t('deliveries.review')}</dt><dd data-testid="delivery-review">{t(`deliveries.review.${d.review_status}` as MessageKey)}</dd></>}
          </dl>
        </div>
      </div>

      <h2 id="delivery-lines-title">{t('deliveries.lines')}</h2>
      <table className="table" aria-labelledby="delivery-lines-title" data-testid="delivery-lines">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('deliveries.product')}</th>
            <th scope="col" className="num">{t('deliveries.quantity')}</th>
            {d.lines.some((l) => l.hours !== null) && <th scope="col" className="num">{t('deliveries.hours')}</th>}
          </tr>
        </thead>
        <tbody>
          {d.lines.map((l) => {
            const ol = lineOf.get(l.order_line_no);
            return (
              <tr key={l.line_no}>
                <td>{l.line_no}</td>
                <td>{ol?.description ?? t('deliveries.orderLine', { n: l.order_line_no })}</td>
                <td className="num"><Qty value={l.quantity} /> {ol === undefined ? '' : unitLabel(ol.unit, lang)}</td>
                {d.lines.some((x) => x.hours !== null) && <td className="num"><Qty value={l.hours} /></td>}
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2 id="delivery-claims-title">{t('deliveries.claims')}</h2>
      {claims.length === 0 ? (
        <Empty>{t('deliveries.noClaims')}</Empty>
      ) : (
        <table className="table" aria-labelledby="delivery-claims-title" data-testid="delivery-claims">
          <thead>
            <tr>
              <th scope="col">{t('deliveries.claim')}</th>
              <th scope="col">{t('deliveries.product')}</th>
              <th scope="col">{t('deliveries.reason')}</th>
              <th scope="col" className="num">{t('deliveries.quantity')}</th>
              <th scope="col">{t('deliveries.status')}</th>
              <th scope="col">{t('deliveries.reported')}</th>
            </tr>
          </thead>
          <tbody>
            {claims.map((c) => (
              <tr key={c.id}>
                <td><Link to={`/claims/${encodeURIComponent(c.id)}`}>{c.number}</Link></td>
                <td>{lineOf.get(c.order_line_no)?.description ?? c.order_line_no}</td>
                <td>{t(`deliveries.reason.${c.reason}` as MessageKey)}</td>
                <td className="num"><Qty value={c.quantity} /></td>
                <td><span className={`badge badge-claim-${c.status}`}>{t(`deliveries.claimStatus.${c.status}` as MessageKey)}</span></td>
                <td><DateText value={c.reported_at} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type ApiErr = ReturnType<typeof useAction>['error'];

function ShipForm({ busy, error, onSubmit, onCancel }: { busy: boolean; error: ApiErr; onSubmit: (body: { carrier: string | null; tracking_number: string | null }) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [carrier, setCarrier] = useState('');
  const [tracking, setTracking] = useState('');
  const fieldErr = (p: string) => (error?.param === p ? error : null);
  const placed = error?.param === 'carrier' || error?.param === 'tracking_number';
  return (
    <form className="card form inline-form" aria-labelledby="ship-title" noValidate onSubmit={(e) => { e.preventDefault(); onSubmit({ carrier: carrier.trim() === '' ? null : carrier.trim(), tracking_number: tracking.trim() === '' ? null : tracking.trim() }); }}>
      <h2 id="ship-title">{t('deliveries.shipTitle')}</h2>
      {!placed && <FormError error={error} />}
      <div className="field">
        <label htmlFor="ship-carrier">{t('deliveries.carrier')}</label>
        <input id="ship-carrier" value={carrier} onChange={(e) => setCarrier(e.target.value)} autoComplete="off" {...invalidProps('ship-carrier-error', fieldErr('carrier'))} />
        <FieldError id="ship-carrier-error" error={fieldErr('carrier')} />
      </div>
      <div className="field">
        <label htmlFor="ship-tracking">{t('deliveries.tracking')}</label>
        <input id="ship-tracking" value={tracking} onChange={(e) => setTracking(e.target.value)} autoComplete="off" {...invalidProps('ship-tracking-error', fieldErr('tracking_number'))} />
        <FieldError id="ship-tracking-error" error={fieldErr('tracking_number')} />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{t('deliveries.shipConfirm')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('deliveries.back2')}</button>
      </div>
    </form>
  );
}

function DeliverForm({ busy, error, onSubmit, onCancel }: { busy: boolean; error: ApiErr; onSubmit: (body: { delivered_on: string; proof: string | null }) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [on, setOn] = useState(today());
  const [proof, setProof] = useState('');
  const fieldErr = (p: string) => (error?.param === p ? error : null);
  const placed = error?.param === 'delivered_on' || error?.param === 'proof';
  return (
    <form className="card form inline-form" aria-labelledby="deliver-title" noValidate onSubmit={(e) => { e.preventDefault(); onSubmit({ delivered_on: on, proof: proof.trim() === '' ? null : proof.trim() }); }}>
      <h2 id="deliver-title">{t('deliveries.deliverTitle')}</h2>
      {!placed && <FormError error={error} />}
      <div className="field">
        <label htmlFor="deliver-on">{t('deliveries.deliveredOn')}</label>
        <input id="deliver-on" type="date" value={on} onChange={(e) => setOn(e.target.value)} {...invalidProps('deliver-on-error', fieldErr('delivered_on'))} />
        <FieldError id="deliver-on-error" error={fieldErr('delivered_on')} />
      </div>
      <div className="field">
        <label htmlFor="deliver-proof">{t('deliveries.proof')}</label>
        <textarea id="deliver-proof" rows={2} value={proof} onChange={(e) => setProof(e.target.value)} {...invalidProps('deliver-proof-error', fieldErr('proof'))} />
        <FieldError id="deliver-proof-error" error={fieldErr('proof')} />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{t('deliveries.deliverConfirm')}</button>
        <button type="button" className="button" onClick={onCancel}>{t('deliveries.back2')}</button>
      </div>
    </form>
  );
}

// ------------------------------------------------------------------ a new delivery of an order


/**
 * What is still open for a delivery on each order line, as the server counts it: the quantity less
 * what was cancelled and less what is in the order's deliveries that are not cancelled (replacements
 * apart: they answer claims, not the order).
 */
export function openQuantities(order: Order, deliveries: Delivery[]): Map<number, string> {
  const inDeliveries = new Map<number, bigint>();
  for (const d of deliveries) {
    if (d.status === 'cancelled' || d.kind === 'replacement') continue;
    for (const l of d.lines) inDeliveries.set(l.order_line_no, (inDeliveries.get(l.order_line_no) ?? 0n) + scaledQuantity(l.quantity));
  }
  return new Map(order.lines.map((l) => {
    const open = scaledQuantity(l.quantity) - scaledQuantity(l.quantity_cancelled) - (inDeliveries.get(l.line_no) ?? 0n);
    return [l.line_no, unscaledQuantity(open < 0n ? 0n : open)];
  }));
}

function NewDelivery() {
  const { t } = useI18n();
  const { query } = useLocation();
  const orderId = query.get('order');
  useTitle(t('deliveries.newTitle'));
  return (
    <section aria-labelledby="new-delivery-title">
      <p><Link to="/deliveries">← {t('deliveries.back')}</Link></p>
      <h1 id="new-delivery-title">{t('deliveries.newTitle')}</h1>
      {orderId === null ? <OrderPicker /> : <NewDeliveryForm key={orderId} orderId={orderId} />}
    </section>
  );
}

/** Without ?order=: the confirmed orders to choose from. */
function OrderPicker() {
  const { t } = useI18n();
  const [orders, reload] = useLoad((signal) => api.get('/v1/orders', { query: { status: 'confirmed', sort: '-date', limit: 100 }, signal }), []);
  const [chosen, setChosen] = useState('');
  return (
    <Loaded value={orders} retry={reload}>
      {(l) => {
        const open = l.data.filter((o) => o.fulfilment_status !== 'delivered');
        if (open.length === 0) return <Empty>{t('deliveries.noOrders')}</Empty>;
        return (
          <form className="card form" onSubmit={(e) => { e.preventDefault(); if (chosen !== '') navigate(`/deliveries/new?order=${encodeURIComponent(chosen)}`); }}>
            <div className="field">
              <label htmlFor="new-delivery-order">{t('deliveries.chooseOrder')}</label>
              <select id="new-delivery-order" value={chosen} onChange={(e) => setChosen(e.target.value)}>
                <option value="">{t('deliveries.chooseOrderNone')}</option>
                {open.map((o) => <option key={o.id} value={o.id}>{`${o.number} · ${o.customer_name ?? o.customer_id}`}</option>)}
              </select>
            </div>
            <div className="actions">
              <button type="submit" className="button button-primary" disabled={chosen === ''}>{t('deliveries.continue')}</button>
            </div>
          </form>
        );
      }}
    </Loaded>
  );
}

function NewDeliveryForm({ orderId }: { orderId: string }) {
  const [data, reload] = useLoad(async (signal) => {
    const [order, deliveries] = await Promise.all([
      api.get('/v1/orders/{id}', { path: { id: orderId }, signal }),
      api.get('/v1/orders/{id}/deliveries', { path: { id: orderId }, signal }),
    ]);
    const customers = await customersOf([order.customer_id], signal);
    return { order, open: openQuantities(order, deliveries.data), customerName: customers.get(order.customer_id)?.name ?? order.customer_id };
  }, [orderId]);
  return (
    <Loaded value={data} retry={reload}>
      {(d) => <DeliveryLinesForm order={d.order} open={d.open} customerName={d.customerName} />}
    </Loaded>
  );
}

function DeliveryLinesForm({ order, open, customerName }: { order: Order; open: Map<number, string>; customerName: string }) {
  const { t, lang } = useI18n();
  const { may } = useSession();
  const { busy, error, run } = useAction();
  const openLines = order.lines.filter((l) => scaledQuantity(open.get(l.line_no) ?? '0') > 0n);
  const [quantities, setQuantities] = useState<Record<number, string>>(() => Object.fromEntries(openLines.map((l) => [l.line_no, open.get(l.line_no) ?? '0'])));
  const [sent, setSent] = useState<number[]>([]);
  const lineError = (lineNo: number) => {
    const i = sent.indexOf(lineNo);
    return i >= 0 && error !== null && (error.param === `lines.${i}.quantity` || error.param === `lines.${i}.order_line_no`) ? error : null;
  };
  const placed = error?.param != null && /^lines\.\d+\./.test(error.param);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const chosen = openLines.filter((l) => {
      const q = apiDecimal(quantities[l.line_no] ?? '');
      return q !== '' && !/^0+(\.0*)?$/.test(q);
    });
    setSent(chosen.map((l) => l.line_no));
    const made = await run('create', () =>
      api.post('/v1/orders/{id}/deliveries', { path: { id: order.id }, body: { lines: chosen.map((l) => ({ order_line_no: l.line_no, quantity: apiDecimal(quantities[l.line_no] ?? '') })) } }),
    );
    if (made) navigate(`/deliveries/${encodeURIComponent(made.id)}`);
  };
  if (order.status !== 'confirmed') return <p className="notice notice-warn" role="status">{t('deliveries.orderNotConfirmed', { number: order.number })}</p>;
  if (openLines.length === 0) return <Empty>{t('deliveries.nothingOpen', { number: order.number })}</Empty>;
  return (
    <form className="card inline-form" onSubmit={submit} noValidate aria-labelledby="new-delivery-order-title">
      <h2 id="new-delivery-order-title">
        <Link to={`/orders/${encodeURIComponent(order.id)}`}>{t('deliveries.forOrder', { number: order.number })}</Link> · {customerName}
      </h2>
      <p className="hint">{t('deliveries.newHint')}</p>
      {error && !placed && <FormError error={error} />}
      {error && placed && <p className="visually-hidden" role="alert">{error.message}</p>}
      <table className="table" data-testid="new-delivery-lines">
        <caption className="visually-hidden">{t('deliveries.lines')}</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t('deliveries.product')}</th>
            <th scope="col" className="num">{t('deliveries.ordered')}</th>
            <th scope="col" className="num">{t('deliveries.open')}</th>
            <th scope="col">{t('deliveries.toDeliver')}</th>
          </tr>
        </thead>
        <tbody>
          {openLines.map((l) => {
            const fid = `deliver-line-${l.line_no}`;
            const err = lineError(l.line_no);
            return (
              <tr key={l.line_no}>
                <td>{l.line_no}</td>
                <td>{l.description}</td>
                <td className="num"><Qty value={unscaledQuantity(scaledQuantity(l.quantity) - scaledQuantity(l.quantity_cancelled))} /> {unitLabel(l.unit, lang)}</td>
                <td className="num"><Qty value={open.get(l.line_no)} /></td>
                <td>
                  <div className="field field-num">
                    <label htmlFor={fid} className="visually-hidden">{t('deliveries.quantityFor', { n: l.line_no, description: l.description })}</label>
                    <input id={fid} inputMode="decimal" size={8} value={quantities[l.line_no] ?? ''} onChange={(e) => setQuantities((q) => ({ ...q, [l.line_no]: e.target.value }))} {...invalidProps(`${fid}-error`, err)} />
                    <FieldError id={`${fid}-error`} error={err} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {may('fulfilment.write') && (
        <div className="actions">
          <button type="submit" className="button button-primary" data-write="true" disabled={busy !== null}>{t('deliveries.create')}</button>
        </div>
      )}
    </form>
  );
}
