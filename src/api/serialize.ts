/**
 * The JSON the API speaks, as Zod schemas (they drive the response serializer and the OpenAPI document)
 * plus one function per record that produces exactly that shape.
 *
 * Conventions: snake_case names; every object says what it is in `object`; ids are strings; money is
 * `{ "amount": "1250.00", "currency": "SEK" }` with a decimal string (never a JSON number, never a
 * bigint); quantities and percents are decimal strings ("2.5"); dates 'YYYY-MM-DD'; instants ISO 8601.
 */
import { z } from 'zod';
import { formatAmount, money } from '../core/money/money.js';
import { formatRate } from '../core/money/fx.js';
import { formatDecimal4, HUNDRED_PERCENT, type Decimal4 } from '../core/money/quantity.js';
import { divRound } from '../core/money/rounding.js';
import { MARGIN_PERCENT_ROUNDING } from '../core/pricing/engine.js';
import { AGING_BUCKETS, type AgingBucket } from '../core/receivables/aging.js';
import { TAX_CLASSES, VAT_CATEGORIES } from '../core/tax/vat.js';
import { formatDiscount, HEADER_DIFF_FIELDS, LINE_DIFF_FIELDS, type QuoteVersionDiff } from '../core/quotes/diff.js';
import type {
  AllocationRecord, RefundRecord, CustomerRecord, DeliveryRecord, InvoiceRecord, JournalEntryRecord, OpenItemRecord,
  OrderRecord, PageResult, PartySnapshot, PaymentRecord, PricedLine, ProductRecord, QuoteRecord,
  DiscountInput, LineBundle, PricingTrailStep, QuoteLineRecord, ProductGroupRecord, PriceListRecord, CustomerPriceRecord,
} from '../app/ports.js';
import { isIncludedLine } from '../app/ports.js';
import { orderProgress } from '../app/orders/progress.js';
import type { CustomerBalance } from '../app/reports/customer-balance.js';
import type { TrialBalance } from '../app/reports/trial-balance.js';
import type { AgingReport } from '../core/receivables/aging.js';

// ------------------------------------------------------------------ primitives

export const MoneyJson = z
  .object({
    amount: z.string().describe('Decimal string in major units with the currency\'s decimals, e.g. "1250.00"'),
    currency: z.string().describe('ISO 4217 code'),
  })
  .meta({ id: 'Money' });
export type MoneyJson = z.output<typeof MoneyJson>;

const Decimal = z.string().describe('Exact decimal as a string, e.g. "2.5"');
export const DateJson = z.iso.date();
export const Instant = z.iso.datetime();

export const moneyJson = (minor: bigint, currency: string): MoneyJson => ({ amount: formatAmount(money(minor, currency)), currency });
const dec = (d: Decimal4): string => formatDecimal4(d);
const instant = (d: Date): string => d.toISOString();
const instantOrNull = (d: Date | null): string | null => (d === null ? null : d.toISOString());

// ------------------------------------------------------------------ lists

export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({
    object: z.literal('list'),
    data: z.array(item),
    has_more: z.boolean(),
    next_cursor: z
      .string()
      .nullable()
      .optional()
      .describe('Sortable lists, when has_more: pass as `cursor` for the next page in the same sort (absent on the last page)'),
  });
}

/**
 * The opaque `cursor` of a keyset page: base64url of [sort, value, id], so a cursor names the sort it
 * was made in (http.ts pageOfList refuses it under another) and carries the last row's position.
 */
export function encodeCursor(next: { sort: string; value: string | null; id: string }): string {
  return Buffer.from(JSON.stringify([next.sort, next.value, next.id]), 'utf8').toString('base64url');
}

export async function listJson<R, J>(
  page: PageResult<R>,
  map: (r: R) => J | Promise<J>,
): Promise<{ object: 'list'; data: J[]; has_more: boolean; next_cursor?: string | null }> {
  const data: J[] = [];
  for (const r of page.data) data.push(await map(r));
  // only keyset lists (repositories that set `next`) carry next_cursor, and only when more follow:
  // a last page's JSON stays as it always was
  if (page.next === undefined || page.next === null) return { object: 'list', data, has_more: page.hasMore };
  return { object: 'list', data, has_more: page.hasMore, next_cursor: encodeCursor(page.next) };
}

/** A postal address as every party (customer, seller, buyer, company) shows it. */
export const AddressJson = z.object({
  line1: z.string().nullable(),
  line2: z.string().nullable(),
  postal_code: z.string().nullable(),
  city: z.string().nullable(),
});

export const addressJson = (a: {
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
}): z.output<typeof AddressJson> => ({ line1: a.addressLine1, line2: a.addressLine2, postal_code: a.postalCode, city: a.city });

// ------------------------------------------------------------------ customers

export const CustomerJson = z
  .object({
    object: z.literal('customer'),
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    country: z.string(),
    currency: z.string(),
    org_number: z.string().nullable(),
    vat_number: z.string().nullable(),
    payment_terms_days: z.number().int(),
    address: AddressJson,
    customer_group: z.string().nullable().describe('Selects the price lists for this customer group'),
    credit_limit: MoneyJson.nullable().describe("Open balance + a new order's total above this puts the order on credit hold; null = no limit"),
    created_at: Instant,
  })
  .meta({ id: 'Customer' });

export const customerJson = (c: CustomerRecord): z.output<typeof CustomerJson> => ({
  object: 'customer',
  id: c.id,
  name: c.name,
  email: c.email,
  country: c.country,
  currency: c.currency,
  org_number: c.orgNumber,
  vat_number: c.vatNumber,
  payment_terms_days: c.paymentTermsDays,
  address: addressJson(c),
  customer_group: c.customerGroup,
  credit_limit: c.creditLimitMinor === null ? null : moneyJson(c.creditLimitMinor, c.currency),
  created_at: instant(c.createdAt),
});

export const CustomerBalanceJson = z
  .object({
    object: z.literal('customer_balance'),
    customer_id: z.string(),
    base_currency: z.string().describe('The currency the ledger is kept in (decision 0008)'),
    balances: z.array(
      z.object({
        currency: z.string(),
        balance: MoneyJson.describe('Open invoices in this currency (the receivables subledger)'),
        credit: MoneyJson.describe('Unapplied payments in this currency: customer credit, never netted against the balance'),
        balance_base: MoneyJson.describe('The base value of the open invoices (Σ base_open)'),
        credit_base: MoneyJson.describe('The base value of the unapplied payments'),
      }),
    ),
    balance_base: MoneyJson.describe('All open invoices in the base currency'),
    ledger_receivable: MoneyJson.describe('The receivable control account for this customer, in the base currency; equals balance_base unless something drifted'),
    matches: z.boolean().describe('balance_base = ledger_receivable'),
  })
  .meta({ id: 'CustomerBalance' });

