/**
 * Prices quote lines with the pricing engine (core/pricing/engine): per line an explicit unit price,
 * or the product's list price (its own product_prices as the general price list, plus the price
 * lists valid on the quote date in the quote's currency, group lists beating general ones, tiers
 * included), or the customer's own price when that is lower; then the line discount (percent or
 * amount), a share of the quote-level discount, VAT by determineVatTreatment (core/tax/treatment) at
 * the quote date, and cost and margin where the product has a cost in the quote's currency (the
 * tenant's base currency).
 *
 * VAT treatment per line (see vatTreatmentInput): seller country from the tenant; buyer country and
 * VAT number from the customer; the buyer counts as a business when the customer has an org number or
 * a VAT number (q2c has no other business flag on a customer: a customer with neither is treated as a
 * consumer); the supply is services for a product of kind 'service', goods for any other product, and
 * for a line without a product services when its unit is HUR or DAY, goods otherwise; the tax class of
 * the line; tax point the quote date. A Swedish customer always gets the Swedish rate of the tax class,
 * exactly as resolveSwedishVat gives it. The category (S, Z, E, K, AE, G, O) and rate are stored on
 * the line; the exemption reason is added to the line's VAT trail step (the invoice documents derive
 * it from the category).
 * Unselected optional lines are priced and stored but left out of the totals.
 *
 * Prices including VAT (ctx.pricesIncludeVat, B2C; docs/decisions/0009-prices-including-vat.md): the
 * engine prices the lines in gross terms (manual unit prices and amount discounts as entered, VAT
 * included; list, tier and customer prices, which are net, first turned into consumer prices with
 * grossFromNet at the rate of the product's own tax class), and pricedLinesFromGross (core/tax/gross)
 * then derives the nets exactly: per VAT group net + VAT = the entered gross, the öre no net can
 * produce carried as the document's rounding (BT-114). The stored line amounts and unit price are
 * nets, as on any quote; the price as entered stays in the line's trail.
 *
 * Invoicing policy per line (invoicing_policy): 'on_delivery' unless the caller chooses 'on_order'
 * (prepayment), for goods and services alike, because services are delivered too: a service line is
 * marked done through a service completion (fulfilment/complete-service), which makes its quantity
 * invoiceable exactly like delivered goods.
 */
import { bundleUnitCost, priceQuote, type BundleInput, type Discount, type PricedComponent, type PricingLineInput } from '../../core/pricing/engine.js';
import type { CustomerPrice, PriceListPrice } from '../../core/pricing/price-lists.js';
import { formatDecimal4, ZERO_D, type Percent, type Quantity } from '../../core/money/quantity.js';
import { divRound } from '../../core/money/rounding.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { CustomerId, ProductId } from '../../core/shared/ids.js';
import type { LocalDate } from '../../core/shared/dates.js';
import { determineVatTreatment, type SupplyKind, type VatTreatment, type VatTreatmentInput } from '../../core/tax/treatment.js';
import { grossFromNet, pricedLinesFromGross } from '../../core/tax/gross.js';
import { documentTotals } from '../../core/documents/lines.js';
import { formatAmount, money } from '../../core/money/money.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type {
  CustomerRecord,
  DiscountInput,
  InvoicingPolicy,
  LineBundle,
  ProductBundle,
  ProductRecord,
  QuoteDraftContent,
  QuoteLineRecord,
  Store,
  TenantRecord,
} from '../ports.js';

export interface QuoteLineInput {
  /** Kept when a line is carried into a new version; new lines get the next free key. */
  lineKey?: string | undefined;
  productId?: ProductId | undefined;
  description?: string | undefined;
  quantity: Quantity;
  unit?: string | undefined;
  /** Overrides the product's list and customer prices; required for lines without a product. */
  unitPriceMinor?: bigint | undefined;
  /** Shorthand for discount { kind: 'percent' }. */
  discountPercent?: Percent | undefined;
  discount?: DiscountInput | undefined;
  /** Offered to the customer, in the totals only when selected. */
  optional?: boolean | undefined;
  /** For optional lines (default: not selected). */
  selected?: boolean | undefined;
  /** Overrides the product's tax class; required for lines without a product. */
  taxClass?: TaxClass | undefined;
  /** Default 'on_delivery' (module comment). */
  invoicingPolicy?: InvoicingPolicy | undefined;
}

