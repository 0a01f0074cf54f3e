/**
 * The quote editor (/quotes/new, /quotes/{id}/edit): customer, dates, terms and lines (a product from
 * the catalog or free text, quantity, a unit price overriding the list price, discount, optional,
 * tax class). The API has no pricing preview, so pricing is the API's own: the first save creates
 * the draft, and from then on every change is saved (debounced) and the totals, margin and each
 * line's trail shown are those the API computed for the saved draft. An error appears beside the
 * field the API names (`lines.2.quantity`).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api, type Schemas } from '../api/client';
import type { paths } from '../api/schema';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link, navigate, useLocation, useTitle } from '../router';
import { useSession } from '../session';
import { Loaded, Money, StatusBadge, useLoad } from '../ui';
import { apiDecimal, asApiError, FieldError, FormError, invalidProps, Percent, type Quote } from './sales-shared';

type Product = Schemas['Product'];
type TaxClass = Quote['lines'][number]['tax_class'];
type LineBody = NonNullable<paths['/v1/quotes/{id}']['patch']['requestBody']['content']['application/json']['lines']>[number];

export const TAX_CLASSES: readonly TaxClass[] = ['standard', 'reduced_12', 'food', 'reduced_6', 'zero', 'exempt'];
/** The pickers load one page of the largest size the API gives; more needs the API's search. */
const PICKER_LIMIT = 100;
/** Quiet time after the last keystroke before the draft is saved and re-priced. */
const SAVE_DELAY_MS = 600;

interface LineForm {
  uid: number;
  key: string | undefined;
  productId: string;
  description: string;
  quantity: string;
  unitPrice: string;
  discountPercent: string;
  optional: boolean;
  selected: boolean;
  taxClass: TaxClass | '';
}

interface HeaderForm {
  customerId: string;
  currency: string;
  quoteDate: string;
  validUntil: string;
  paymentTermsDays: string;
  notes: string;
  discountPercent: string;
}

let uids = 0;
const blankLine = (): LineForm => ({
  uid: ++uids, key: undefined, productId: '', description: '', quantity: '1', unitPrice: '', discountPercent: '', optional: false, selected: false, taxClass: '',
});

/** A decimal as the API writes it ("15.0000") for an input ("15"). */
const trimDecimal = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

function linesOf(q: Quote): LineForm[] {
  return q.lines.map((l) => ({
    uid: ++uids,
    key: l.line_key,
    productId: l.product_id ?? '',
    description: l.product_id === null ? l.description : '',
    quantity: trimDecimal(l.quantity),
    // a product line keeps its list price unless it was overridden (the trail says so)
    unitPrice: l.product_id === null || l.trail.some((s) => s.step === 'manual_price') ? l.unit_price.amount : '',
    discountPercent: l.discount !== null && 'percent' in l.discount ? trimDecimal(l.discount.percent) : '',
    optional: l.optional,
    selected: l.selected,
    taxClass: l.tax_class,
  }));
}

function headerOf(q: Quote): HeaderForm {
  return {
    customerId: q.customer_id,
    currency: q.currency,
    quoteDate: q.quote_date,
    validUntil: q.valid_until,
    paymentTermsDays: String(q.payment_terms_days),
    notes: q.notes ?? '',
    discountPercent: q.discount !== null && 'percent' in q.discount ? trimDecimal(q.discount.percent) : '',
  };
}

function lineBody(l: LineForm): LineBody {
  const body: LineBody = { quantity: apiDecimal(l.quantity) };
  if (l.key !== undefined) body.line_key = l.key;
  if (l.productId !== '') body.product_id = l.productId;
  if (l.description.trim() !== '') body.description = l.description.trim();
  if (l.unitPrice.trim() !== '') body.unit_price = apiDecimal(l.unitPrice);
  if (l.discountPercent.trim() !== '') body.discount_percent = apiDecimal(l.discountPercent);
  if (l.optional) {
    body.optional = true;
    body.selected = l.selected;
  }
  if (l.taxClass !== '') body.tax_class = l.taxClass;
  return body;
}