export const customerBalanceJson = (customerId: string, b: CustomerBalance): z.output<typeof CustomerBalanceJson> => ({
  object: 'customer_balance',
  customer_id: customerId,
  base_currency: b.baseCurrency,
  balances: b.currencies.map((r) => ({
    currency: r.currency,
    balance: moneyJson(r.receivableMinor, r.currency),
    credit: moneyJson(r.creditMinor, r.currency),
    balance_base: moneyJson(r.receivableBaseMinor, b.baseCurrency),
    credit_base: moneyJson(r.creditBaseMinor, b.baseCurrency),
  })),
  balance_base: moneyJson(b.receivableBaseMinor, b.baseCurrency),
  ledger_receivable: moneyJson(b.ledgerReceivableMinor, b.baseCurrency),
  matches: b.matches,
});

// ------------------------------------------------------------------ products

export const ProductJson = z
  .object({
    object: z.literal('product'),
    id: z.string(),
    sku: z.string(),
    name: z.string(),
    unit: z.string().describe('UN/ECE Recommendation 20 unit code, e.g. C62 (one), HUR (hour)'),
    tax_class: z.enum(TAX_CLASSES),
    active: z.boolean(),
    unit_prices: z.array(MoneyJson),
    group_id: z.string().nullable(),
    unit_cost: MoneyJson.nullable().describe("Cost per unit in the tenant's base currency (for margins)"),
    kind: z.enum(['goods', 'service']),
    stock_tracked: z.boolean(),
    bundle: z
      .object({
        pricing: z.enum(['sum', 'fixed']).describe("'sum': the components' prices added up; 'fixed': the bundle's own price"),
        display: z.enum(['expanded', 'collapsed']).describe('Documents list the components under the line (expanded) or not'),
        components: z.array(z.object({ product_id: z.string(), quantity: Decimal.describe('Per unit of the bundle') })),
      })
      .nullable()
      .describe('Set when the product is a bundle of other products'),
    created_at: Instant,
  })
  .meta({ id: 'Product' });

export const productJson = (p: ProductRecord, baseCurrency: string): z.output<typeof ProductJson> => ({
  object: 'product',
  id: p.id,
  sku: p.sku,
  name: p.name,
  unit: p.unit,
  tax_class: p.taxClass,
  active: p.active,
  unit_prices: Object.keys(p.unitPrices)
    .sort()
    .map((currency) => moneyJson(p.unitPrices[currency] ?? 0n, currency)),
  group_id: p.groupId,
  unit_cost: p.unitCostMinor === null ? null : moneyJson(p.unitCostMinor, baseCurrency),
  kind: p.kind,
  stock_tracked: p.stockTracked,
  bundle:
    p.bundle === null
      ? null
      : {
          pricing: p.bundle.pricing,
          display: p.bundle.display,
          components: p.bundle.components.map((c) => ({ product_id: c.productId, quantity: dec(c.quantity) })),
        },
  created_at: instant(p.createdAt),
});

export const ProductGroupJson = z
  .object({ object: z.literal('product_group'), id: z.string(), name: z.string(), created_at: Instant })
  .meta({ id: 'ProductGroup' });

export const productGroupJson = (g: ProductGroupRecord): z.output<typeof ProductGroupJson> => ({
  object: 'product_group',
  id: g.id,
  name: g.name,
  created_at: instant(g.createdAt),
});

export const PriceListJson = z
  .object({
    object: z.literal('price_list'),
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    customer_group: z.string().nullable().describe('null: a general price list for every customer'),
    valid_from: DateJson.nullable(),
    valid_to: DateJson.nullable(),
    prices: z.array(
      z.object({
        product_id: z.string(),
        unit_price: MoneyJson.nullable(),
        tiers: z
          .object({
            mode: z.enum(['graduated', 'volume']),
            tiers: z.array(z.object({ up_to: Decimal.nullable(), unit_price: MoneyJson })),
          })
          .nullable(),
      }),
    ),
    created_at: Instant,
  })
  .meta({ id: 'PriceList' });

export const priceListJson = (p: PriceListRecord): z.output<typeof PriceListJson> => ({
  object: 'price_list',
  id: p.id,
  name: p.name,
  currency: p.currency,
  customer_group: p.customerGroup,
  valid_from: p.validFrom,
  valid_to: p.validTo,
  prices: p.prices.map((x) => ({
    product_id: x.productId,
    unit_price: x.unitPriceMinor === null ? null : moneyJson(x.unitPriceMinor, p.currency),
    tiers:
      x.tiers === null
        ? null
        : {
            mode: x.tiers.mode,
            tiers: x.tiers.tiers.map((t) => ({ up_to: t.upTo === null ? null : dec(t.upTo), unit_price: moneyJson(t.unitPriceMinor, p.currency) })),
          },
  })),
  created_at: instant(p.createdAt),
});

export const CustomerPriceJson = z
  .object({
    object: z.literal('customer_price'),
    id: z.string(),
    customer_id: z.string(),
    product_id: z.string(),
    unit_price: MoneyJson,
    valid_from: DateJson.nullable(),
    valid_to: DateJson.nullable(),
    created_at: Instant,
  })
  .meta({ id: 'CustomerPrice' });

export const customerPriceJson = (p: CustomerPriceRecord): z.output<typeof CustomerPriceJson> => ({
  object: 'customer_price',
  id: p.id,
  customer_id: p.customerId,
  product_id: p.productId,
  unit_price: moneyJson(p.unitPriceMinor, p.currency),
  valid_from: p.validFrom,
  valid_to: p.validTo,
  created_at: instant(p.createdAt),
});

// ------------------------------------------------------------------ priced lines (quotes, orders, invoices)

const pricedLineShape = {
  line_no: z.number().int(),
  product_id: z.string().nullable(),
  description: z.string(),
  quantity: Decimal,
  unit: z.string(),
  unit_price: MoneyJson,
  discount_percent: Decimal,
  gross_amount: MoneyJson,
  discount_amount: MoneyJson,
  net_amount: MoneyJson,
  vat_rate: Decimal,
  vat_category: z.enum(VAT_CATEGORIES),
};

