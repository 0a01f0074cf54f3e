/**
 * The /catalog section (issue 9): products (list searched, sorted and filtered by the API; a product's
 * editor with prices per currency, cost and margin, group, kind, bundle components and its stock),
 * price lists (flat prices or quantity tiers per product, for a customer group and a period) and
 * product groups. Quantity breaks live on price lists in the API, so a product shows the tiers the
 * price lists give it. Writes only for catalog.write (price lists: prices.write), as permissions.ts says.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, type ApiError, type Schemas } from '../api/client';
import { formatDecimal, minorUnits, type Lang } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { ListView } from '../list';
import { Link, matchPath, navigate, useLocation, useTitle } from '../router';
import { useSession } from '../session';
import { DateText, Empty, Loaded, Money, useLoad } from '../ui';
import { TAX_CLASSES } from './QuoteEditor';
import { apiDecimal, FieldError, FormError, invalidProps, Qty, useAction } from './sales-shared';
import './catalog.css';

type Product = Schemas['Product'];
type PriceList = Schemas['PriceList'];
type Group = Schemas['ProductGroup'];
type TaxClass = Product['tax_class'];
type TierMode = 'graduated' | 'volume';

/** The API's "1234.50" as the reader types it ("1234,50" in Swedish), for a form's first value. */
function typed(value: string | null | undefined, lang: Lang): string {
  if (value == null) return '';
  return lang === 'sv' ? value.replace('.', ',') : value;
}

let uids = 0;
const uid = () => ++uids;

/** The error when it names this field (exactly), else null. */
const errorFor = (error: ApiError | null, param: string) => (error?.param === param ? error : null);

export function CatalogPages({ path }: { path: string }) {
  if (path === '/catalog' || path === '/catalog/') return <Section tab="products"><ProductList /></Section>;
  if (path === '/catalog/products/new') return <Section tab="products"><ProductEditor id={null} /></Section>;
  const product = matchPath('/catalog/products/:id', path);
  if (product?.['id'] !== undefined) return <Section tab="products"><ProductEditor key={product['id']} id={product['id']} /></Section>;
  if (path === '/catalog/price-lists') return <Section tab="price-lists"><PriceListList /></Section>;
  if (path === '/catalog/price-lists/new') return <Section tab="price-lists"><PriceListEditor id={null} /></Section>;
  const list = matchPath('/catalog/price-lists/:id', path);
  if (list?.['id'] !== undefined) return <Section tab="price-lists"><PriceListEditor key={list['id']} id={list['id']} /></Section>;
  if (path === '/catalog/groups') return <Section tab="groups"><GroupsPage /></Section>;
  return <CatalogNotFound />;
}

function CatalogNotFound() {
  const { t } = useI18n();
  useTitle(t('notFound.title'));
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p><Link to="/catalog">{t('catalog.back')}</Link></p>
    </section>
  );
}

/** The catalog's own tabs (products, price lists, groups) above each of its pages. */
function Section({ tab, children }: { tab: 'products' | 'price-lists' | 'groups'; children: ReactNode }) {
  const { t } = useI18n();
  const { path } = useLocation();
  const tabs = [
    { id: 'products', to: '/catalog', label: t('catalog.products') },
    { id: 'price-lists', to: '/catalog/price-lists', label: t('catalog.priceLists') },
    { id: 'groups', to: '/catalog/groups', label: t('catalog.groups') },
  ] as const;
  return (
    <div className="catalog">
      <nav className="subnav" aria-label={t('catalog.sections')}>
        <ul>
          {tabs.map((x) => (
            <li key={x.id}>
              <Link to={x.to} aria-current={path === x.to ? 'page' : x.id === tab ? 'true' : undefined} className={x.id === tab ? 'active' : undefined}>{x.label}</Link>
            </li>
          ))}
        </ul>
      </nav>
      {children}
    </div>
  );
}

/** Every product group (at most 100: the catalog keeps few), for names and pickers. */
function useGroups() {
  return useLoad((signal) => api.get('/v1/product-groups', { query: { limit: 100 }, signal }).then((r) => r.data), []);
}

/** The products a picker offers: the first 100 by name (and the ones already chosen, fetched by id). */
async function productsFor(chosen: readonly string[], signal: AbortSignal): Promise<Product[]> {
  const first = (await api.get('/v1/products', { query: { limit: 100, sort: 'name' }, signal })).data;
  const missing = [...new Set(chosen)].filter((id) => id !== '' && !first.some((p) => p.id === id));
  const more = await Promise.all(missing.map((id) => api.get('/v1/products/{id}', { path: { id }, signal }).catch(() => null)));
  return [...first, ...more.filter((p): p is Product => p !== null)];
}

function KindLabel({ product }: { product: Product }) {
  const { t } = useI18n();
  if (product.bundle !== null) return <>{t('catalog.kind.bundle')}</>;
  return <>{t(`catalog.kind.${product.kind}` as MessageKey)}</>;
}

// ------------------------------------------------------------------ products