/**
 * A whole number of days as the API reads it. Anything else is sent as typed, so that the API refuses
 * it by name (payment_terms_days) and the message appears beside the field.
 */
const days = (s: string): number | undefined => (s.trim() === '' ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : (s.trim() as unknown as number));

export function QuoteEditor({ id }: { id?: string }) {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(id === undefined ? t('quotes.new') : t('quoteEditor.editTitle'));
  const [loaded, reload] = useLoad(
    async (signal) => {
      const [quote, customers, products] = await Promise.all([
        id === undefined ? Promise.resolve(null) : api.get('/v1/quotes/{id}', { path: { id }, signal }),
        api.get('/v1/customers', { query: { limit: PICKER_LIMIT }, signal }),
        api.get('/v1/products', { query: { limit: PICKER_LIMIT }, signal }),
      ]);
      return { quote, customers, products };
    },
    [id],
  );
  // a role that may not write quotes reads them on the detail page (the API would refuse every save)
  if (!may('quotes.write')) {
    return (
      <section aria-labelledby="quote-editor-title">
        <h1 id="quote-editor-title">{id === undefined ? t('quotes.new') : t('quoteEditor.editTitle')}</h1>
        <p className="card">
          {t('quoteEditor.mayNot')}{' '}
          <Link to={id === undefined ? '/quotes' : `/quotes/${encodeURIComponent(id)}`}>{id === undefined ? t('quoteEditor.back') : t('quoteEditor.toDetail')}</Link>
        </p>
      </section>
    );
  }
  return (
    <Loaded value={loaded} retry={reload}>
      {(d) =>
        d.quote !== null && d.quote.status !== 'draft' ? (
          <section aria-labelledby="quote-editor-title">
            <h1 id="quote-editor-title">{t('quoteEditor.editTitle')}</h1>
            <p className="card">
              {t('quoteEditor.notDraft', { status: t(`status.${d.quote.status}` as MessageKey) })}{' '}
              <Link to={`/quotes/${encodeURIComponent(d.quote.id)}`}>{t('quoteEditor.toDetail')}</Link>
            </p>
          </section>
        ) : (
          <EditorForm key={d.quote?.id ?? 'new'} quote={d.quote} customers={d.customers.data} customersMore={d.customers.has_more} products={d.products.data} />
        )
      }
    </Loaded>
  );
}

/**
 * The customers to choose from: the first page, or, while something is typed, the API's search (`q`)
 * after a pause; the chosen customer stays in the list whatever is searched.
 */