function pricedLineJson(l: PricedLine, currency: string) {
  return {
    line_no: l.lineNo,
    product_id: l.productId,
    description: l.description,
    quantity: dec(l.quantity),
    unit: l.unit,
    unit_price: moneyJson(l.unitPriceMinor, currency),
    discount_percent: dec(l.discountPercent),
    gross_amount: moneyJson(l.grossAmountMinor, currency),
    discount_amount: moneyJson(l.discountAmountMinor, currency),
    net_amount: moneyJson(l.netAmountMinor, currency),
    vat_rate: dec(l.vatRate),
    vat_category: l.vatCategory,
  };
}

const totalsShape = { net_total: MoneyJson, vat_total: MoneyJson, gross_total: MoneyJson };
/** Quotes and orders: prices entered including VAT, and the rounding amount (BT-114) that goes with them (ADR 0009). */
const vatInclusionShape = {
  prices_include_vat: z.boolean().describe('Unit prices were entered including VAT (B2C); amounts shown are nets derived from them'),
  rounding: MoneyJson.describe('Öresavrundning (EN 16931 BT-114): the öre no net can give, so that gross_total + rounding = the entered gross; 0 unless prices_include_vat'),
  payable_total: MoneyJson.describe('gross_total + rounding'),
};
const vatInclusionJson = (d: { grossTotalMinor: bigint; pricesIncludeVat: boolean; roundingMinor: bigint; currency: string }) => ({
  prices_include_vat: d.pricesIncludeVat,
  rounding: moneyJson(d.roundingMinor, d.currency),
  payable_total: moneyJson(d.grossTotalMinor + d.roundingMinor, d.currency),
});
const totalsJson = (d: { netTotalMinor: bigint; vatTotalMinor: bigint; grossTotalMinor: bigint; currency: string }) => ({
  net_total: moneyJson(d.netTotalMinor, d.currency),
  vat_total: moneyJson(d.vatTotalMinor, d.currency),
  gross_total: moneyJson(d.grossTotalMinor, d.currency),
});

// ------------------------------------------------------------------ quotes

const DiscountJson = z
  .union([z.object({ percent: Decimal }), z.object({ amount: MoneyJson })])
  .meta({ id: 'Discount' });

const discountJson = (d: DiscountInput | null, currency: string): z.output<typeof DiscountJson> | null => {
  if (d === null) return null;
  return d.kind === 'percent' ? { percent: dec(d.percent) } : { amount: moneyJson(d.amountMinor, currency) };
};

const TrailStepJson = z
  .object({
    step: z.string().describe('manual_price, bundle_component, list_price, tier, customer_price, line_discount, quote_discount, vat'),
    message: z.string(),
    amount: MoneyJson.optional(),
    unit_price: MoneyJson.optional(),
    quantity: Decimal.optional(),
    source: z.string().optional().describe('The price list or customer price the figure comes from'),
    component_product_id: z.string().optional().describe('For the steps that price a component of a bundle'),
  })
  .meta({ id: 'PricingTrailStep' });

export const LineBundleJson = z
  .object({
    pricing: z.enum(['sum', 'fixed']),
    display: z.enum(['expanded', 'collapsed']),
    components: z.array(
      z.object({
        product_id: z.string(),
        sku: z.string(),
        description: z.string(),
        unit: z.string(),
        quantity_per_unit: Decimal,
        quantity: Decimal.describe('Line quantity × quantity per unit'),
        amount: MoneyJson.nullable().describe("Its part of the line's amount when the bundle is priced as the sum of its components"),
      }),
    ),
  })
  .meta({ id: 'LineBundle' });

const lineBundleJson = (b: LineBundle | null, currency: string): z.output<typeof LineBundleJson> | null =>
  b === null
    ? null
    : {
        pricing: b.pricing,
        display: b.display,
        components: b.components.map((c) => ({
          product_id: c.productId,
          sku: c.sku,
          description: c.description,
          unit: c.unit,
          quantity_per_unit: dec(c.quantityPerUnit),
          quantity: dec(c.quantity),
          amount: c.amountMinor === null ? null : moneyJson(c.amountMinor, currency),
        })),
      };

const trailStepJson = (t: PricingTrailStep, currency: string): z.output<typeof TrailStepJson> => ({
  step: t.step,
  message: t.message,
  ...(t.amountMinor === undefined ? {} : { amount: moneyJson(t.amountMinor, currency) }),
  ...(t.unitPriceMinor === undefined ? {} : { unit_price: moneyJson(t.unitPriceMinor, currency) }),
  ...(t.quantity === undefined ? {} : { quantity: dec(t.quantity) }),
  ...(t.source === undefined ? {} : { source: t.source }),
  ...(t.componentProductId === undefined ? {} : { component_product_id: t.componentProductId }),
});

/** margin ÷ net × 100 to four decimals (the engine's rounding); null when net is 0. */
const marginPercent = (marginMinor: bigint, netMinor: bigint): string | null =>
  netMinor === 0n ? null : dec({ scaled: divRound(marginMinor * HUNDRED_PERCENT.scaled, netMinor, MARGIN_PERCENT_ROUNDING) });

export const QuoteJson = z
  .object({
    object: z.literal('quote'),
    id: z.string(),
    number: z.string(),
    version: z.number().int(),
    root_id: z.string().describe('The first version of this quote; every version shares it'),
    previous_version_id: z.string().nullable().describe('The version this one revises'),
    customer_id: z.string(),
    currency: z.string(),
    status: z.enum(['draft', 'awaiting_approval', 'approved', 'sent', 'accepted', 'declined', 'expired', 'superseded']),
    quote_date: DateJson,
    valid_until: DateJson,
    payment_terms_days: z.number().int(),
    notes: z.string().nullable(),
    ...totalsShape,
    ...vatInclusionShape,
    sent_at: Instant.nullable(),
    accepted_at: Instant.nullable(),
    declined_at: Instant.nullable(),
    declined_reason: z.string().nullable(),
    expired_at: Instant.nullable(),
    superseded_at: Instant.nullable(),
    created_at: Instant,
    discount: DiscountJson.nullable().describe('The quote-level discount as given'),
    quote_discount_total: MoneyJson.describe('The quote discount; the lines\' quote_discount shares add up to it'),
    cost_total: MoneyJson.nullable().describe('Cost of the included lines with a known cost'),
    margin: MoneyJson.nullable().describe('Net − cost over those lines'),
    margin_percent: Decimal.nullable(),
    lines: z.array(
      z.object({
        line_key: z.string().describe('Stable across versions'),
        ...pricedLineShape,
        tax_class: z.enum(TAX_CLASSES),
        invoicing_policy: z.enum(['on_delivery', 'on_order']).describe('Copied to the order line at acceptance'),
        optional: z.boolean(),
        selected: z.boolean(),
        included: z.boolean().describe('In the totals (and the order on acceptance)'),
        discount: DiscountJson.nullable().describe('The line discount as given'),
        line_discount: MoneyJson,
        quote_discount: MoneyJson.describe("This line's share of the quote discount"),
        unit_cost: MoneyJson.nullable(),
        cost: MoneyJson.nullable(),
        margin: MoneyJson.nullable(),
        margin_percent: Decimal.nullable(),
        trail: z.array(TrailStepJson).describe('How the line was priced, step by step'),
        bundle: LineBundleJson.nullable().describe("The bundle's components as priced; null when the line is not a bundle"),
      }),
    ),
  })
  .meta({ id: 'Quote' });