export function ProductList() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('catalog.title'));
  const [groups] = useGroups();
  const groupName = (id: string | null) => (id === null ? '–' : groups.state === 'ready' ? groups.data.find((g) => g.id === id)?.name ?? id : '…');
  return (
    <section aria-labelledby="catalog-title">
      <div className="page-head">
        <h1 id="catalog-title">{t('catalog.title')}</h1>
        {may('catalog.write') && <Link to="/catalog/products/new" className="button button-primary" data-write="true">{t('catalog.newProduct')}</Link>}
      </div>
      <ListView
        path="/v1/products"
        caption={t('catalog.products')}
        search={t('catalog.search')}
        filters={[
          { param: 'active', label: t('catalog.activeFilter'), options: [{ value: 'true', label: t('catalog.activeOnly') }, { value: 'false', label: t('catalog.inactiveOnly') }] },
          { param: 'kind', label: t('catalog.kind'), options: [{ value: 'goods', label: t('catalog.kind.goods') }, { value: 'service', label: t('catalog.kind.service') }] },
          ...(groups.state === 'ready' && groups.data.length > 0
            ? [{ param: 'group_id', label: t('catalog.group'), options: groups.data.map((g) => ({ value: g.id, label: g.name })) }]
            : []),
        ]}
        empty={t('catalog.empty')}
        rowKey={(p) => p.id}
        testId="product-list"
        columns={[
          { header: t('catalog.sku'), sort: 'sku', cell: (p) => <code>{p.sku}</code> },
          { header: t('catalog.name'), sort: 'name', cell: (p) => <Link to={`/catalog/products/${encodeURIComponent(p.id)}`}>{p.name}</Link> },
          { header: t('catalog.kind'), cell: (p) => <KindLabel product={p} /> },
          { header: t('catalog.group'), cell: (p) => groupName(p.group_id) },
          { header: t('catalog.prices'), numeric: true, cell: (p) => (p.unit_prices.length === 0 ? '–' : p.unit_prices.map((m, i) => <span key={m.currency}>{i > 0 && ', '}<Money value={m} /></span>)) },
          { header: t('catalog.status'), cell: (p) => <span className={`badge ${p.active ? 'badge-active' : 'badge-inactive'}`}>{t(p.active ? 'catalog.active' : 'catalog.inactive')}</span> },
        ]}
      />
    </section>
  );
}

interface PriceRow { uid: number; currency: string; amount: string; saved: boolean }
interface ComponentRow { uid: number; productId: string; quantity: string }
interface ProductForm {
  sku: string;
  name: string;
  unit: string;
  taxClass: TaxClass;
  kind: 'goods' | 'service';
  stockTracked: boolean;
  groupId: string;
  unitCost: string;
  active: boolean;
  prices: PriceRow[];
  isBundle: boolean;
  pricing: 'sum' | 'fixed';
  display: 'expanded' | 'collapsed';
  components: ComponentRow[];
}

function formOf(p: Product | null, lang: Lang, baseCurrency: string): ProductForm {
  if (p === null) {
    return {
      sku: '', name: '', unit: 'C62', taxClass: 'standard', kind: 'goods', stockTracked: false, groupId: '', unitCost: '', active: true,
      prices: [{ uid: uid(), currency: baseCurrency, amount: '', saved: false }], isBundle: false, pricing: 'sum', display: 'expanded', components: [],
    };
  }
  return {
    sku: p.sku, name: p.name, unit: p.unit, taxClass: p.tax_class, kind: p.kind, stockTracked: p.stock_tracked, groupId: p.group_id ?? '',
    unitCost: typed(p.unit_cost?.amount, lang), active: p.active,
    prices: p.unit_prices.map((m) => ({ uid: uid(), currency: m.currency, amount: typed(m.amount, lang), saved: true })),
    isBundle: p.bundle !== null, pricing: p.bundle?.pricing ?? 'sum', display: p.bundle?.display ?? 'expanded',
    components: (p.bundle?.components ?? []).map((c) => ({ uid: uid(), productId: c.product_id, quantity: typed(c.quantity, lang) })),
  };
}

/** A product (id null: a new one) with its options loaded: groups, products for components, base currency. */
export function ProductEditor({ id }: { id: string | null }) {
  const { t } = useI18n();
  // kept here: saving reloads the product, which renders its form afresh
  const [saved, setSaved] = useState(false);
  const [data, reload] = useLoad(async (signal) => {
    const product = id === null ? null : await api.get('/v1/products/{id}', { path: { id }, signal });
    const [groups, products, company] = await Promise.all([
      api.get('/v1/product-groups', { query: { limit: 100 }, signal }).then((r) => r.data),
      productsFor(product?.bundle?.components.map((c) => c.product_id) ?? [], signal),
      api.get('/v1/settings/company', { signal }),
    ]);
    return { product, groups, products, baseCurrency: company.base_currency };
  }, [id]);
  const title = id === null ? t('catalog.newProduct') : data.state === 'ready' && data.data.product ? data.data.product.name : t('catalog.product');
  useTitle(title);
  return (
    <section aria-labelledby="product-title" className="product-editor">
      <p><Link to="/catalog">← {t('catalog.back')}</Link></p>
      <Loaded value={data} retry={reload}>
        {(d) => <ProductView key={d.product ? `${d.product.id}-${JSON.stringify(d.product)}` : 'new'} product={d.product} groups={d.groups} products={d.products} baseCurrency={d.baseCurrency} saved={saved} setSaved={setSaved} reload={reload} />}
      </Loaded>
    </section>
  );
}

const PRODUCT_PLACED = /^(sku|name|unit|tax_class|group_id|unit_cost|unit_prices(\.\d+\.(amount|currency))?|bundle\.components(\.\d+\.(product_id|quantity))?|bundle)$/;