function useCustomerChoices(first: Schemas['Customer'][], search: string, chosenId: string): Schemas['Customer'][] {
  const [found, setFound] = useState<Schemas['Customer'][] | null>(null);
  const [chosen, setChosen] = useState<Schemas['Customer'] | null>(null);
  useEffect(() => {
    const q = search.trim();
    if (q === '') {
      setFound(null);
      return;
    }
    const abort = new AbortController();
    const timer = setTimeout(() => {
      api.get('/v1/customers', { query: { q, sort: 'name', limit: PICKER_LIMIT }, signal: abort.signal })
        .then((r) => setFound(r.data))
        .catch(() => undefined); // a failed search leaves the list as it was
    }, 300);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [search]);
  // a customer named by the URL or kept from a search, when it is not on the first page
  useEffect(() => {
    if (chosenId === '' || first.some((c) => c.id === chosenId) || chosen?.id === chosenId) return;
    const hit = found?.find((c) => c.id === chosenId);
    if (hit) setChosen(hit);
    else {
      const abort = new AbortController();
      api.get('/v1/customers/{id}', { path: { id: chosenId }, signal: abort.signal }).then(setChosen).catch(() => undefined);
      return () => abort.abort();
    }
  }, [chosenId, first, found, chosen]);
  const list = found ?? first;
  return chosen !== null && chosen.id === chosenId && !list.some((c) => c.id === chosen.id) ? [chosen, ...list] : list;
}

function EditorForm({ quote, customers: firstCustomers, customersMore, products }: { quote: Quote | null; customers: Schemas['Customer'][]; customersMore: boolean; products: Product[] }) {
  const { t } = useI18n();
  const { may } = useSession();
  const { query } = useLocation();
  const [header, setHeader] = useState<HeaderForm>(() =>
    quote
      ? headerOf(quote)
      // "New quote" from a customer's page names the customer
      : { customerId: query.get('customer') ?? '', currency: '', quoteDate: '', validUntil: '', paymentTermsDays: '', notes: '', discountPercent: '' },
  );
  const [customerSearch, setCustomerSearch] = useState('');
  const customers = useCustomerChoices(firstCustomers, customerSearch, header.customerId);
  const [initialLines] = useState<LineForm[]>(() => (quote ? linesOf(quote) : [blankLine()]));
  const [lines, setLines] = useState<LineForm[]>(initialLines);
  // the draft as the API last priced it, and which form line each of its lines is
  const [server, setServer] = useState<{ quote: Quote; uids: number[] } | null>(() => (quote ? { quote, uids: initialLines.map((l) => l.uid) } : null));
  const [edits, setEdits] = useState(0);
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved' | 'error'>('idle');
  const [error, setError] = useState<ReturnType<typeof asApiError> | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [approvalNeeded, setApprovalNeeded] = useState<string | null>(null);
  const seq = useRef(0);
  const saved = useRef(0);
  const productById = new Map(products.map((p) => [p.id, p]));
  const customer = customers.find((c) => c.id === header.customerId);
  const currency = server?.quote.currency ?? (header.currency.trim() !== '' ? header.currency.trim().toUpperCase() : customer?.currency ?? '');

  const editHeader = (k: keyof HeaderForm) => (e: { target: { value: string } }) => {
    setHeader((h) => ({ ...h, [k]: e.target.value }));
    setEdits((n) => n + 1);
  };
  const editLine = (uid: number, patch: Partial<LineForm>) => {
    setLines((ls) => ls.map((l) => (l.uid === uid ? { ...l, ...patch } : l)));
    setEdits((n) => n + 1);
  };

  /** Saves the form as the draft (PATCH); only the newest answer is shown. True when it was saved. */
  const save = useCallback(async (): Promise<boolean> => {
    if (!server) return false;
    const mine = ++seq.current;
    const sentUids = lines.map((l) => l.uid);
    const editsAt = edits;
    setSaveState('saving');
    try {
      const q = await api.patch('/v1/quotes/{id}', {
        path: { id: server.quote.id },
        body: {
          valid_until: header.validUntil,
          ...(days(header.paymentTermsDays) === undefined ? {} : { payment_terms_days: days(header.paymentTermsDays) as number }),
          notes: header.notes.trim() === '' ? null : header.notes,
          discount: header.discountPercent.trim() === '' ? null : { percent: apiDecimal(header.discountPercent) },
          lines: lines.map(lineBody),
        },
      });
      if (mine !== seq.current) return true;
      saved.current = editsAt;
      setServer({ quote: q, uids: sentUids });
      // new lines get their keys from the API, so the next save keeps their identity
      setLines((ls) => ls.map((l) => {
        const i = sentUids.indexOf(l.uid);
        const key = i >= 0 ? q.lines[i]?.line_key : undefined;
        return key !== undefined && l.key === undefined ? { ...l, key } : l;
      }));
      setError(null);
      setSaveState('saved');
      return true;
    } catch (e) {
      if (mine !== seq.current) return false;
      setError(asApiError(e));
      setSaveState('error');
      return false;
    }
  }, [server, lines, header, edits]);

  // live pricing: a change to a saved draft is saved once typing pauses
  useEffect(() => {
    if (!server || edits === 0 || edits === saved.current) return;
    const timer = setTimeout(() => void save(), SAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [edits, server, save]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    if (server) {
      await save();
      return;
    }
    setBusy('create');
    setError(null);
    try {
      const q = await api.post('/v1/quotes', {
        body: {
          customer_id: header.customerId,
          ...(header.currency.trim() === '' ? {} : { currency: header.currency.trim().toUpperCase() }),
          ...(header.quoteDate === '' ? {} : { quote_date: header.quoteDate }),
          ...(header.validUntil === '' ? {} : { valid_until: header.validUntil }),
          ...(days(header.paymentTermsDays) === undefined ? {} : { payment_terms_days: days(header.paymentTermsDays) as number }),
          ...(header.notes.trim() === '' ? {} : { notes: header.notes }),
          ...(header.discountPercent.trim() === '' ? {} : { discount: { percent: apiDecimal(header.discountPercent) } }),
          lines: lines.map(lineBody),
        },
      });
      navigate(`/quotes/${encodeURIComponent(q.id)}/edit`, { replace: true });
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(null);
    }
  };

  /** Saves what is pending, then runs the action; errors stay on the page. */
  const act = async (name: string, fn: (id: string) => Promise<unknown>) => {
    if (!server) return;
    setBusy(name);
    try {
      if (edits !== saved.current && !(await save())) return;
      setError(null);
      await fn(server.quote.id);
    } catch (err) {
      const e = asApiError(err);
      if (e.code === 'quote_approval_required') setApprovalNeeded(e.message);
      else setError(e);
    } finally {
      setBusy(null);
    }
  };
  const send = () => act('send', async (id) => {
    await api.post('/v1/quotes/{id}/send', { path: { id } });
    navigate(`/quotes/${encodeURIComponent(id)}`);
  });
  const requestApproval = () => act('approval', async (id) => {
    await api.post('/v1/quotes/{id}/request-approval', { path: { id } });
    navigate(`/quotes/${encodeURIComponent(id)}`);
  });

  // which error goes beside which field; one that names none of them goes on top of the form
  const at = (param: string) => (error?.param === param ? error : null);
  const lineParams = ['product_id', 'description', 'quantity', 'unit_price', 'discount_percent', 'discount', 'tax_class', 'optional', 'selected'];
  const headerParams = ['customer_id', 'currency', 'quote_date', 'valid_until', 'payment_terms_days', 'notes', 'discount', 'discount.percent', 'lines'];
  const placed = error?.param != null && (headerParams.includes(error.param) || lines.some((_, i) => error.param === `lines.${i}` || lineParams.some((f) => error.param === `lines.${i}.${f}`)));
  const shown = server?.quote;
  const serverLine = (uid: number) => {
    const i = server ? server.uids.indexOf(uid) : -1;
    return i >= 0 ? shown?.lines[i] : undefined;
  };
  const canWrite = may('quotes.write');

  return (
    <section aria-labelledby="quote-editor-title" className="quote-editor">
      <p><Link to={shown ? `/quotes/${encodeURIComponent(shown.id)}` : '/quotes'}>← {shown ? t('quoteEditor.toDetail') : t('quoteEditor.back')}</Link></p>
      <div className="page-head">
        <h1 id="quote-editor-title">
          {shown ? t('quoteEditor.heading', { number: shown.number, version: shown.version }) : t('quotes.new')}
        </h1>
        {shown && <StatusBadge status={shown.status} />}
      </div>
      <form onSubmit={create} noValidate>
        {error && !placed && <FormError error={error} />}
        {error && placed && <p className="visually-hidden" role="alert">{error.message}</p>}
        {approvalNeeded !== null && (
          <div className="notice notice-warn" role="alert" data-testid="approval-needed">
            <p>{approvalNeeded}</p>
            {canWrite && (
              <button type="button" className="button button-primary" onClick={() => void requestApproval()} disabled={busy !== null}>
                {t('quote.requestApproval')}
              </button>
            )}
          </div>
        )}
        <div className="editor-top">
          <fieldset className="card form-grid">
            <legend>{t('quoteEditor.header')}</legend>
            <div className="field">
              <label htmlFor="quote-customer">{t('quotes.customer')}</label>
              <select id="quote-customer" value={header.customerId} onChange={editHeader('customerId')} disabled={server !== null} required {...invalidProps('quote-customer-error', at('customer_id'))}>
                <option value="">{t('quoteEditor.chooseCustomer')}</option>
                {customers.map((c) => (
                  <option key={c.id} value={c.id}>{c.name}</option>
                ))}
              </select>
              {server === null && (
                <div className="field field-inline">
                  <label htmlFor="quote-customer-search">{t('quoteEditor.findCustomer')}</label>
                  <input id="quote-customer-search" type="search" value={customerSearch} onChange={(e) => setCustomerSearch(e.target.value)} autoComplete="off" {...(customersMore ? { 'aria-describedby': 'quote-customer-search-hint' } : {})} />
                  {customersMore && <p className="hint" id="quote-customer-search-hint">{t('quoteEditor.pickerLimited', { n: PICKER_LIMIT })}</p>}
                </div>
              )}
              <FieldError id="quote-customer-error" error={at('customer_id')} />
            </div>
            <div className="field">
              <label htmlFor="quote-currency">{t('customers.currency')}</label>
              <input id="quote-currency" value={server ? server.quote.currency : header.currency} placeholder={customer?.currency ?? ''} onChange={editHeader('currency')} disabled={server !== null} maxLength={3} {...invalidProps('quote-currency-error', at('currency'))} />
              <FieldError id="quote-currency-error" error={at('currency')} />
            </div>
            <div className="field">
              <label htmlFor="quote-date">{t('quotes.date')}</label>
              <input id="quote-date" type="date" value={header.quoteDate} onChange={editHeader('quoteDate')} disabled={server !== null} {...invalidProps('quote-date-error', at('quote_date'))} />
              <FieldError id="quote-date-error" error={at('quote_date')} />
            </div>
            <div className="field">
              <label htmlFor="quote-valid-until">{t('quotes.validUntil')}</label>
              <input id="quote-valid-until" type="date" value={header.validUntil} onChange={editHeader('validUntil')} {...invalidProps('quote-valid-until-error', at('valid_until'))} />
              <FieldError id="quote-valid-until-error" error={at('valid_until')} />
            </div>
            <div className="field">
              <label htmlFor="quote-terms">{t('quoteEditor.termsDays')}</label>
              <input id="quote-terms" inputMode="numeric" value={header.paymentTermsDays} placeholder={customer ? String(customer.payment_terms_days) : ''} onChange={editHeader('paymentTermsDays')} {...invalidProps('quote-terms-error', at('payment_terms_days'))} />
              <FieldError id="quote-terms-error" error={at('payment_terms_days')} />
            </div>
            <div className="field">
              <label htmlFor="quote-discount">{t('quoteEditor.quoteDiscount')}</label>
              <input id="quote-discount" inputMode="decimal" value={header.discountPercent} onChange={editHeader('discountPercent')} {...invalidProps('quote-discount-error', at('discount.percent') ?? at('discount'))} />
              <FieldError id="quote-discount-error" error={at('discount.percent') ?? at('discount')} />
            </div>
            <div className="field field-wide">
              <label htmlFor="quote-notes">{t('quoteEditor.notes')}</label>
              <textarea id="quote-notes" rows={2} value={header.notes} onChange={editHeader('notes')} {...invalidProps('quote-notes-error', at('notes'))} />
              <FieldError id="quote-notes-error" error={at('notes')} />
            </div>
          </fieldset>
          <div className="card totals-card" aria-live="polite" data-testid="quote-totals">
            <h2>{t('quote.totals')}</h2>
            {shown ? <QuoteTotals quote={shown} /> : <p className="muted">{t('quoteEditor.totalsAfterSave')}</p>}
            <p className="save-state muted" role="status">
              {saveState === 'saving' ? t('quoteEditor.saving') : saveState === 'saved' ? t('quoteEditor.saved') : saveState === 'error' ? t('quoteEditor.notSaved') : ''}
            </p>
          </div>
        </div>

        <h2 id="quote-lines-title">{t('quoteEditor.lines')}</h2>
        <FieldError id="quote-lines-error" error={at('lines')} />
        <ol className="line-editor" aria-labelledby="quote-lines-title">
          {lines.map((l, i) => {
            const p = `lines.${i}`;
            const fid = (f: string) => `line-${l.uid}-${f}`;
            const err = (f: string) => at(`${p}.${f}`);
            const product = productById.get(l.productId);
            const listPrice = product?.unit_prices.find((m) => m.currency === currency);
            const priced = serverLine(l.uid);
            return (
              <li key={l.uid} className="card line-card" data-testid={`line-${i}`} aria-label={t('quoteEditor.lineN', { n: i + 1 })}>
                <FieldError id={fid('error')} error={at(p)} />
                <div className="line-grid">
                  <div className="field field-product">
                    <label htmlFor={fid('product')}>{t('quoteEditor.product')}</label>
                    <select id={fid('product')} value={l.productId} onChange={(e) => editLine(l.uid, { productId: e.target.value, unitPrice: '' })} {...invalidProps(fid('product-error'), err('product_id'))}>
                      <option value="">{t('quoteEditor.freeText')}</option>
                      {products.filter((x) => x.active || x.id === l.productId).map((x) => (
                        <option key={x.id} value={x.id}>{x.sku} · {x.name}</option>
                      ))}
                    </select>
                    <FieldError id={fid('product-error')} error={err('product_id')} />
                  </div>
                  <div className="field field-description">
                    <label htmlFor={fid('description')}>{t('quoteEditor.description')}</label>
                    <input id={fid('description')} value={l.description} placeholder={product?.name ?? ''} onChange={(e) => editLine(l.uid, { description: e.target.value })} {...invalidProps(fid('description-error'), err('description'))} />
                    <FieldError id={fid('description-error')} error={err('description')} />
                  </div>
                  <div className="field field-num">
                    <label htmlFor={fid('quantity')}>{t('quoteEditor.quantity')}</label>
                    <input id={fid('quantity')} inputMode="decimal" value={l.quantity} onChange={(e) => editLine(l.uid, { quantity: e.target.value })} {...invalidProps(fid('quantity-error'), err('quantity'))} />
                    <FieldError id={fid('quantity-error')} error={err('quantity')} />
                  </div>
                  <div className="field field-num">
                    <label htmlFor={fid('price')}>{t('quoteEditor.unitPrice', { currency })}</label>
                    <input id={fid('price')} inputMode="decimal" value={l.unitPrice} placeholder={listPrice?.amount ?? ''} onChange={(e) => editLine(l.uid, { unitPrice: e.target.value })} {...invalidProps(fid('price-error'), err('unit_price'))} />
                    {product && l.unitPrice === '' && <p className="hint">{t('quoteEditor.listPrice')}</p>}
                    <FieldError id={fid('price-error')} error={err('unit_price')} />
                  </div>
                  <div className="field field-num">
                    <label htmlFor={fid('discount')}>{t('quoteEditor.discount')}</label>
                    <input id={fid('discount')} inputMode="decimal" value={l.discountPercent} onChange={(e) => editLine(l.uid, { discountPercent: e.target.value })} {...invalidProps(fid('discount-error'), err('discount_percent') ?? err('discount'))} />
                    <FieldError id={fid('discount-error')} error={err('discount_percent') ?? err('discount')} />
                  </div>
                  <div className="field">
                    <label htmlFor={fid('tax')}>{t('quoteEditor.taxClass')}</label>
                    <select id={fid('tax')} value={l.taxClass} onChange={(e) => editLine(l.uid, { taxClass: e.target.value as TaxClass | '' })} {...invalidProps(fid('tax-error'), err('tax_class'))}>
                      <option value="">{product ? t('quoteEditor.taxFromProduct', { tax: t(`tax.${product.tax_class}` as MessageKey) }) : t('quoteEditor.chooseTax')}</option>
                      {TAX_CLASSES.map((c) => (
                        <option key={c} value={c}>{t(`tax.${c}` as MessageKey)}</option>
                      ))}
                    </select>
                    <FieldError id={fid('tax-error')} error={err('tax_class')} />
                  </div>
                </div>
                <div className="line-foot">
                  <label className="check">
                    <input type="checkbox" checked={l.optional} onChange={(e) => editLine(l.uid, { optional: e.target.checked, selected: e.target.checked ? l.selected : false })} />
                    {t('quoteEditor.optional')}
                  </label>
                  {l.optional && (
                    <label className="check">
                      <input type="checkbox" checked={l.selected} onChange={(e) => editLine(l.uid, { selected: e.target.checked })} />
                      {t('quoteEditor.selected')}
                    </label>
                  )}
                  <span className="line-priced" data-testid={`line-${i}-net`}>
                    {priced ? (
                      <>
                        {t('quoteEditor.lineNet')} <Money value={priced.net_amount} />
                        {priced.discount_amount.amount !== '0.00' && <> · {t('quoteEditor.lineDiscount')} <Money value={priced.line_discount} /></>}
                        {priced.margin_percent !== null && <> · {t('quote.margin')} <Percent value={priced.margin_percent} /></>}
                        {!priced.included && <> · {t('quoteEditor.notIncluded')}</>}
                      </>
                    ) : (
                      <span className="muted">{t('quoteEditor.notPriced')}</span>
                    )}
                  </span>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => { setLines((ls) => ls.filter((x) => x.uid !== l.uid)); setEdits((n) => n + 1); }}
                    disabled={lines.length === 1}
                    aria-label={t('quoteEditor.removeLine', { n: i + 1 })}
                  >
                    {t('quoteEditor.remove')}
                  </button>
                </div>
                {priced && priced.trail.length > 0 && (
                  <details className="trail">
                    <summary>{t('quoteEditor.trail')}</summary>
                    <ol>{priced.trail.map((s, k) => <li key={k}>{s.message}</li>)}</ol>
                  </details>
                )}
              </li>
            );
          })}
        </ol>
        <p>
          <button type="button" className="button" onClick={() => { setLines((ls) => [...ls, blankLine()]); setEdits((n) => n + 1); }}>
            {t('quoteEditor.addLine')}
          </button>
        </p>

        {canWrite && (
          <div className="actions">
            <button type="submit" className="button" disabled={busy !== null}>
              {busy === 'create' ? t('customers.saving') : t('quoteEditor.saveDraft')}
            </button>
            {shown && (
              <button type="button" className="button button-primary" onClick={() => void send()} disabled={busy !== null}>
                {t('quote.send')}
              </button>
            )}
          </div>
        )}
      </form>
    </section>
  );
}

/** Net, quote discount, VAT, total and margin, as the API computed them. */
export function QuoteTotals({ quote }: { quote: Quote }) {
  const { t } = useI18n();
  return (
    <dl className="details totals">
      <dt>{t('quote.net')}</dt><dd data-testid="total-net"><Money value={quote.net_total} /></dd>
      {quote.quote_discount_total.amount !== '0.00' && (
        <><dt>{t('quote.quoteDiscount')}</dt><dd><Money value={quote.quote_discount_total} /></dd></>
      )}
      <dt>{t('quote.vat')}</dt><dd data-testid="total-vat"><Money value={quote.vat_total} /></dd>
      {quote.rounding.amount !== '0.00' && <><dt>{t('quote.rounding')}</dt><dd><Money value={quote.rounding} /></dd></>}
      <dt>{t('quotes.total')}</dt><dd data-testid="total-gross"><strong><Money value={quote.payable_total} /></strong></dd>
      <dt>{t('quote.cost')}</dt><dd><Money value={quote.cost_total} /></dd>
      <dt>{t('quote.margin')}</dt>
      <dd data-testid="total-margin">
        {quote.margin === null ? '–' : <><Money value={quote.margin} /> (<Percent value={quote.margin_percent} />)</>}
      </dd>
    </dl>
  );
}