export const quoteJson = (q: QuoteRecord): z.output<typeof QuoteJson> => ({
  object: 'quote',
  id: q.id,
  number: q.number,
  version: q.version,
  root_id: q.rootId,
  previous_version_id: q.previousVersionId,
  customer_id: q.customerId,
  currency: q.currency,
  status: q.status,
  quote_date: q.quoteDate,
  valid_until: q.validUntil,
  payment_terms_days: q.paymentTermsDays,
  notes: q.notes,
  ...totalsJson(q),
  ...vatInclusionJson(q),
  sent_at: instantOrNull(q.sentAt),
  accepted_at: instantOrNull(q.acceptedAt),
  declined_at: instantOrNull(q.declinedAt),
  declined_reason: q.declinedReason,
  expired_at: instantOrNull(q.expiredAt),
  superseded_at: instantOrNull(q.supersededAt),
  created_at: instant(q.createdAt),
  ...quotePricingJson(q),
  lines: q.lines.map((l) => quoteLineJson(l, q.currency)),
});

function quotePricingJson(q: QuoteRecord) {
  let costedNet = 0n;
  for (const l of q.lines) if (isIncludedLine(l) && l.costMinor !== null) costedNet += l.netAmountMinor;
  return {
    discount: discountJson(q.quoteDiscount, q.currency),
    quote_discount_total: moneyJson(q.quoteDiscountMinor, q.currency),
    cost_total: q.costTotalMinor === null ? null : moneyJson(q.costTotalMinor, q.currency),
    margin: q.marginMinor === null ? null : moneyJson(q.marginMinor, q.currency),
    margin_percent: q.marginMinor === null ? null : marginPercent(q.marginMinor, costedNet),
  };
}

function quoteLineJson(l: QuoteLineRecord, currency: string) {
  const margin = l.costMinor === null ? null : l.netAmountMinor - l.costMinor;
  return {
    line_key: l.lineKey,
    ...pricedLineJson(l, currency),
    tax_class: l.taxClass,
    invoicing_policy: l.invoicingPolicy,
    optional: l.optional,
    selected: l.selected,
    included: isIncludedLine(l),
    discount: discountJson(l.lineDiscount, currency),
    line_discount: moneyJson(l.lineDiscountMinor, currency),
    quote_discount: moneyJson(l.quoteDiscountMinor, currency),
    unit_cost: l.unitCostMinor === null ? null : moneyJson(l.unitCostMinor, currency),
    cost: l.costMinor === null ? null : moneyJson(l.costMinor, currency),
    margin: margin === null ? null : moneyJson(margin, currency),
    margin_percent: margin === null ? null : marginPercent(margin, l.netAmountMinor),
    trail: l.trail.map((t) => trailStepJson(t, currency)),
    bundle: lineBundleJson(l.bundle, currency),
  };
}

// ------------------------------------------------------------------ orders

export const OrderJson = z
  .object({
    object: z.literal('order'),
    id: z.string(),
    number: z.string(),
    quote_id: z.string(),
    customer_id: z.string(),
    currency: z.string(),
    status: z.enum(['unconfirmed', 'on_hold', 'confirmed', 'cancelled', 'closed']).describe('What may happen to the order next'),
    fulfilment_status: z
      .enum(['not_started', 'in_fulfilment', 'partially_delivered', 'delivered', 'cancelled'])
      .describe('How much of the order has been delivered, from its lines'),
    invoicing_status: z.enum(['not_invoiced', 'partially_invoiced', 'invoiced']),
    version: z.number().int().describe('1 as accepted; each amendment adds one'),
    order_date: DateJson,
    payment_terms_days: z.number().int(),
    ...totalsShape,
    ...vatInclusionShape,
    confirmed_at: Instant.nullable(),
    customer_confirmed_at: Instant.nullable().describe('When the customer confirmed this version in the portal'),
    hold_reason: z.string().nullable(),
    held_at: Instant.nullable(),
    released_at: Instant.nullable(),
    released_by: z.string().nullable(),
    cancelled_at: Instant.nullable(),
    closed_at: Instant.nullable(),
    created_at: Instant,
    lines: z.array(
      z.object({
        ...pricedLineShape,
        tax_class: z.enum(TAX_CLASSES),
        fulfilment_kind: z.enum(['goods', 'service']),
        stock_tracked: z.boolean(),
        invoicing_policy: z.enum(['on_delivery', 'on_order']),
        added_in_version: z.number().int(),
        quantity_cancelled: Decimal,
        quantity_allocated: Decimal.describe('In deliveries (created, picked, packed, shipped or delivered)'),
        quantity_reserved: Decimal.describe('Stock reserved, not yet shipped'),
        quantity_shipped: Decimal,
        quantity_delivered: Decimal,
        quantity_returned: Decimal,
        quantity_replacement: Decimal.describe('Owed or sent free of charge for claims'),
        quantity_invoiced: Decimal,
        quantity_credited: Decimal,
        net_invoiced: MoneyJson,
        bundle: LineBundleJson.nullable(),
      }),
    ),
  })
  .meta({ id: 'Order' });

function progressJson(o: OrderRecord) {
  const p = orderProgress(o);
  return { fulfilment_status: p.fulfilment, invoicing_status: p.invoicing };
}