export interface QuotePricingContext {
  customerId: CustomerId;
  currency: string;
  quoteDate: LocalDate;
  /** Unit prices (and amount discounts) are entered including VAT (module comment); default false. */
  pricesIncludeVat?: boolean | undefined;
}

export type PricedQuote = Pick<
  QuoteDraftContent,
  | 'lines'
  | 'netTotalMinor'
  | 'vatTotalMinor'
  | 'grossTotalMinor'
  | 'quoteDiscount'
  | 'quoteDiscountMinor'
  | 'costTotalMinor'
  | 'marginMinor'
  | 'pricesIncludeVat'
  | 'roundingMinor'
>;

/** The trail step that records the conversion of a line priced including VAT. */
export const PRICES_INCLUDE_VAT_STEP = 'prices_include_vat';

/** Shown as the source of a product's own list price (product_prices) in the trail. */
export const PRODUCT_LIST_PRICE_SOURCE = 'product list price';

/** Line keys are `L1`, `L2`, … in the order lines first appear in any version of the quote. */
export function nextLineKeys(usedKeys: Iterable<string>): () => string {
  let max = 0;
  for (const k of usedKeys) {
    const m = /^L(\d+)$/.exec(k);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return () => `L${++max}`;
}

/** The input that prices a stored line again the same way (for a change of the quote discount only). */
export function lineInputOf(l: QuoteLineRecord): QuoteLineInput {
  const manual = l.trail[0]?.step === 'manual_price' || l.productId === null;
  // The manual price as entered (including VAT on a quote priced so), which the first trail step keeps.
  const entered = l.trail[0]?.step === 'manual_price' ? (l.trail[0].unitPriceMinor ?? l.unitPriceMinor) : l.unitPriceMinor;
  return {
    lineKey: l.lineKey,
    productId: l.productId ?? undefined,
    description: l.description,
    quantity: l.quantity,
    unit: l.unit,
    unitPriceMinor: manual ? entered : undefined,
    discount: l.lineDiscount ?? undefined,
    optional: l.optional,
    selected: l.selected,
    taxClass: l.taxClass,
    invoicingPolicy: l.invoicingPolicy,
  };
}

/** Units (UN/ECE Rec 20) that make a line without a product a service: hours and days. */
const SERVICE_UNITS: ReadonlySet<string> = new Set(['HUR', 'DAY']);

/** Goods or services: the product's kind, or for a line without a product its unit (HUR/DAY → services). */
export function supplyKindOf(product: Pick<ProductRecord, 'kind'> | undefined, unit: string): SupplyKind {
  if (product !== undefined) return product.kind === 'service' ? 'services' : 'goods';
  return SERVICE_UNITS.has(unit.trim().toUpperCase()) ? 'services' : 'goods';
}

const present = (v: string | null): string | null => (v === null || v.trim() === '' ? null : v.trim());

/**
 * The buyer is a business when the customer has an org number or a VAT number (the only business
 * marks a customer record carries); otherwise a consumer.
 */
export function isBusinessCustomer(customer: Pick<CustomerRecord, 'orgNumber' | 'vatNumber'>): boolean {
  return present(customer.orgNumber) !== null || present(customer.vatNumber) !== null;
}

/** The treatment input of a line for this customer, seller and tax point (module comment). */
export function vatTreatmentInput(
  tenant: Pick<TenantRecord, 'country'> | undefined,
  customer: Pick<CustomerRecord, 'country' | 'orgNumber' | 'vatNumber'>,
  supply: SupplyKind,
  taxClass: TaxClass,
  taxPointDate: LocalDate,
): VatTreatmentInput {
  const sellerCountry = (tenant?.country ?? 'SE').trim().toUpperCase();
  if (sellerCountry !== 'SE') {
    throw new DomainError('unprocessable', `VAT can only be determined for a Swedish seller; the company's country is ${sellerCountry}`);
  }
  return {
    sellerCountry,
    buyerCountry: customer.country.trim().toUpperCase(),
    buyerVatNumber: present(customer.vatNumber),
    buyerIsBusiness: isBusinessCustomer(customer),
    supply,
    taxClass,
    taxPointDate,
  };
}

/** The VAT trail message with the exemption reason (when the treatment has one) and the rule that decided it. */
function vatTrailMessage(message: string, t: VatTreatment): string {
  if (t.exemptionReason === null) return t.basis === 'domestic' ? message : `${message}; ${t.basis.replaceAll('_', ' ')}`;
  return `${message}; ${t.exemptionReason.sv} / ${t.exemptionReason.en} (${t.exemptionReasonCode ?? ''}, ${t.basis.replaceAll('_', ' ')})`;
}

/** The price sources for the products on the quote, as the engine takes them. */
async function loadPriceSources(
  s: Store,
  ctx: QuotePricingContext,
  products: ProductRecord[],
  /** Turns a net price of the product into the price the engine uses (identity unless prices include VAT). */
  price: (productId: string, netMinor: bigint) => bigint = (_p, m) => m,
): Promise<{ listPrices: PriceListPrice[]; customerPrices: CustomerPrice[] }> {
  const ids = products.map((p) => p.id);
  const lists = await s.priceLists.listValidOn(ctx.currency, ctx.quoteDate, ids);
  const listPrices: PriceListPrice[] = [];
  const generalListed = new Set<string>();
  for (const list of lists) {
    for (const p of list.prices) {
      if (list.customerGroup === null) generalListed.add(p.productId);
      listPrices.push({
        priceListId: list.id,
        productId: p.productId,
        currency: list.currency,
        customerGroup: list.customerGroup,
        validFrom: list.validFrom,
        validTo: list.validTo,
        ...(p.unitPriceMinor !== null ? { unitPriceMinor: price(p.productId, p.unitPriceMinor) } : {}),
        ...(p.tiers !== null
          ? { tiers: { mode: p.tiers.mode, tiers: p.tiers.tiers.map((t) => ({ ...t, unitPriceMinor: price(p.productId, t.unitPriceMinor) })) } }
          : {}),
      });
    }
  }
  // The product's own price is the general list price unless a general price list prices it on the date.
  for (const product of products) {
    const own = product.unitPrices[ctx.currency];
    if (own === undefined || generalListed.has(product.id)) continue;
    listPrices.push({
      priceListId: PRODUCT_LIST_PRICE_SOURCE,
      productId: product.id,
      currency: ctx.currency,
      customerGroup: null,
      validFrom: null,
      validTo: null,
      unitPriceMinor: price(product.id, own),
    });
  }
  const customerPrices: CustomerPrice[] = (await s.customerPrices.listFor(ctx.customerId, ctx.currency, ids)).map((p) => ({
    customerPriceId: p.id,
    customerId: p.customerId,
    productId: p.productId,
    currency: p.currency,
    unitPriceMinor: price(p.productId, p.unitPriceMinor),
    validFrom: p.validFrom,
    validTo: p.validTo,
  }));
  return { listPrices, customerPrices };
}

function lineDiscountOf(input: QuoteLineInput, param: string): DiscountInput | null {
  if (input.discount !== undefined && input.discountPercent !== undefined) {
    throw invalid(`${param}.discount`, 'give discount or discount_percent, not both');
  }
  if (input.discount !== undefined) return input.discount;
  if (input.discountPercent !== undefined && input.discountPercent.scaled !== 0n) return { kind: 'percent', percent: input.discountPercent };
  return null;
}

/** The engine's view of a bundle product: its components with names, units and costs. */
function bundleInput(b: ProductBundle, products: Map<string, ProductRecord>, param: string): BundleInput {
  return {
    pricing: b.pricing,
    components: b.components.map((c) => {
      const p = products.get(c.productId);
      if (!p) throw notFound('product', c.productId, param);
      if (!p.active) throw new DomainError('unprocessable', `Component ${p.sku} of the bundle is archived; the bundle cannot be quoted`, param);
      return { productId: p.id, description: p.name, unit: p.unit, quantityPerUnit: c.quantity, unitCostMinor: p.unitCostMinor };
    }),
  };
}

/** The bundle as stored on the line: the engine's components with the catalog's SKUs. */
function lineBundleOf(
  b: ProductBundle | null,
  priced: readonly PricedComponent[] | null,
  products: Map<string, ProductRecord>,
): LineBundle | null {
  if (b === null || priced === null) return null;
  return {
    pricing: b.pricing,
    display: b.display,
    components: priced.map((c) => ({
      productId: c.productId as ProductId,
      sku: products.get(c.productId)?.sku ?? '',
      description: c.description,
      unit: c.unit,
      quantityPerUnit: { scaled: c.quantityPerUnit.scaled },
      quantity: { scaled: c.quantity.scaled },
      amountMinor: c.amountMinor,
    })),
  };
}

export async function priceQuoteLines(
  s: Store,
  ctx: QuotePricingContext,
  inputs: readonly QuoteLineInput[],
  quoteDiscount: DiscountInput | null = null,
  usedKeys: Iterable<string> = [],
): Promise<PricedQuote> {
  const given = inputs.flatMap((l) => (l.lineKey === undefined ? [] : [l.lineKey]));
  if (new Set(given).size !== given.length) throw invalid('lines', 'Each line_key may appear once');
  const newKey = nextLineKeys([...usedKeys, ...given]);

  const customer = await s.customers.get(ctx.customerId);
  if (!customer) throw notFound('customer', ctx.customerId, 'customer_id');
  const tenant = await s.tenant.get();
  const costsApply = tenant !== undefined && tenant.baseCurrency === ctx.currency;
  const productIds = [...new Set(inputs.flatMap((l) => (l.productId === undefined ? [] : [l.productId])))];
  const products = new Map((await s.products.getMany(productIds)).map((p) => [p.id as string, p]));
  const componentIds = [...products.values()].flatMap((p) => p.bundle?.components.map((c) => c.productId) ?? []).filter((id) => !products.has(id));
  for (const p of await s.products.getMany([...new Set(componentIds)])) products.set(p.id, p);

  const engineLines: PricingLineInput[] = [];
  const extras: {
    lineKey: string;
    productId: ProductId | null;
    description: string;
    unit: string;
    taxClass: TaxClass;
    lineDiscount: DiscountInput | null;
    unitCostMinor: bigint | null;
    bundle: ProductRecord['bundle'];
    vat: VatTreatment;
    invoicingPolicy: InvoicingPolicy;
  }[] = [];
  for (const [i, input] of inputs.entries()) {
    const param = `lines.${i}`;
    let description = input.description;
    let unit = input.unit;
    let taxClass = input.taxClass;
    let unitCostMinor: bigint | null = null;
    let bundle: BundleInput | undefined;
    let productBundle: ProductRecord['bundle'] = null;
    if (input.productId !== undefined) {
      const product = products.get(input.productId);
      if (!product) throw notFound('product', input.productId, `${param}.product_id`);
      if (!product.active) {
        throw new DomainError('unprocessable', `Product ${product.sku} is archived and cannot be quoted`, `${param}.product_id`);
      }
      description ??= product.name;
      unit ??= product.unit;
      taxClass ??= product.taxClass;
      if (costsApply) unitCostMinor = product.unitCostMinor;
      if (product.bundle !== null) {
        productBundle = product.bundle;
        bundle = bundleInput(product.bundle, products, `${param}.product_id`);
        if (costsApply && unitCostMinor === null) unitCostMinor = bundleUnitCost(bundle.components);
      }
    }
    if (description === undefined || description.trim() === '') throw invalid(`${param}.description`, `${param}.description is required for a line without a product`);
    if (input.productId === undefined && input.unitPriceMinor === undefined) {
      throw invalid(`${param}.unit_price`, `${param}.unit_price is required for a line without a product`);
    }
    if (taxClass === undefined) throw invalid(`${param}.tax_class`, `${param}.tax_class is required for a line without a product`);
    if (input.optional !== true && input.selected === false) throw invalid(`${param}.selected`, 'only an optional line can be left unselected');
    const lineDiscount = lineDiscountOf(input, param);
    const lineUnit = unit ?? 'C62';
    const supply = supplyKindOf(input.productId === undefined ? undefined : products.get(input.productId), lineUnit);
    const vat = determineVatTreatment(vatTreatmentInput(tenant, customer, supply, taxClass, ctx.quoteDate));
    const lineKey = input.lineKey ?? newKey();
    const engineDiscount: Discount | undefined = lineDiscount ?? undefined;
    engineLines.push({
      lineKey,
      productId: input.productId ?? null,
      description,
      quantity: input.quantity,
      unit: lineUnit,
      taxClass,
      vatRate: vat.rate,
      vatCategory: vat.category,
      ...(input.unitPriceMinor !== undefined ? { unitPriceMinor: input.unitPriceMinor } : {}),
      ...(engineDiscount !== undefined ? { discount: engineDiscount } : {}),
      optional: input.optional === true,
      selected: input.optional !== true || input.selected === true,
      unitCostMinor,
      ...(bundle !== undefined ? { bundle } : {}),
    });
    extras.push({
      lineKey,
      productId: input.productId ?? null,
      description,
      unit: lineUnit,
      taxClass,
      lineDiscount,
      unitCostMinor,
      bundle: productBundle,
      vat,
      invoicingPolicy: input.invoicingPolicy ?? 'on_delivery',
    });
  }

  // Prices including VAT: the net list and customer prices become consumer prices at the rate of the
  // product's own tax class for this customer and date (module comment).
  const includeVat = ctx.pricesIncludeVat === true;
  const productRates = new Map<string, Percent>();
  if (includeVat) {
    for (const p of products.values()) {
      const t = determineVatTreatment(vatTreatmentInput(tenant, customer, supplyKindOf(p, p.unit), p.taxClass, ctx.quoteDate));
      productRates.set(p.id, t.rate);
    }
  }
  const sources = await loadPriceSources(s, ctx, [...products.values()], (productId, netMinor) => {
    const rate = productRates.get(productId);
    return rate === undefined ? netMinor : grossFromNet(netMinor, rate);
  });
  const priced = priceQuote(
    {
      currency: ctx.currency,
      date: ctx.quoteDate,
      customerId: ctx.customerId,
      customerGroup: customer.customerGroup,
      listPrices: sources.listPrices,
      customerPrices: sources.customerPrices,
    },
    engineLines,
    quoteDiscount,
  );

  const lines: QuoteLineRecord[] = priced.lines.map((l, i) => {
    const x = extras[i]!;
    return {
      lineKey: l.lineKey,
      lineNo: i + 1,
      productId: x.productId,
      description: x.description,
      quantity: l.quantity,
      unit: x.unit,
      unitPriceMinor: l.unitPriceMinor,
      discountPercent: x.lineDiscount?.kind === 'percent' ? x.lineDiscount.percent : ZERO_D,
      grossAmountMinor: l.baseAmountMinor,
      discountAmountMinor: l.lineDiscountMinor + l.quoteDiscountMinor,
      netAmountMinor: l.netAmountMinor,
      taxClass: x.taxClass,
      vatRate: l.vatRate,
      vatCategory: l.vatCategory,
      lineDiscount: x.lineDiscount,
      lineDiscountMinor: l.lineDiscountMinor,
      quoteDiscountMinor: l.quoteDiscountMinor,
      optional: l.optional,
      selected: l.included,
      unitCostMinor: x.unitCostMinor,
      costMinor: l.costMinor,
      trail: l.trail.map((t) => ({
        step: t.step,
        message: t.step === 'vat' ? vatTrailMessage(t.message, x.vat) : t.message,
        ...(t.amountMinor !== undefined ? { amountMinor: t.amountMinor } : {}),
        ...(t.unitPriceMinor !== undefined ? { unitPriceMinor: t.unitPriceMinor } : {}),
        ...(t.quantity !== undefined ? { quantity: { scaled: t.quantity.scaled } } : {}),
        ...(t.source !== undefined ? { source: t.source } : {}),
        ...(t.componentProductId !== undefined ? { componentProductId: t.componentProductId } : {}),
      })),
      bundle: lineBundleOf(x.bundle, l.components, products),
      invoicingPolicy: x.invoicingPolicy,
    };
  });
  const t = priced.totals;
  if (includeVat) return toNetTerms(ctx.currency, lines, quoteDiscount);
  return {
    lines,
    netTotalMinor: t.net.minor,
    vatTotalMinor: t.vat.minor,
    grossTotalMinor: t.gross.minor,
    quoteDiscount,
    quoteDiscountMinor: t.quoteDiscountTotal.minor,
    costTotalMinor: t.cost?.minor ?? null,
    marginMinor: t.margin?.minor ?? null,
    pricesIncludeVat: false,
    roundingMinor: 0n,
  };
}

/**
 * Lines the engine priced in gross terms → the same lines in net terms (pricedLinesFromGross), with
 * the totals from the nets (documentTotals, VAT per rate) and the rounding that makes
 * net + VAT + rounding = Σ the lines' gross amounts exactly. Bundle component amounts are converted
 * each with the line's proportion and the remainder put on the last priced component, so they still
 * add up to the line's net amount before discounts.
 */
function toNetTerms(currency: string, grossLines: QuoteLineRecord[], quoteDiscount: DiscountInput | null): PricedQuote {
  const converted = pricedLinesFromGross(
    currency,
    grossLines.map((l) => ({
      quantityScaled: l.quantity.scaled,
      unitGross: l.unitPriceMinor,
      baseGross: l.grossAmountMinor,
      lineDiscountGross: l.lineDiscountMinor,
      quoteDiscountGross: l.quoteDiscountMinor,
      vatRate: l.vatRate,
      vatCategory: l.vatCategory,
      included: l.selected,
    })),
  );
  const fmt = (minor: bigint) => formatAmount(money(minor, currency));
  const lines = grossLines.map((l, i): QuoteLineRecord => {
    const n = converted.lines[i]!;
    const grossNet = l.netAmountMinor;
    const step = {
      step: PRICES_INCLUDE_VAT_STEP,
      message:
        `Prices include VAT: ${fmt(grossNet)} including ${formatDecimal4(l.vatRate)} % VAT is ${fmt(n.net)} net` +
        (l.selected ? ' (net per VAT rate derived so that net + VAT on the quote gives the entered amounts)' : '') +
        `; net unit price ${fmt(n.unitPrice)}`,
      amountMinor: n.net,
      unitPriceMinor: n.unitPrice,
    };
    return {
      ...l,
      unitPriceMinor: n.unitPrice,
      grossAmountMinor: n.base,
      discountAmountMinor: n.lineDiscount + n.quoteDiscount,
      netAmountMinor: n.net,
      lineDiscountMinor: n.lineDiscount,
      quoteDiscountMinor: n.quoteDiscount,
      trail: [...l.trail, step],
      bundle: l.bundle === null ? null : convertBundle(l.bundle, l.grossAmountMinor, n.base),
    };
  });
  const included = lines.filter((l) => l.selected);
  const totals = documentTotals(
    currency,
    included.map((l) => ({ net: money(l.netAmountMinor, currency), vatRate: l.vatRate, vatCategory: l.vatCategory })),
  );
  const enteredGross = grossLines.filter((l) => l.selected).reduce((a, l) => a + l.netAmountMinor, 0n);
  if (totals.gross.minor + converted.rounding.minor !== enteredGross) {
    throw new Error(`prices including VAT: net + VAT + rounding ${totals.gross.minor + converted.rounding.minor} is not the entered ${enteredGross}`);
  }
  const costed = included.filter((l) => l.costMinor !== null);
  return {
    lines,
    netTotalMinor: totals.net.minor,
    vatTotalMinor: totals.vat.minor,
    grossTotalMinor: totals.gross.minor,
    quoteDiscount,
    quoteDiscountMinor: included.reduce((a, l) => a + l.quoteDiscountMinor, 0n),
    costTotalMinor: costed.length === 0 ? null : costed.reduce((a, l) => a + (l.costMinor ?? 0n), 0n),
    marginMinor: costed.length === 0 ? null : costed.reduce((a, l) => a + l.netAmountMinor - (l.costMinor ?? 0n), 0n),
    pricesIncludeVat: true,
    roundingMinor: converted.rounding.minor,
  };
}

/** Component amounts (gross terms) scaled to the line's net base; the last priced component takes the remainder. */
function convertBundle(b: LineBundle, grossBase: bigint, netBase: bigint): LineBundle {
  const priced = b.components.flatMap((c, i) => (c.amountMinor === null ? [] : [i]));
  if (priced.length === 0 || grossBase === 0n) return b;
  const last = priced[priced.length - 1]!;
  let taken = 0n;
  const components = b.components.map((c, i) => {
    if (c.amountMinor === null) return c;
    const amountMinor = i === last ? netBase - taken : divRound(c.amountMinor * netBase, grossBase, 'half_up');
    taken += amountMinor;
    return { ...c, amountMinor };
  });
  return { ...b, components };
}