function ProductView({ product, groups, products, baseCurrency, saved, setSaved, reload }: {
  product: Product | null; groups: Group[]; products: Product[]; baseCurrency: string; saved: boolean; setSaved: (saved: boolean) => void; reload: () => void;
}) {
  const { t, lang } = useI18n();
  const { may } = useSession();
  const write = may('catalog.write');
  const { busy, error, run } = useAction();
  const [form, setForm] = useState<ProductForm>(() => formOf(product, lang, baseCurrency));
  // the API names `unit_prices.{i}` by position in what was sent (empty rows are left out)
  const [sentPrices, setSentPrices] = useState<number[]>([]);
  const isNew = product === null;
  const set = (patch: Partial<ProductForm>) => { setSaved(false); setForm((f) => ({ ...f, ...patch })); };
  const err = (param: string) => errorFor(error, param);
  const placed = error?.param != null && PRODUCT_PLACED.test(error.param);
  const candidates = products.filter((p) => p.id !== product?.id && p.bundle === null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const sent = form.prices.filter((p) => p.amount.trim() !== '');
    setSentPrices(sent.map((p) => p.uid));
    const unitPrices = sent.map((p) => ({ amount: apiDecimal(p.amount), currency: p.currency.trim().toUpperCase() }));
    const bundle = form.isBundle
      ? { pricing: form.pricing, display: form.display, components: form.components.map((c) => ({ product_id: c.productId, quantity: apiDecimal(c.quantity) })) }
      : null;
    const cost = form.unitCost.trim() === '' ? null : apiDecimal(form.unitCost);
    const group = form.groupId === '' ? null : form.groupId;
    const result = await run('save', () =>
      isNew
        ? api.post('/v1/products', {
            body: {
              sku: form.sku.trim(), name: form.name, unit: form.unit.trim().toUpperCase(), tax_class: form.taxClass, unit_prices: unitPrices,
              group_id: group, unit_cost: cost, bundle, kind: form.kind, stock_tracked: form.kind === 'goods' && form.stockTracked,
            },
          })
        : api.patch('/v1/products/{id}', {
            path: { id: product.id },
            body: { name: form.name, active: form.active, unit_prices: unitPrices, group_id: group, unit_cost: cost, bundle: form.isBundle ? bundle : product.bundle === null ? undefined : null },
          }),
    );
    if (result === undefined) return;
    if (isNew) navigate(`/catalog/products/${encodeURIComponent(result.id)}`);
    else { setSaved(true); reload(); }
  };

  const input = (key: 'sku' | 'name' | 'unit' | 'unitCost', param: string, label: string, props: Record<string, unknown> = {}) => {
    const fid = `product-${param}`;
    return (
      <div className="field">
        <label htmlFor={fid}>{label}</label>
        <input id={fid} value={form[key]} onChange={(e) => set({ [key]: e.target.value })} disabled={!write} {...invalidProps(`${fid}-error`, err(param))} {...props} />
        <FieldError id={`${fid}-error`} error={err(param)} />
      </div>
    );
  };

  return (
    <>
      <div className="page-head">
        <h1 id="product-title">{isNew ? t('catalog.newProduct') : product.name}</h1>
        {!isNew && <span className={`badge ${product.active ? 'badge-active' : 'badge-inactive'}`}>{t(product.active ? 'catalog.active' : 'catalog.inactive')}</span>}
      </div>
      {saved && <p className="notice" role="status">{t('catalog.saved')}</p>}
      <form className="card product-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="product-title">
        {error && !placed && <FormError error={error} />}
        {error && placed && <p className="visually-hidden" role="alert">{error.message}</p>}
        <fieldset>
          <legend>{t('catalog.basics')}</legend>
          <div className="form-grid">
            {input('sku', 'sku', t('catalog.sku'), { required: true, maxLength: 64, disabled: !write || !isNew, autoFocus: isNew })}
            {input('name', 'name', t('catalog.name'), { required: true, maxLength: 200 })}
            {input('unit', 'unit', t('catalog.unit'), { maxLength: 3, disabled: !write || !isNew, 'aria-describedby': err('unit') ? 'product-unit-error' : 'product-unit-hint' })}
            <div className="field">
              <label htmlFor="product-tax">{t('catalog.taxClass')}</label>
              <select id="product-tax" value={form.taxClass} disabled={!write || !isNew} onChange={(e) => set({ taxClass: e.target.value as TaxClass })} {...invalidProps('product-tax-error', err('tax_class'))}>
                {TAX_CLASSES.map((c) => <option key={c} value={c}>{t(`tax.${c}` as MessageKey)}</option>)}
              </select>
              <FieldError id="product-tax-error" error={err('tax_class')} />
            </div>
            <div className="field">
              <label htmlFor="product-kind">{t('catalog.kind')}</label>
              <select id="product-kind" value={form.kind} disabled={!write || !isNew} onChange={(e) => set({ kind: e.target.value as 'goods' | 'service' })}>
                <option value="goods">{t('catalog.kind.goods')}</option>
                <option value="service">{t('catalog.kind.service')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="product-group">{t('catalog.group')}</label>
              <select id="product-group" value={form.groupId} disabled={!write} onChange={(e) => set({ groupId: e.target.value })} {...invalidProps('product-group-error', err('group_id'))}>
                <option value="">{t('catalog.noGroup')}</option>
                {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
              </select>
              <FieldError id="product-group-error" error={err('group_id')} />
            </div>
            {input('unitCost', 'unit_cost', t('catalog.unitCost', { currency: baseCurrency }), { inputMode: 'decimal', className: 'num-input' })}
          </div>
          <p className="hint" id="product-unit-hint">{t('catalog.unitHint')}</p>
          <div className="checks">
            <label className="check">
              <input type="checkbox" checked={form.kind === 'goods' && form.stockTracked} disabled={!write || !isNew || form.kind !== 'goods'} onChange={(e) => set({ stockTracked: e.target.checked })} />
              {t('catalog.stockTracked')}
            </label>
            {!isNew && (
              <label className="check">
                <input type="checkbox" checked={form.active} disabled={!write} onChange={(e) => set({ active: e.target.checked })} />
                {t('catalog.activeFlag')}
              </label>
            )}
          </div>
          {!isNew && <p className="hint">{t('catalog.fixedAfterCreate')}</p>}
        </fieldset>

        <fieldset>
          <legend>{t('catalog.listPrices')}</legend>
          {err('unit_prices') && <FieldError id="product-prices-error" error={err('unit_prices')} />}
          <table className="table table-compact" data-testid="product-prices">
            <caption className="visually-hidden">{t('catalog.listPrices')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalog.currency')}</th>
                <th scope="col" className="num">{t('catalog.price')}</th>
                <th scope="col" className="num">{t('catalog.margin')}</th>
                {write && <th scope="col"><span className="visually-hidden">{t('catalog.rowActions')}</span></th>}
              </tr>
            </thead>
            <tbody>
              {form.prices.map((p, i) => {
                const fid = `price-${p.uid}`;
                const at = sentPrices.indexOf(p.uid);
                const setRow = (patch: Partial<PriceRow>) => set({ prices: form.prices.map((x) => (x.uid === p.uid ? { ...x, ...patch } : x)) });
                return (
                  <tr key={p.uid}>
                    <td>
                      <label htmlFor={`${fid}-currency`} className="visually-hidden">{t('catalog.priceCurrencyN', { n: i + 1 })}</label>
                      <input id={`${fid}-currency`} className="short-input" value={p.currency} maxLength={3} disabled={!write || p.saved} onChange={(e) => setRow({ currency: e.target.value })} {...invalidProps(`${fid}-currency-error`, err(`unit_prices.${at}.currency`))} />
                      <FieldError id={`${fid}-currency-error`} error={err(`unit_prices.${at}.currency`)} />
                    </td>
                    <td className="num">
                      <label htmlFor={`${fid}-amount`} className="visually-hidden">{t('catalog.priceN', { n: i + 1, currency: p.currency })}</label>
                      <input id={`${fid}-amount`} className="num-input" inputMode="decimal" value={p.amount} disabled={!write} onChange={(e) => setRow({ amount: e.target.value })} {...invalidProps(`${fid}-amount-error`, err(`unit_prices.${at}.amount`))} />
                      <FieldError id={`${fid}-amount-error`} error={err(`unit_prices.${at}.amount`)} />
                    </td>
                    <td className="num"><Margin price={p.amount} currency={p.currency} cost={form.unitCost} costCurrency={baseCurrency} /></td>
                    {write && (
                      <td>
                        {!p.saved && <button type="button" className="button button-small" onClick={() => set({ prices: form.prices.filter((x) => x.uid !== p.uid) })}>{t('catalog.removePriceN', { n: i + 1 })}</button>}
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
          {write && <p><button type="button" className="button" onClick={() => set({ prices: [...form.prices, { uid: uid(), currency: '', amount: '', saved: false }] })}>{t('catalog.addPrice')}</button></p>}
          {!isNew && <p className="hint">{t('catalog.pricesHint')}</p>}
        </fieldset>

        <fieldset>
          <legend>{t('catalog.bundle')}</legend>
          <label className="check">
            <input type="checkbox" checked={form.isBundle} disabled={!write} onChange={(e) => set({ isBundle: e.target.checked, components: e.target.checked && form.components.length === 0 ? [{ uid: uid(), productId: '', quantity: '1' }] : form.components })} />
            {t('catalog.isBundle')}
          </label>
          {form.isBundle && (
            <>
              <div className="form-grid">
                <div className="field">
                  <label htmlFor="bundle-pricing">{t('catalog.bundlePricing')}</label>
                  <select id="bundle-pricing" value={form.pricing} disabled={!write} onChange={(e) => set({ pricing: e.target.value as 'sum' | 'fixed' })}>
                    <option value="sum">{t('catalog.bundlePricing.sum')}</option>
                    <option value="fixed">{t('catalog.bundlePricing.fixed')}</option>
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="bundle-display">{t('catalog.bundleDisplay')}</label>
                  <select id="bundle-display" value={form.display} disabled={!write} onChange={(e) => set({ display: e.target.value as 'expanded' | 'collapsed' })}>
                    <option value="expanded">{t('catalog.bundleDisplay.expanded')}</option>
                    <option value="collapsed">{t('catalog.bundleDisplay.collapsed')}</option>
                  </select>
                </div>
              </div>
              {err('bundle') && <FieldError id="bundle-error" error={err('bundle')} />}
              {err('bundle.components') && <FieldError id="bundle-components-error" error={err('bundle.components')} />}
              <table className="table table-compact" data-testid="bundle-components">
                <caption className="visually-hidden">{t('catalog.components')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('catalog.component')}</th>
                    <th scope="col" className="num">{t('catalog.quantityPerBundle')}</th>
                    {write && <th scope="col"><span className="visually-hidden">{t('catalog.rowActions')}</span></th>}
                  </tr>
                </thead>
                <tbody>
                  {form.components.map((c, i) => {
                    const fid = `component-${c.uid}`;
                    const setRow = (patch: Partial<ComponentRow>) => set({ components: form.components.map((x) => (x.uid === c.uid ? { ...x, ...patch } : x)) });
                    return (
                      <tr key={c.uid}>
                        <td>
                          <label htmlFor={`${fid}-product`} className="visually-hidden">{t('catalog.componentN', { n: i + 1 })}</label>
                          <select id={`${fid}-product`} value={c.productId} disabled={!write} onChange={(e) => setRow({ productId: e.target.value })} {...invalidProps(`${fid}-product-error`, err(`bundle.components.${i}.product_id`))}>
                            <option value="">{t('catalog.chooseProduct')}</option>
                            {candidates.map((p) => <option key={p.id} value={p.id}>{p.sku} · {p.name}</option>)}
                          </select>
                          <FieldError id={`${fid}-product-error`} error={err(`bundle.components.${i}.product_id`)} />
                        </td>
                        <td className="num">
                          <label htmlFor={`${fid}-quantity`} className="visually-hidden">{t('catalog.componentQuantityN', { n: i + 1 })}</label>
                          <input id={`${fid}-quantity`} className="num-input" inputMode="decimal" value={c.quantity} disabled={!write} onChange={(e) => setRow({ quantity: e.target.value })} {...invalidProps(`${fid}-quantity-error`, err(`bundle.components.${i}.quantity`))} />
                          <FieldError id={`${fid}-quantity-error`} error={err(`bundle.components.${i}.quantity`)} />
                        </td>
                        {write && <td><button type="button" className="button button-small" onClick={() => set({ components: form.components.filter((x) => x.uid !== c.uid) })}>{t('catalog.removeComponentN', { n: i + 1 })}</button></td>}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              {write && <p><button type="button" className="button" onClick={() => set({ components: [...form.components, { uid: uid(), productId: '', quantity: '1' }] })}>{t('catalog.addComponent')}</button></p>}
            </>
          )}
        </fieldset>

        {write && (
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy !== null}>{busy !== null ? t('customers.saving') : isNew ? t('catalog.createProduct') : t('catalog.saveProduct')}</button>
            <Link to="/catalog" className="button">{t('customers.cancel')}</Link>
          </div>
        )}
      </form>
      {!isNew && product.stock_tracked && <StockCard productId={product.id} />}
      {!isNew && <ProductPriceLists productId={product.id} />}
    </>
  );
}

/** Price less cost, and as a share of the price, when both are typed and in the same currency. */
function Margin({ price, currency, cost, costCurrency }: { price: string; currency: string; cost: string; costCurrency: string }) {
  const { lang } = useI18n();
  if (price.trim() === '' || cost.trim() === '' || currency.trim().toUpperCase() !== costCurrency) return <>–</>;
  try {
    const p = minorUnits(apiDecimal(price));
    const c = minorUnits(apiDecimal(cost));
    const m = p - c;
    const whole = m < 0n ? -m : m;
    const amount = `${m < 0n ? '-' : ''}${whole / 100n}.${String(whole % 100n).padStart(2, '0')}`;
    // per mille as an integer, shown with one decimal: never a float of the money
    const permille = p === 0n ? null : (m * 1000n) / p;
    const pct = permille === null ? '' : ` (${formatDecimal(`${permille < 0n ? '-' : ''}${(permille < 0n ? -permille : permille) / 10n}.${(permille < 0n ? -permille : permille) % 10n}`, lang)}${lang === 'sv' ? ' %' : '%'})`;
    return <span data-testid="margin"><Money value={{ amount, currency: costCurrency }} />{pct}</span>;
  } catch {
    return <>–</>;
  }
}

function StockCard({ productId }: { productId: string }) {
  const { t } = useI18n();
  const [stock, reload] = useLoad(async (signal) => {
    const [levels, warehouses] = await Promise.all([
      api.get('/v1/stock', { query: { product_id: productId }, signal }),
      api.get('/v1/warehouses', { signal }),
    ]);
    return { levels: levels.data, warehouses: new Map(warehouses.data.map((w) => [w.id, w.name])) };
  }, [productId]);
  return (
    <section className="card stock-card" aria-labelledby="stock-title">
      <h2 id="stock-title">{t('catalog.stock')}</h2>
      <Loaded value={stock} retry={reload}>
        {(s) =>
          s.levels.length === 0 ? (
            <Empty>{t('catalog.stockNone')}</Empty>
          ) : (
            <table className="table table-compact" data-testid="stock-levels">
              <caption className="visually-hidden">{t('catalog.stock')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.warehouse')}</th>
                  <th scope="col" className="num">{t('catalog.onHand')}</th>
                  <th scope="col" className="num">{t('catalog.reserved')}</th>
                  <th scope="col" className="num">{t('catalog.available')}</th>
                </tr>
              </thead>
              <tbody>
                {s.levels.map((l) => (
                  <tr key={l.warehouse_id}>
                    <th scope="row">{s.warehouses.get(l.warehouse_id) ?? l.warehouse_id}</th>
                    <td className="num"><Qty value={l.on_hand} /></td>
                    <td className="num"><Qty value={l.reserved} /></td>
                    <td className="num"><Qty value={l.available} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}

/** What the price lists (the first 100) charge for this product: a flat price or its quantity breaks. */
function ProductPriceLists({ productId }: { productId: string }) {
  const { t } = useI18n();
  const [lists, reload] = useLoad((signal) => api.get('/v1/price-lists', { query: { limit: 100 }, signal }).then((r) => r.data), [productId]);
  return (
    <section className="card" aria-labelledby="product-lists-title">
      <h2 id="product-lists-title">{t('catalog.inPriceLists')}</h2>
      <Loaded value={lists} retry={reload}>
        {(all) => {
          const rows = all.flatMap((l) => l.prices.filter((p) => p.product_id === productId).map((p) => ({ list: l, price: p })));
          if (rows.length === 0) return <Empty>{t('catalog.inPriceListsNone')}</Empty>;
          return (
            <table className="table table-compact" data-testid="product-price-lists">
              <caption className="visually-hidden">{t('catalog.inPriceLists')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('catalog.priceList')}</th>
                  <th scope="col">{t('catalog.validity')}</th>
                  <th scope="col">{t('catalog.price')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ list, price }) => (
                  <tr key={list.id}>
                    <th scope="row"><Link to={`/catalog/price-lists/${encodeURIComponent(list.id)}`}>{list.name}</Link></th>
                    <td><Validity list={list} /></td>
                    <td><PriceText price={price} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Loaded>
    </section>
  );
}

function Validity({ list }: { list: PriceList }) {
  const { t } = useI18n();
  if (list.valid_from === null && list.valid_to === null) return <>{t('catalog.always')}</>;
  return <><DateText value={list.valid_from} /> – <DateText value={list.valid_to} /></>;
}

/** "SEK 100.00" or "1–9: SEK 100.00 · 10+: SEK 90.00 (volume)". */
function PriceText({ price }: { price: PriceList['prices'][number] }) {
  const { t, lang } = useI18n();
  if (price.tiers === null) return <Money value={price.unit_price} />;
  let from = '1';
  const parts = price.tiers.tiers.map((tier, i) => {
    const range = tier.up_to === null ? t('catalog.tierFrom', { from: formatDecimal(from, lang) }) : t('catalog.tierRange', { from: formatDecimal(from, lang), to: formatDecimal(trimDecimal(tier.up_to), lang) });
    if (tier.up_to !== null) from = nextAfter(tier.up_to);
    return <span key={i}>{i > 0 && ' · '}{range}: <Money value={tier.unit_price} /></span>;
  });
  return <span data-testid="tier-text">{parts} ({t(`catalog.tierMode.${price.tiers.mode}` as MessageKey)})</span>;
}

const trimDecimal = (v: string) => (v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v);
/** The first whole quantity after a tier's bound ("10.0000" → "11"); a fractional bound keeps its fraction. */
function nextAfter(upTo: string): string {
  const v = trimDecimal(upTo);
  return /^\d+$/.test(v) ? String(BigInt(v) + 1n) : v;
}

// ------------------------------------------------------------------ price lists

export function PriceListList() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('catalog.priceLists'));
  return (
    <section aria-labelledby="price-lists-title">
      <div className="page-head">
        <h1 id="price-lists-title">{t('catalog.priceLists')}</h1>
        {may('prices.write') && <Link to="/catalog/price-lists/new" className="button button-primary" data-write="true">{t('catalog.newPriceList')}</Link>}
      </div>
      <ListView
        path="/v1/price-lists"
        caption={t('catalog.priceLists')}
        empty={t('catalog.priceListsEmpty')}
        rowKey={(l) => l.id}
        testId="price-list-list"
        columns={[
          { header: t('catalog.name'), cell: (l) => <Link to={`/catalog/price-lists/${encodeURIComponent(l.id)}`}>{l.name}</Link> },
          { header: t('catalog.currency'), cell: (l) => l.currency },
          { header: t('catalog.customerGroup'), cell: (l) => l.customer_group ?? t('catalog.everyCustomer') },
          { header: t('catalog.validity'), cell: (l) => <Validity list={l} /> },
          { header: t('catalog.entries'), numeric: true, cell: (l) => l.prices.length },
        ]}
      />
    </section>
  );
}

interface TierRow { uid: number; upTo: string; price: string }
interface EntryRow { uid: number; productId: string; saved: boolean; tiered: boolean; price: string; mode: TierMode; tiers: TierRow[] }
interface ListForm { name: string; currency: string; customerGroup: string; validFrom: string; validTo: string; entries: EntryRow[] }

function entryOf(p: PriceList['prices'][number], lang: Lang): EntryRow {
  return {
    uid: uid(), productId: p.product_id, saved: true, tiered: p.tiers !== null, price: typed(p.unit_price?.amount, lang), mode: p.tiers?.mode ?? 'graduated',
    tiers: (p.tiers?.tiers ?? []).map((x) => ({ uid: uid(), upTo: typed(x.up_to === null ? null : trimDecimal(x.up_to), lang), price: typed(x.unit_price.amount, lang) })),
  };
}
const newEntry = (): EntryRow => ({ uid: uid(), productId: '', saved: false, tiered: false, price: '', mode: 'graduated', tiers: [{ uid: uid(), upTo: '', price: '' }] });

export function PriceListEditor({ id }: { id: string | null }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState(false);
  const [data, reload] = useLoad(async (signal) => {
    const list = id === null ? null : await api.get('/v1/price-lists/{id}', { path: { id }, signal });
    const [products, company] = await Promise.all([productsFor(list?.prices.map((p) => p.product_id) ?? [], signal), api.get('/v1/settings/company', { signal })]);
    return { list, products, baseCurrency: company.base_currency };
  }, [id]);
  useTitle(id === null ? t('catalog.newPriceList') : data.state === 'ready' && data.data.list ? data.data.list.name : t('catalog.priceList'));
  return (
    <section aria-labelledby="price-list-title" className="price-list-editor">
      <p><Link to="/catalog/price-lists">← {t('catalog.backToLists')}</Link></p>
      <Loaded value={data} retry={reload}>
        {(d) => <PriceListView key={d.list ? JSON.stringify(d.list) : 'new'} list={d.list} products={d.products} baseCurrency={d.baseCurrency} saved={saved} setSaved={setSaved} reload={reload} />}
      </Loaded>
    </section>
  );
}

const LIST_PLACED = /^(name|currency|customer_group|valid_from|valid_to|prices\.\d+(\.(product_id|unit_price|tiers(\.tiers\.\d+\.(up_to|unit_price))?))?)$/;

function PriceListView({ list, products, baseCurrency, saved, setSaved, reload }: {
  list: PriceList | null; products: Product[]; baseCurrency: string; saved: boolean; setSaved: (saved: boolean) => void; reload: () => void;
}) {
  const { t, lang } = useI18n();
  const { may } = useSession();
  const write = may('prices.write');
  const { busy, error, run } = useAction();
  const isNew = list === null;
  const [form, setForm] = useState<ListForm>(() =>
    list === null
      ? { name: '', currency: baseCurrency, customerGroup: '', validFrom: '', validTo: '', entries: [newEntry()] }
      : { name: list.name, currency: list.currency, customerGroup: list.customer_group ?? '', validFrom: list.valid_from ?? '', validTo: list.valid_to ?? '', entries: list.prices.map((p) => entryOf(p, lang)) },
  );
  const set = (patch: Partial<ListForm>) => { setSaved(false); setForm((f) => ({ ...f, ...patch })); };
  const setEntry = (u: number, patch: Partial<EntryRow>) => set({ entries: form.entries.map((x) => (x.uid === u ? { ...x, ...patch } : x)) });
  const err = (param: string) => errorFor(error, param);
  const placed = error?.param != null && LIST_PLACED.test(error.param);
  const nameOf = (pid: string) => products.find((p) => p.id === pid);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const prices = form.entries.map((x) => ({
      product_id: x.productId,
      ...(x.tiered
        ? { tiers: { mode: x.mode, tiers: x.tiers.map((r, i) => ({ up_to: i === x.tiers.length - 1 && r.upTo.trim() === '' ? null : apiDecimal(r.upTo), unit_price: apiDecimal(r.price) })) } }
        : { unit_price: apiDecimal(x.price) }),
    }));
    const result = await run('save', () =>
      isNew
        ? api.post('/v1/price-lists', {
            body: {
              name: form.name, currency: form.currency.trim().toUpperCase(), customer_group: form.customerGroup.trim() === '' ? null : form.customerGroup.trim(),
              valid_from: form.validFrom === '' ? null : form.validFrom, valid_to: form.validTo === '' ? null : form.validTo, prices,
            },
          })
        : api.patch('/v1/price-lists/{id}', { path: { id: list.id }, body: { prices } }),
    );
    if (result === undefined) return;
    if (isNew) navigate(`/catalog/price-lists/${encodeURIComponent(result.id)}`);
    else { setSaved(true); reload(); }
  };

  const head = (key: 'name' | 'currency' | 'customerGroup' | 'validFrom' | 'validTo', param: string, label: string, props: Record<string, unknown> = {}) => {
    const fid = `list-${param}`;
    return (
      <div className="field">
        <label htmlFor={fid}>{label}</label>
        <input id={fid} value={form[key]} disabled={!write || !isNew} onChange={(e) => set({ [key]: e.target.value })} {...invalidProps(`${fid}-error`, err(param))} {...props} />
        <FieldError id={`${fid}-error`} error={err(param)} />
      </div>
    );
  };

  return (
    <>
      <div className="page-head">
        <h1 id="price-list-title">{isNew ? t('catalog.newPriceList') : list.name}</h1>
      </div>
      {saved && <p className="notice" role="status">{t('catalog.saved')}</p>}
      <form className="card price-list-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="price-list-title">
        {error && !placed && <FormError error={error} />}
        {error && placed && <p className="visually-hidden" role="alert">{error.message}</p>}
        <fieldset>
          <legend>{t('catalog.priceListDetails')}</legend>
          <div className="form-grid">
            {head('name', 'name', t('catalog.name'), { required: true, maxLength: 200, autoFocus: isNew })}
            {head('currency', 'currency', t('catalog.currency'), { required: true, maxLength: 3 })}
            {head('customerGroup', 'customer_group', t('catalog.customerGroup'), { maxLength: 64, placeholder: isNew ? t('catalog.everyCustomer') : undefined })}
            {head('validFrom', 'valid_from', t('catalog.validFrom'), { type: 'date' })}
            {head('validTo', 'valid_to', t('catalog.validTo'), { type: 'date' })}
          </div>
          {!isNew && <p className="hint">{t('catalog.listFixedHint')}</p>}
        </fieldset>
        <fieldset>
          <legend>{t('catalog.entries')}</legend>
          {err('prices') && <FieldError id="list-prices-error" error={err('prices')} />}
          {form.entries.length === 0 && <Empty>{t('catalog.entriesEmpty')}</Empty>}
          <ol className="entries">
            {form.entries.map((x, i) => {
              const fid = `entry-${x.uid}`;
              const p = `prices.${i}`;
              const product = nameOf(x.productId);
              return (
                <li key={x.uid} className="entry" data-testid="price-entry">
                  <div className="entry-head">
                    <div className="field">
                      <label htmlFor={`${fid}-product`}>{t('catalog.entryProductN', { n: i + 1 })}</label>
                      <select id={`${fid}-product`} value={x.productId} disabled={!write || x.saved} onChange={(e) => setEntry(x.uid, { productId: e.target.value })} {...invalidProps(`${fid}-product-error`, err(`${p}.product_id`) ?? err(p))}>
                        <option value="">{t('catalog.chooseProduct')}</option>
                        {products.map((o) => <option key={o.id} value={o.id}>{o.sku} · {o.name}</option>)}
                      </select>
                      <FieldError id={`${fid}-product-error`} error={err(`${p}.product_id`) ?? err(p)} />
                    </div>
                    <div className="field">
                      <label htmlFor={`${fid}-pricing`}>{t('catalog.entryPricingN', { n: i + 1 })}</label>
                      <select id={`${fid}-pricing`} value={x.tiered ? x.mode : 'flat'} disabled={!write} onChange={(e) => setEntry(x.uid, e.target.value === 'flat' ? { tiered: false } : { tiered: true, mode: e.target.value as TierMode, tiers: x.tiers.length === 0 ? [{ uid: uid(), upTo: '', price: '' }] : x.tiers })}>
                        <option value="flat">{t('catalog.flatPrice')}</option>
                        <option value="graduated">{t('catalog.tierMode.graduated')}</option>
                        <option value="volume">{t('catalog.tierMode.volume')}</option>
                      </select>
                    </div>
                    {!x.tiered && (
                      <div className="field">
                        <label htmlFor={`${fid}-price`}>{t('catalog.entryPriceN', { n: i + 1, currency: form.currency })}</label>
                        <input id={`${fid}-price`} className="num-input" inputMode="decimal" value={x.price} disabled={!write} onChange={(e) => setEntry(x.uid, { price: e.target.value })} {...invalidProps(`${fid}-price-error`, err(`${p}.unit_price`))} />
                        <FieldError id={`${fid}-price-error`} error={err(`${p}.unit_price`)} />
                      </div>
                    )}
                    {write && !x.saved && <button type="button" className="button button-small" onClick={() => set({ entries: form.entries.filter((y) => y.uid !== x.uid) })}>{t('catalog.removeEntryN', { n: i + 1 })}</button>}
                  </div>
                  {product && product.unit_prices.length > 0 && <p className="hint">{t('catalog.listPriceIs')} {product.unit_prices.map((m, k) => <span key={m.currency}>{k > 0 && ', '}<Money value={m} /></span>)}</p>}
                  {x.tiered && (
                    <>
                      {err(`${p}.tiers`) && <FieldError id={`${fid}-tiers-error`} error={err(`${p}.tiers`)} />}
                      <table className="table table-compact tiers" data-testid="tiers">
                        <caption>{t('catalog.tiersOfN', { n: i + 1 })}</caption>
                        <thead>
                          <tr>
                            <th scope="col">{t('catalog.tier')}</th>
                            <th scope="col" className="num">{t('catalog.upTo')}</th>
                            <th scope="col" className="num">{t('catalog.tierPrice', { currency: form.currency })}</th>
                            {write && <th scope="col"><span className="visually-hidden">{t('catalog.rowActions')}</span></th>}
                          </tr>
                        </thead>
                        <tbody>
                          {x.tiers.map((r, k) => {
                            const rid = `${fid}-tier-${r.uid}`;
                            const setTier = (patch: Partial<TierRow>) => setEntry(x.uid, { tiers: x.tiers.map((y) => (y.uid === r.uid ? { ...y, ...patch } : y)) });
                            const tp = `${p}.tiers.tiers.${k}`;
                            return (
                              <tr key={r.uid}>
                                <th scope="row">{k + 1}</th>
                                <td className="num">
                                  <label htmlFor={`${rid}-upto`} className="visually-hidden">{t('catalog.upToN', { n: k + 1 })}</label>
                                  <input id={`${rid}-upto`} className="num-input" inputMode="decimal" value={r.upTo} disabled={!write} placeholder={k === x.tiers.length - 1 ? t('catalog.noLimit') : undefined} onChange={(e) => setTier({ upTo: e.target.value })} {...invalidProps(`${rid}-upto-error`, err(`${tp}.up_to`))} />
                                  <FieldError id={`${rid}-upto-error`} error={err(`${tp}.up_to`)} />
                                </td>
                                <td className="num">
                                  <label htmlFor={`${rid}-price`} className="visually-hidden">{t('catalog.tierPriceN', { n: k + 1 })}</label>
                                  <input id={`${rid}-price`} className="num-input" inputMode="decimal" value={r.price} disabled={!write} onChange={(e) => setTier({ price: e.target.value })} {...invalidProps(`${rid}-price-error`, err(`${tp}.unit_price`))} />
                                  <FieldError id={`${rid}-price-error`} error={err(`${tp}.unit_price`)} />
                                </td>
                                {write && <td>{x.tiers.length > 1 && <button type="button" className="button button-small" onClick={() => setEntry(x.uid, { tiers: x.tiers.filter((y) => y.uid !== r.uid) })}>{t('catalog.removeTierN', { n: k + 1 })}</button>}</td>}
                              </tr>
                            );
                          })}
                        </tbody>
                      </table>
                      <p className="hint">{t('catalog.tiersHint')}</p>
                      {write && <p><button type="button" className="button button-small" onClick={() => setEntry(x.uid, { tiers: [...x.tiers, { uid: uid(), upTo: '', price: '' }] })}>{t('catalog.addTierTo', { n: i + 1 })}</button></p>}
                    </>
                  )}
                </li>
              );
            })}
          </ol>
          {write && <p><button type="button" className="button" onClick={() => set({ entries: [...form.entries, newEntry()] })}>{t('catalog.addEntry')}</button></p>}
          {!isNew && <p className="hint">{t('catalog.entriesHint')}</p>}
        </fieldset>
        {write && (
          <div className="actions">
            <button type="submit" className="button button-primary" disabled={busy !== null}>{busy !== null ? t('customers.saving') : isNew ? t('catalog.createPriceList') : t('catalog.savePriceList')}</button>
            <Link to="/catalog/price-lists" className="button">{t('customers.cancel')}</Link>
          </div>
        )}
      </form>
    </>
  );
}

// ------------------------------------------------------------------ product groups

export function GroupsPage() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('catalog.groups'));
  const [round, setRound] = useState(0);
  return (
    <section aria-labelledby="groups-title">
      <div className="page-head">
        <h1 id="groups-title">{t('catalog.groups')}</h1>
      </div>
      {may('catalog.write') && <NewGroup onCreated={() => setRound((r) => r + 1)} />}
      <ListView
        key={round}
        path="/v1/product-groups"
        caption={t('catalog.groups')}
        empty={t('catalog.groupsEmpty')}
        rowKey={(g) => g.id}
        testId="group-list"
        columns={[
          { header: t('catalog.name'), cell: (g) => g.name },
          { header: t('customers.created'), cell: (g) => <DateText value={g.created_at} /> },
        ]}
      />
    </section>
  );
}

function NewGroup({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const { busy, error, run } = useAction();
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const g = await run('create', () => api.post('/v1/product-groups', { body: { name } }));
    if (g === undefined) return;
    setCreated(g.name);
    setName('');
    onCreated();
  };
  const nameError = errorFor(error, 'name');
  return (
    <form className="card inline-form group-form" onSubmit={(e) => void submit(e)} noValidate>
      <h2>{t('catalog.newGroup')}</h2>
      {error && nameError === null && <FormError error={error} />}
      {created !== null && <p className="notice" role="status">{t('catalog.groupCreated', { name: created })}</p>}
      <div className="field field-inline">
        <label htmlFor="group-name">{t('catalog.groupName')}</label>
        <input id="group-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} {...invalidProps('group-name-error', nameError)} />
        <button type="submit" className="button button-primary" disabled={busy !== null}>{t('catalog.createGroup')}</button>
        <FieldError id="group-name-error" error={nameError} />
      </div>
    </form>
  );
}