export const orderJson = (o: OrderRecord): z.output<typeof OrderJson> => ({
  object: 'order',
  id: o.id,
  number: o.number,
  quote_id: o.quoteId,
  customer_id: o.customerId,
  currency: o.currency,
  status: o.status,
  ...progressJson(o),
  version: o.version,
  order_date: o.orderDate,
  payment_terms_days: o.paymentTermsDays,
  ...totalsJson(o),
  ...vatInclusionJson(o),
  confirmed_at: instantOrNull(o.confirmedAt),
  customer_confirmed_at: instantOrNull(o.customerConfirmedAt),
  hold_reason: o.holdReason,
  held_at: instantOrNull(o.heldAt),
  released_at: instantOrNull(o.releasedAt),
  released_by: o.releasedBy,
  cancelled_at: instantOrNull(o.cancelledAt),
  closed_at: instantOrNull(o.closedAt),
  created_at: instant(o.createdAt),
  lines: o.lines.map((l) => ({
    ...pricedLineJson(l, o.currency),
    tax_class: l.taxClass,
    fulfilment_kind: l.fulfilmentKind,
    stock_tracked: l.stockTracked,
    invoicing_policy: l.invoicingPolicy,
    added_in_version: l.addedInVersion,
    quantity_cancelled: dec(l.quantityCancelled),
    quantity_allocated: dec(l.quantityAllocated),
    quantity_reserved: dec(l.quantityReserved),
    quantity_shipped: dec(l.quantityShipped),
    quantity_delivered: dec(l.quantityDelivered),
    quantity_returned: dec(l.quantityReturned),
    quantity_replacement: dec(l.quantityReplacement),
    quantity_invoiced: dec(l.quantityInvoiced),
    quantity_credited: dec(l.quantityCredited),
    net_invoiced: moneyJson(l.netInvoicedMinor, o.currency),
    bundle: lineBundleJson(l.bundle, o.currency),
  })),
});

// ------------------------------------------------------------------ deliveries

export const DeliveryJson = z
  .object({
    object: z.literal('delivery'),
    id: z.string(),
    number: z.string(),
    order_id: z.string(),
    status: z.enum(['created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled']),
    kind: z.enum(['standard', 'replacement', 'service']).describe('replacement: free of charge for a claim; service: lines marked done'),
    warehouse_id: z.string().nullable(),
    claim_id: z.string().nullable(),
    carrier: z.string().nullable(),
    tracking_number: z.string().nullable(),
    picked_at: Instant.nullable(),
    packed_at: Instant.nullable(),
    shipped_at: Instant.nullable(),
    delivered_at: Instant.nullable(),
    delivered_on: DateJson.nullable(),
    cancelled_at: Instant.nullable(),
    proof: z.string().nullable().describe('Proof of delivery'),
    review_status: z.enum(['awaiting_review', 'accepted', 'disputed', 'deemed_accepted']).nullable().describe("The customer's review, once delivered"),
    reviewed_at: Instant.nullable(),
    created_at: Instant,
    lines: z.array(z.object({ line_no: z.number().int(), order_line_no: z.number().int(), quantity: Decimal, hours: Decimal.nullable() })),
  })
  .meta({ id: 'Delivery' });

export const deliveryJson = (d: DeliveryRecord): z.output<typeof DeliveryJson> => ({
  object: 'delivery',
  id: d.id,
  number: d.number,
  order_id: d.orderId,
  status: d.status,
  kind: d.kind,
  warehouse_id: d.warehouseId,
  claim_id: d.claimId,
  carrier: d.carrier,
  tracking_number: d.trackingNumber,
  picked_at: instantOrNull(d.pickedAt),
  packed_at: instantOrNull(d.packedAt),
  shipped_at: instantOrNull(d.shippedAt),
  delivered_at: instantOrNull(d.deliveredAt),
  delivered_on: d.deliveredOn,
  cancelled_at: instantOrNull(d.cancelledAt),
  proof: d.proof,
  review_status: d.reviewStatus,
  reviewed_at: instantOrNull(d.reviewedAt),
  created_at: instant(d.createdAt),
  lines: d.lines.map((l) => ({ line_no: l.lineNo, order_line_no: l.orderLineNo, quantity: dec(l.quantity), hours: l.hours === null ? null : dec(l.hours) })),
});

// ------------------------------------------------------------------ invoices

const PartyJson = z.object({
  name: z.string(),
  org_number: z.string().nullable(),
  vat_number: z.string().nullable(),
  country: z.string(),
  address: AddressJson,
  email: z.string().nullable(),
  bankgiro: z.string().nullable(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  f_skatt: z.boolean().nullable(),
});

const partyJson = (p: PartySnapshot): z.output<typeof PartyJson> => ({
  name: p.name,
  org_number: p.orgNumber,
  vat_number: p.vatNumber,
  country: p.country,
  address: addressJson(p),
  email: p.email ?? null,
  bankgiro: p.bankgiro ?? null,
  iban: p.iban ?? null,
  bic: p.bic ?? null,
  f_skatt: p.fSkatt ?? null,
});

/**
 * Decision 0008: the exchange rate an issued invoice or credit note used (a decimal string, units of
 * the base currency per unit of the document currency) and its totals in the tenant's base currency;
 * null on a draft.
 */
export const baseAmountsShape = {
  exchange_rate: z.string().nullable().describe('The rate to the base currency used at issue, e.g. "11.4325"; null on a draft'),
  exchange_rate_date: DateJson.nullable().describe('The date of that rate (on or before the issue date)'),
  vat_total_base: MoneyJson.nullable().describe('VAT in the base currency (EN 16931 BT-111): the VAT posted to the ledger'),
  gross_total_base: MoneyJson.nullable().describe('The gross total in the base currency'),
};
export const baseAmountsJson = (d: {
  exchangeRate?: bigint | null; exchangeRateDate?: string | null; baseCurrency?: string | null;
  vatTotalBaseMinor?: bigint | null; grossTotalBaseMinor?: bigint | null;
}) => {
  const base = d.baseCurrency ?? null;
  return {
    exchange_rate: d.exchangeRate == null ? null : formatRate(d.exchangeRate),
    exchange_rate_date: d.exchangeRateDate ?? null,
    vat_total_base: base === null || d.vatTotalBaseMinor == null ? null : moneyJson(d.vatTotalBaseMinor, base),
    gross_total_base: base === null || d.grossTotalBaseMinor == null ? null : moneyJson(d.grossTotalBaseMinor, base),
  };
};

/** written_off: nothing is open and bad-debt write-offs took some of it (POST /v1/invoices/{id}/write-offs). */
export const PAYMENT_STATUSES = ['unpaid', 'partially_paid', 'paid', 'written_off'] as const;

export const InvoiceJson = z
  .object({
    object: z.literal('invoice'),
    id: z.string(),
    series: z.string(),
    number: z.string().nullable().describe('Given when the invoice is issued'),
    status: z.enum(['draft', 'issued']),
    order_id: z.string().nullable().describe('The order invoiced; null on an invoice of several orders (a per-customer billing run): see each line\'s order_id'),
    customer_id: z.string(),
    currency: z.string(),
    issue_date: DateJson.nullable(),
    due_date: DateJson.nullable(),
    delivery_date: DateJson.nullable(),
    payment_terms_days: z.number().int(),
    payment_reference: z.string().nullable().describe('OCR reference the customer pays with'),
    ...totalsShape,
    ...baseAmountsShape,
    rounding: MoneyJson.describe('Öresavrundning (EN 16931 BT-114, decision 0009): the order\'s rounding on the invoice that completes it, else 0'),
    payable_total: MoneyJson.describe('What the invoice charges: gross_total + rounding − prepaid (BT-115)'),
    amount_due: MoneyJson.describe('What is still open: gross total + rounding − prepaid for a draft, the open item for an issued invoice'),
    payment_status: z.enum(PAYMENT_STATUSES).nullable().describe('null while the invoice is a draft; written_off when nothing is open and a bad-debt write-off took part of it'),
    written_off: MoneyJson.describe('What bad-debt write-offs took off the invoice (0 for a draft)'),
    kind: z.enum(['standard', 'deposit', 'milestone']).describe('deposit / milestone: an advance invoice of the order (decision 0010)'),
    advance_label: z.string().nullable(),
    prepaid: MoneyJson.describe('Advances deducted on this invoice, incl. VAT (BT-113); what is due is the gross total less this'),
    advance_deductions: z.array(
      z.object({
        advance_invoice_id: z.string(),
        advance_invoice_number: z.string().nullable(),
        vat_category: z.enum(VAT_CATEGORIES),
        vat_rate: Decimal,
        net_amount: MoneyJson,
        vat_amount: MoneyJson,
      }),
    ),
    seller: PartyJson.nullable(),
    buyer: PartyJson,
    issued_at: Instant.nullable(),
    created_at: Instant,
    lines: z.array(z.object({ ...pricedLineShape, order_id: z.string(), order_line_no: z.number().int() })),
    vat_breakdown: z.array(
      z.object({ vat_category: z.enum(VAT_CATEGORIES), vat_rate: Decimal, taxable_amount: MoneyJson, vat_amount: MoneyJson }),
    ),
  })
  .meta({ id: 'Invoice' });

/** `openItem` is the invoice's receivable (issued invoices have exactly one; drafts none). */
export function invoiceJson(i: InvoiceRecord, openItem: OpenItemRecord | undefined): z.output<typeof InvoiceJson> {
  const prepaidMinor = i.prepaidMinor ?? 0n;
  const roundingMinor = i.roundingMinor ?? 0n;
  const dueMinor = i.grossTotalMinor + roundingMinor - prepaidMinor;
  let amountDueMinor = dueMinor;
  let paymentStatus: (typeof PAYMENT_STATUSES)[number] | null = null;
  if (i.status === 'issued') {
    // no open item: nothing was due (a zero total, or advances deducting all of it)
    amountDueMinor = openItem?.openMinor ?? (dueMinor > 0n ? dueMinor : 0n);
    paymentStatus = amountDueMinor === 0n
      ? (openItem?.writtenOffMinor ?? 0n) > 0n ? 'written_off' : 'paid'
      : amountDueMinor < dueMinor ? 'partially_paid' : 'unpaid';
  }
  return {
    object: 'invoice',
    id: i.id,
    series: i.series,
    number: i.number,
    status: i.status,
    order_id: i.orderId,
    customer_id: i.customerId,
    currency: i.currency,
    issue_date: i.issueDate,
    due_date: i.dueDate,
    delivery_date: i.deliveryDate,
    payment_terms_days: i.paymentTermsDays,
    payment_reference: i.paymentReference,
    ...totalsJson(i),
    ...baseAmountsJson(i),
    rounding: moneyJson(roundingMinor, i.currency),
    payable_total: moneyJson(dueMinor, i.currency),
    amount_due: moneyJson(amountDueMinor, i.currency),
    payment_status: paymentStatus,
    written_off: moneyJson(openItem?.writtenOffMinor ?? 0n, i.currency),
    kind: i.kind ?? 'standard',
    advance_label: i.advanceLabel ?? null,
    prepaid: moneyJson(prepaidMinor, i.currency),
    advance_deductions: (i.advanceDeductions ?? []).map((d) => ({
      advance_invoice_id: d.advanceInvoiceId,
      advance_invoice_number: d.advanceNumber ?? null,
      vat_category: d.vatCategory,
      vat_rate: dec(d.vatRate),
      net_amount: moneyJson(d.netMinor, i.currency),
      vat_amount: moneyJson(d.vatMinor, i.currency),
    })),
    seller: i.seller === null ? null : partyJson(i.seller),
    buyer: partyJson(i.buyer),
    issued_at: instantOrNull(i.issuedAt),
    created_at: instant(i.createdAt),
    lines: i.lines.map((l) => ({ ...pricedLineJson(l, i.currency), order_id: l.orderId, order_line_no: l.orderLineNo })),
    vat_breakdown: i.vatBreakdown.map((b) => ({
      vat_category: b.vatCategory,
      vat_rate: dec(b.vatRate),
      taxable_amount: moneyJson(b.taxableMinor, i.currency),
      vat_amount: moneyJson(b.vatMinor, i.currency),
    })),
  };
}

// ------------------------------------------------------------------ payments

export const AllocationJson = z
  .object({
    object: z.literal('allocation'),
    id: z.string(),
    payment_id: z.string(),
    invoice_id: z.string(),
    amount: MoneyJson,
    applied_on: DateJson,
    created_at: Instant,
    base_amount: MoneyJson.describe('Base-currency value taken off the payment (at its rate)'),
    base_open_amount: MoneyJson.describe("Base-currency value taken off the invoice's receivable (at the invoice's rate)"),
    fx_difference: MoneyJson.describe('Realised exchange difference: > 0 gain (3960), < 0 loss (7960)'),
    write_off: MoneyJson.describe("Short rest written off within the tolerance (3740), in the payment's currency"),
    bank_fee: MoneyJson.describe("Fee the bank withheld (6570), in the payment's currency"),
    reversed_at: Instant.nullable().describe('Set when the allocation was unapplied (it is kept, never deleted)'),
    reversed_on: DateJson.nullable(),
  })
  .meta({ id: 'Allocation' });

export const allocationJson = (a: AllocationRecord, currency: string, baseCurrency: string): z.output<typeof AllocationJson> => ({
  object: 'allocation',
  id: a.id,
  payment_id: a.paymentId,
  invoice_id: a.invoiceId,
  amount: moneyJson(a.amountMinor, currency),
  applied_on: a.appliedOn,
  created_at: instant(a.createdAt),
  base_amount: moneyJson(a.baseAmountMinor, baseCurrency),
  base_open_amount: moneyJson(a.baseOpenMinor, baseCurrency),
  fx_difference: moneyJson(a.fxDifferenceMinor, baseCurrency),
  write_off: moneyJson(a.writeOffMinor ?? 0n, currency),
  bank_fee: moneyJson(a.bankFeeMinor ?? 0n, currency),
  reversed_at: a.reversedAt ? instant(a.reversedAt) : null,
  reversed_on: a.reversedOn ?? null,
});

export const RefundJson = z
  .object({
    object: z.literal('refund'),
    id: z.string(),
    payment_id: z.string(),
    amount: MoneyJson,
    base_amount: MoneyJson.describe("Base-currency value taken off the payment's customer credit (2420, at its rate)"),
    bank_base_amount: MoneyJson.describe('Base-currency value paid out of the bank (1930, at the rate on the refund date)'),
    fx_difference: MoneyJson.describe('Realised exchange difference: > 0 gain (3960), < 0 loss (7960)'),
    refunded_on: DateJson,
    reference: z.string(),
    created_at: Instant,
  })
  .meta({ id: 'Refund' });

export const refundJson = (r: RefundRecord, baseCurrency: string): z.output<typeof RefundJson> => ({
  object: 'refund',
  id: r.id,
  payment_id: r.paymentId,
  amount: moneyJson(r.amountMinor, r.currency),
  base_amount: moneyJson(r.baseAmountMinor, baseCurrency),
  bank_base_amount: moneyJson(r.bankBaseMinor, baseCurrency),
  fx_difference: moneyJson(r.fxDifferenceMinor, baseCurrency),
  refunded_on: r.refundedOn,
  reference: r.reference,
  created_at: instant(r.createdAt),
});

export const PaymentJson = z
  .object({
    object: z.literal('payment'),
    id: z.string(),
    customer_id: z.string().nullable(),
    amount: MoneyJson,
    unapplied_amount: MoneyJson.describe('Not yet applied to invoices: customer credit'),
    received_on: DateJson,
    payer_name: z.string().nullable(),
    payer_account: z.string().nullable(),
    reference_text: z.string().nullable(),
    matched_invoice_id: z.string().nullable(),
    match_method: z.enum(['ocr_reference', 'invoice_number']).nullable(),
    created_at: Instant,
    exchange_rate: z.string().describe('The rate to the base currency on the received date ("1" in the base currency)'),
    base_amount: MoneyJson.describe('The amount in the base currency'),
    base_unapplied_amount: MoneyJson.describe('The unapplied amount in the base currency (customer credit on 2420)'),
    status: z.enum(['received', 'returned']).describe('returned: the bank returned it; its allocations and receipt are reversed'),
    returned_on: DateJson.nullable(),
    return_reason: z.string().nullable(),
    allocations: z.array(AllocationJson).describe('Every allocation, unapplied ones included (reversed_at set)'),
    refunds: z.array(RefundJson),
  })
  .meta({ id: 'Payment' });

export const paymentJson = (p: PaymentRecord, allocations: AllocationRecord[], refunds: RefundRecord[] = []): z.output<typeof PaymentJson> => ({
  object: 'payment',
  id: p.id,
  customer_id: p.customerId,
  amount: moneyJson(p.amountMinor, p.currency),
  unapplied_amount: moneyJson(p.unappliedMinor, p.currency),
  received_on: p.receivedOn,
  payer_name: p.payerName,
  payer_account: p.payerAccount,
  reference_text: p.referenceText,
  matched_invoice_id: p.matchedInvoiceId,
  match_method: p.matchMethod,
  created_at: instant(p.createdAt),
  exchange_rate: formatRate(p.exchangeRate),
  base_amount: moneyJson(p.baseAmountMinor, p.baseCurrency),
  base_unapplied_amount: moneyJson(p.baseUnappliedMinor, p.baseCurrency),
  status: p.status ?? 'received',
  returned_on: p.returnedOn ?? null,
  return_reason: p.returnReason ?? null,
  allocations: allocations.map((a) => allocationJson(a, p.currency, p.baseCurrency)),
  refunds: refunds.map((r) => refundJson(r, p.baseCurrency)),
});

// ------------------------------------------------------------------ ledger

export const JournalEntryJson = z
  .object({
    object: z.literal('journal_entry'),
    id: z.string(),
    series: z.string(),
    fiscal_year: z.number().int(),
    number: z.number().int(),
    entry_date: DateJson,
    description: z.string(),
    source_type: z.string(),
    source_id: z.string(),
    reverses_entry_id: z.string().nullable(),
    document_date: DateJson.nullable().describe("The source document's own date when it was posted later, in the first open period (its own period was closed); null otherwise"),
    created_by: z.string().nullable().describe('Who posted the entry (API key, user, cli, system); null for entries from before this was kept'),
    created_at: Instant,
    lines: z.array(
      z.object({
        line_no: z.number().int(),
        account: z.string(),
        debit: MoneyJson,
        credit: MoneyJson,
        customer_id: z.string().nullable(),
        amount_currency: z.string().nullable().describe('The transaction currency the line was converted from; null in the base currency'),
        amount: MoneyJson.nullable().describe('The transaction-currency amount, on the same side as the line; null in the base currency'),
      }),
    ),
  })
  .meta({ id: 'JournalEntry' });

export const journalEntryJson = (e: JournalEntryRecord): z.output<typeof JournalEntryJson> => ({
  object: 'journal_entry',
  id: e.id,
  series: e.series,
  fiscal_year: e.fiscalYear,
  number: e.number,
  entry_date: e.entryDate,
  description: e.description,
  source_type: e.sourceType,
  source_id: e.sourceId,
  reverses_entry_id: e.reversesEntryId,
  document_date: e.documentDate ?? null,
  created_by: e.createdBy ?? null,
  created_at: instant(e.createdAt),
  lines: e.lines.map((l) => ({
    line_no: l.lineNo,
    account: l.account,
    debit: moneyJson(l.debitMinor, l.currency),
    credit: moneyJson(l.creditMinor, l.currency),
    customer_id: l.customerId,
    amount_currency: l.amountCurrency,
    amount: l.amountCurrency === null || l.amountMinor === null ? null : moneyJson(l.amountMinor, l.amountCurrency),
  })),
});

export const TrialBalanceJson = z
  .object({
    object: z.literal('trial_balance'),
    from: DateJson.nullable(),
    to: DateJson.nullable(),
    rows: z.array(
      z.object({
        account: z.string(),
        name: z.string().nullable(),
        currency: z.string(),
        opening: MoneyJson.describe('The balance before `from` (0 without `from`)'),
        debit: MoneyJson,
        credit: MoneyJson,
        balance: MoneyJson.describe("The period's movement: debit − credit"),
        closing: MoneyJson.describe('opening + debit − credit'),
      }),
    ),
    totals: z.array(z.object({ currency: z.string(), debit: MoneyJson, credit: MoneyJson, balanced: z.boolean() })),
  })
  .meta({ id: 'TrialBalance' });

export const trialBalanceJson = (
  filter: { from?: string | undefined; to?: string | undefined },
  tb: TrialBalance,
): z.output<typeof TrialBalanceJson> => ({
  object: 'trial_balance',
  from: filter.from ?? null,
  to: filter.to ?? null,
  rows: tb.rows.map((r) => ({
    account: r.account,
    name: r.name,
    currency: r.currency,
    opening: moneyJson(r.openingMinor, r.currency),
    debit: moneyJson(r.debitMinor, r.currency),
    credit: moneyJson(r.creditMinor, r.currency),
    balance: moneyJson(r.balanceMinor, r.currency),
    closing: moneyJson(r.closingMinor, r.currency),
  })),
  totals: tb.totals.map((t) => ({
    currency: t.currency,
    debit: moneyJson(t.debitMinor, t.currency),
    credit: moneyJson(t.creditMinor, t.currency),
    balanced: t.balanced,
  })),
});

// ------------------------------------------------------------------ reports

const BucketsJson = z.object(
  Object.fromEntries(AGING_BUCKETS.map((b) => [b, MoneyJson])) as Record<AgingBucket, typeof MoneyJson>,
);

export const AgingReportJson = z
  .object({
    object: z.literal('aging_report'),
    as_of: DateJson,
    rows: z.array(z.object({ customer_id: z.string(), currency: z.string(), buckets: BucketsJson, total: MoneyJson })),
    totals: z.array(z.object({ currency: z.string(), buckets: BucketsJson, total: MoneyJson })),
  })
  .meta({ id: 'AgingReport' });

function bucketsJson(buckets: Record<AgingBucket, bigint>, currency: string): Record<AgingBucket, MoneyJson> {
  return Object.fromEntries(AGING_BUCKETS.map((b) => [b, moneyJson(buckets[b], currency)])) as Record<AgingBucket, MoneyJson>;
}

export const agingReportJson = (r: AgingReport & { asOf: string }): z.output<typeof AgingReportJson> => ({
  object: 'aging_report',
  as_of: r.asOf,
  rows: r.rows.map((row) => ({
    customer_id: row.customerId,
    currency: row.currency,
    buckets: bucketsJson(row.buckets, row.currency),
    total: moneyJson(row.totalMinor, row.currency),
  })),
  totals: r.totals.map((t) => ({ currency: t.currency, buckets: bucketsJson(t.buckets, t.currency), total: moneyJson(t.totalMinor, t.currency) })),
});

// ------------------------------------------------------------------ errors

export const ErrorJson = z
  .object({
    error: z.object({
      type: z.enum(['invalid_request_error', 'authentication_error', 'permission_error', 'state_error', 'idempotency_error', 'api_error']),
      code: z.string(),
      message: z.string(),
      param: z.string().nullable().describe('The input field at fault as a dotted path (lines.0.quantity), or null'),
    }),
  })
  .meta({ id: 'Error' });

// ------------------------------------------------------------------ quote versions

const DiffLineJson = z.object({
  line_key: z.string(),
  line_no: z.number().int(),
  product_id: z.string().nullable(),
  description: z.string(),
  quantity: Decimal,
  unit_price: MoneyJson,
  discount: z.string().nullable().describe('"10 %" or an amount, null for none'),
  optional: z.boolean(),
  net_amount: MoneyJson,
});

export const QuoteDiffJson = z
  .object({
    object: z.literal('quote_diff'),
    quote_number: z.string(),
    from_version: z.number().int(),
    to_version: z.number().int(),
    added: z.array(DiffLineJson),
    removed: z.array(DiffLineJson),
    changed: z.array(
      z.object({
        line_key: z.string(),
        description: z.string(),
        changes: z.array(z.object({ field: z.enum(LINE_DIFF_FIELDS), from: z.string(), to: z.string() })),
        net_change: MoneyJson,
      }),
    ),
    header: z.array(z.object({ field: z.enum(HEADER_DIFF_FIELDS), from: z.string().nullable(), to: z.string().nullable() })),
    totals: z.object({ net_from: MoneyJson, net_to: MoneyJson, gross_from: MoneyJson, gross_to: MoneyJson }),
  })
  .meta({ id: 'QuoteDiff' });

export function quoteDiffJson(quote: QuoteRecord, d: QuoteVersionDiff): z.output<typeof QuoteDiffJson> {
  const c = quote.currency;
  const line = (l: QuoteVersionDiff['added'][number]) => ({
    line_key: l.lineKey,
    line_no: l.lineNo,
    product_id: l.productId,
    description: l.description,
    quantity: formatDecimal4(l.quantity),
    unit_price: moneyJson(l.unitPriceMinor, c),
    discount: l.discount === null ? null : formatDiscount(l.discount, c),
    optional: l.optional,
    net_amount: moneyJson(l.netAmountMinor, c),
  });
  return {
    object: 'quote_diff',
    quote_number: quote.number,
    from_version: d.from,
    to_version: d.to,
    added: d.added.map(line),
    removed: d.removed.map(line),
    changed: d.changed.map((x) => ({
      line_key: x.lineKey,
      description: x.description,
      changes: x.changes.map((ch) => ({ field: ch.field, from: ch.from, to: ch.to })),
      net_change: moneyJson(x.netChangeMinor, c),
    })),
    header: d.header.map((h) => ({ field: h.field, from: h.from, to: h.to })),
    totals: {
      net_from: moneyJson(d.totals.netFromMinor, c),
      net_to: moneyJson(d.totals.netToMinor, c),
      gross_from: moneyJson(d.totals.grossFromMinor, c),
      gross_to: moneyJson(d.totals.grossToMinor, c),
    },
  };
}
