/**
 * Ports: what the use cases need from persistence. src/db implements them with Kysely over PGlite or
 * PostgreSQL. Every repository is bound to one transaction and one tenant when the Store is made, so
 * a use case cannot forget the tenant filter and cannot write outside its transaction.
 *
 * Conventions: money as bigint minor units with the record's currency; quantities and percents as
 * core Decimal4 ({ scaled }: ten-thousandths); dates as 'YYYY-MM-DD' strings; instants as Date.
 * `get*` returns undefined when absent; guarded updates return false when the guard did not hold.
 */
import type {
  ApiKeyId, CustomerId, DeliveryId, InvoiceId, JournalEntryId, OpenItemId, OrderId, PaymentId,
  ProductId, QuoteId, TenantId, AllocationId, ProductGroupId, PriceListId, CustomerPriceId, Id,
} from '../core/shared/ids.js';
import type { TierMode } from '../core/pricing/tiers.js';
import type { OcrControlLevel } from '../core/receivables/ocr.js';
import type { BundlePricing } from '../core/pricing/engine.js';
import type { Quantity, Percent } from '../core/money/quantity.js';
import type { TaxClass, VatCategory } from '../core/tax/vat.js';
import type { LocalDate } from '../core/shared/dates.js';
import type { CashWeekSum, PipelineSum } from '../core/reports/dashboard.js';
import type { KpiInvoiceRow, KpiOrderRow, KpiQuoteRow } from '../core/reports/kpis.js';
import type { VatReturnDocument } from '../core/reports/vat-return.js';
import type { ApprovalRule, ApprovalSnapshot, TriggeredRule } from '../core/quotes/approvals.js';
import type { Claim, ClaimStatus, Resolution } from '../core/claims/claims.js';
import type { DunningSchedule } from '../core/receivables/dunning.js';
import type { AuditVerifyReads } from './audit/ports.js';

export interface Page {
  limit: number;
  startingAfter?: string | undefined;
  /** One of the sorts the list offers, by key (`total`, `name` …); absent = the list's default order (by id). */
  sort?: ListSort | undefined;
  /** Keyset position: the row after which this page starts, in the page's sort (a decoded cursor). */
  after?: ListPosition | undefined;
}
export interface ListSort {
  key: string;
  desc: boolean;
}
/** The last row seen: its sort value as text (null when the value is null) and its id, the tie-break. */
export interface ListPosition {
  value: string | null;
  id: string;
}
export interface PageResult<T> {
  data: T[];
  hasMore: boolean;
  /**
   * Lists that page by keyset set it: the position of the page's last row when more follow, else
   * null; with the sort it was read in (`-total`, '' for the default), so a cursor names its sort.
   */
  next?: (ListPosition & { sort: string }) | null;
}

export interface TenantRecord {
  id: TenantId;
  name: string;
  orgNumber: string | null;
  vatNumber: string | null;
  baseCurrency: string;
  country: string;
  bankgiro: string | null;
  iban: string | null;
  bic: string | null;
  fSkatt: boolean;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  email: string | null;
  phone: string | null;
  /** The company logo printed on documents (PNG or JPEG bytes); null = none. */
  logoPng: Buffer | null;
  /** Confirming an order puts it on hold when the customer has an invoice overdue by more than this many days; null = no such check. */
  creditHoldOverdueDays: number | null;
  /** Whether shipping may take stock below zero. */
  allowNegativeStock: boolean;
  /** Days the customer has to review a delivery before it is deemed accepted. */
  reviewWindowDays: number;
  /** Which payment reference an invoice gets at issue: a Swedish OCR number or an ISO 11649 RF reference. */
  paymentReferenceKind: PaymentReferenceKind;
  /** The tenant's Bankgirot OCR control level (see OcrControl in core/receivables/ocr). */
  ocrControl: OcrControlLevel;
  /** The agreed total OCR lengths (one or two, 2-25) for 'hard_fixed_length'; null for the other levels. */
  ocrLengths: number[] | null;
  /** What a billing run makes by default: one invoice per order, or per customer (currency, payment terms); absent = per_order. */
  billingGrouping?: BillingGrouping;
}

export type BillingGrouping = 'per_order' | 'per_customer';

export type PaymentReferenceKind = 'ocr' | 'rf';

/** What the company settings may change (undefined leaves a field as it is). */
export type CompanyPatch = Partial<Omit<TenantRecord, 'id' | 'baseCurrency' | 'country'>>;

export interface ApiKeyRecord {
  tenantId: TenantId;
  id: ApiKeyId;
  name: string;
  keyHash: string;
  keyPrefix: string;
  role: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  /** May create and list tenants (set from the CLI only). */
  platformAdmin: boolean;
}

export interface CustomerRecord {
  id: CustomerId;
  name: string;
  email: string | null;
  country: string;
  currency: string;
  orgNumber: string | null;
  vatNumber: string | null;
  paymentTermsDays: number;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  /** Selects the customer-group price lists that apply to the customer; null = general prices only. */
  customerGroup: string | null;
  /** Open balance + a new order above this (in the customer's currency, minor units) puts the order on hold; null = no limit. */
  creditLimitMinor: bigint | null;
  createdAt: Date;
}

export interface ProductRecord {
  id: ProductId;
  sku: string;
  name: string;
  unit: string;
  taxClass: TaxClass;
  active: boolean;
  /** currency → unit price in minor units (the general list price) */
  unitPrices: Record<string, bigint>;
  groupId: ProductGroupId | null;
  /** Cost per unit in the tenant's base currency; null when unknown. */
  unitCostMinor: bigint | null;
  /** Set when the product is a bundle of other products. */
  bundle: ProductBundle | null;
  /** Goods are shipped; services are delivered by marking lines done. */
  kind: ProductKind;
  /** Goods whose stock is kept per warehouse (reserved on confirm, taken on ship). */
  stockTracked: boolean;
  createdAt: Date;
}

export type ProductKind = 'goods' | 'service';

/** How a bundle is shown on documents: its components listed under the line, or the line alone. */
export type BundleDisplay = 'expanded' | 'collapsed';

export interface ProductBundle {
  pricing: BundlePricing;
  display: BundleDisplay;
  /** In order; each product once; never a bundle itself. */
  components: { productId: ProductId; quantity: Quantity }[];
}

/** A bundle as it was priced on a line: frozen with the line, whatever happens to the catalog later. */
export interface LineBundle {
  pricing: BundlePricing;
  display: BundleDisplay;
  components: LineBundleComponent[];
}

export interface LineBundleComponent {
  productId: ProductId;
  sku: string;
  description: string;
  unit: string;
  quantityPerUnit: Quantity;
  /** line quantity × quantityPerUnit */
  quantity: Quantity;
  /** Its part of the line's base amount for a bundle priced as the sum of its components; else null. */
  amountMinor: bigint | null;
}

export interface ProductGroupRecord {
  id: ProductGroupId;
  name: string;
  createdAt: Date;
}

export interface PriceTierRecord {
  /** Inclusive upper bound; null on the last tier. */
  upTo: Quantity | null;
  unitPriceMinor: bigint;
}

/** One product's price on a price list: exactly one of unitPriceMinor and tiers. */
export interface PriceListPriceRecord {
  productId: ProductId;
  unitPriceMinor: bigint | null;
  tiers: { mode: TierMode; tiers: PriceTierRecord[] } | null;
}

export interface PriceListRecord {
  id: PriceListId;
  name: string;
  currency: string;
  /** null = every customer (a general price list) */
  customerGroup: string | null;
  validFrom: LocalDate | null;
  validTo: LocalDate | null;
  createdAt: Date;
  prices: PriceListPriceRecord[];
}

export interface CustomerPriceRecord {
  id: CustomerPriceId;
  customerId: CustomerId;
  productId: ProductId;
  currency: string;
  unitPriceMinor: bigint;
  validFrom: LocalDate | null;
  validTo: LocalDate | null;
  createdAt: Date;
}

/** The priced line shared by quotes, orders and invoices (frozen copies of each other). */
export interface PricedLine {
  lineNo: number;
  productId: ProductId | null;
  description: string;
  quantity: Quantity;
  unit: string;
  unitPriceMinor: bigint;
  discountPercent: Percent;
  grossAmountMinor: bigint;
  discountAmountMinor: bigint;
  netAmountMinor: bigint;
  vatRate: Percent;
  vatCategory: VatCategory;
}

export type QuoteStatus =
  | 'draft'
  | 'awaiting_approval'
  | 'approved'
  | 'sent'
  | 'accepted'
  | 'declined'
  | 'expired'
  | 'superseded';

/** A discount as given: a percentage or an amount in minor units of the quote's currency. */
export type DiscountInput = { kind: 'percent'; percent: Percent } | { kind: 'amount'; amountMinor: bigint };

/** One step of the pricing engine's explanation of a line (core/pricing/engine TrailStep). */
export interface PricingTrailStep {
  step: string;
  message: string;
  amountMinor?: bigint | undefined;
  unitPriceMinor?: bigint | undefined;
  quantity?: Quantity | undefined;
  source?: string | undefined;
  /** For the steps that price a component of a bundle. */
  componentProductId?: string | undefined;
}

export interface QuoteLineRecord extends PricedLine {
  /** Stable across versions: a revised version keeps the keys of the lines it carries over. */
  lineKey: string;
  taxClass: TaxClass;
  /** The line discount as given (percent also in discountPercent); null = none. */
  lineDiscount: DiscountInput | null;
  /** discountAmountMinor = lineDiscountMinor + quoteDiscountMinor */
  lineDiscountMinor: bigint;
  /** This line's share of the quote-level discount. */
  quoteDiscountMinor: bigint;
  optional: boolean;
  /** Meaningful for optional lines; always true for the others. */
  selected: boolean;
  unitCostMinor: bigint | null;
  /** round(quantity × unit cost); null when the cost is unknown. */
  costMinor: bigint | null;
  trail: PricingTrailStep[];
  /** The line's product is a bundle: its components as priced. */
  bundle: LineBundle | null;
  /** How the order line made from it is invoiced (copied to the order line at acceptance). */
  invoicingPolicy: InvoicingPolicy;
}

/** In the totals (and copied to the order): every non-optional line, and optional lines that are selected. */
export const isIncludedLine = (l: Pick<QuoteLineRecord, 'optional' | 'selected'>): boolean => !l.optional || l.selected;

/** One version of a quote. Versions of one quote share its number and its root (the first version). */
export interface QuoteRecord {
  id: QuoteId;
  number: string;
  version: number;
  rootId: QuoteId;
  previousVersionId: QuoteId | null;
  customerId: CustomerId;
  currency: string;
  status: QuoteStatus;
  quoteDate: LocalDate;
  validUntil: LocalDate;
  paymentTermsDays: number;
  notes: string | null;
  netTotalMinor: bigint;
  vatTotalMinor: bigint;
  grossTotalMinor: bigint;
  /** The quote-level discount as given; null = none. */
  quoteDiscount: DiscountInput | null;
  /** The quote discount in minor units: Σ of the lines' shares. */
  quoteDiscountMinor: bigint;
  /** Σ cost of the included lines with a known cost; null when none has one. */
  costTotalMinor: bigint | null;
  /** Σ (net − cost) over those lines; null when none has a cost. */
  marginMinor: bigint | null;
  /** Unit prices entered including VAT (B2C); the line amounts are nets derived from them (ADR 0009). */
  pricesIncludeVat: boolean;
  /** BT-114 rounding: net + VAT + rounding = the entered gross; 0 unless pricesIncludeVat (ADR 0009). */
  roundingMinor: bigint;
  sentAt: Date | null;
  acceptedAt: Date | null;
  declinedReason: string | null;
  declinedAt: Date | null;
  expiredAt: Date | null;
  supersededAt: Date | null;
  createdAt: Date;
  lines: QuoteLineRecord[];
}

/** What a draft version's editor may change. */
export type QuoteDraftContent = Pick<
  QuoteRecord,
  | 'validUntil'
  | 'paymentTermsDays'
  | 'notes'
  | 'netTotalMinor'
  | 'vatTotalMinor'
  | 'grossTotalMinor'
  | 'quoteDiscount'
  | 'quoteDiscountMinor'
  | 'costTotalMinor'
  | 'marginMinor'
  | 'pricesIncludeVat'
  | 'roundingMinor'
  | 'lines'
>;

export type OrderStatus = 'unconfirmed' | 'on_hold' | 'confirmed' | 'cancelled' | 'closed';

export type InvoicingPolicy = 'on_delivery' | 'on_order';

/**
 * A frozen order line and its running quantities (see the migration 2300_orders_fulfilment and
 * core/orders/quantities.ts for what each counts and the invariants between them).
 */
export interface OrderLineRecord extends PricedLine {
  taxClass: TaxClass;
  /** In deliveries (created, picked, packed, shipped or delivered), replacements included. */
  quantityAllocated: Quantity;
  quantityShipped: Quantity;
  quantityDelivered: Quantity;
  quantityInvoiced: Quantity;
  netInvoicedMinor: bigint;
  quantityCancelled: Quantity;
  /** Stock reserved for the line, not yet shipped. */
  quantityReserved: Quantity;
  /** Received back from the customer. */
  quantityReturned: Quantity;
  /** Owed or sent free of charge to replace faulty goods; never invoiced. */
  quantityReplacement: Quantity;
  quantityCredited: Quantity;
  invoicingPolicy: InvoicingPolicy;
  fulfilmentKind: ProductKind;
  stockTracked: boolean;
  /** The order version that added the line (1 for the accepted quote's lines). */
  addedInVersion: number;
  /** Copied from the accepted quote line. */
  bundle: LineBundle | null;
}

export interface OrderRecord {
  id: OrderId;
  number: string;
  quoteId: QuoteId;
  customerId: CustomerId;
  currency: string;
  status: OrderStatus;
  orderDate: LocalDate;
  paymentTermsDays: number;
  netTotalMinor: bigint;
  vatTotalMinor: bigint;
  grossTotalMinor: bigint;
  /** From the accepted quote: its unit prices were entered including VAT (ADR 0009). */
  pricesIncludeVat: boolean;
  /** BT-114 rounding from the quote (plus amendments' added lines); 0 unless pricesIncludeVat. */
  roundingMinor: bigint;
  confirmedAt: Date | null;
  createdAt: Date;
  /** 1 for the order as accepted; each amendment adds one. */
  version: number;
  /** Why the order is on hold (credit check); kept after release for the record. */
  holdReason: string | null;
  heldAt: Date | null;
  releasedAt: Date | null;
  /** The API key (name or id) that released the hold. */
  releasedBy: string | null;
  /** When the customer confirmed the current version in the portal; null = not (yet) by the customer. */
  customerConfirmedAt: Date | null;
  cancelledAt: Date | null;
  closedAt: Date | null;
  lines: OrderLineRecord[];
}

/** Signed changes to an order line's running quantities; the database CHECKs refuse any that break an invariant. */
export interface OrderLineDelta {
  lineNo: number;
  allocated?: Quantity;
  shipped?: Quantity;
  delivered?: Quantity;
  invoiced?: Quantity;
  netInvoicedMinor?: bigint;
  cancelled?: Quantity;
  reserved?: Quantity;
  returned?: Quantity;
  replacement?: Quantity;
  credited?: Quantity;
}

export type DeliveryStatus = 'created' | 'picked' | 'packed' | 'shipped' | 'delivered' | 'cancelled';
/** standard: goods from the order; replacement: free of charge for a claim; service: lines marked done. */
export type DeliveryKind = 'standard' | 'replacement' | 'service';
export type DeliveryReviewStatus = 'awaiting_review' | 'accepted' | 'disputed' | 'deemed_accepted';

export interface DeliveryLineRecord {
  lineNo: number;
  orderLineNo: number;
  quantity: Quantity;
  /** Hours worked, for time-based service lines; null otherwise. */
  hours: Quantity | null;
}

export interface DeliveryRecord {
  id: DeliveryId;
  number: string;
  orderId: OrderId;
  status: DeliveryStatus;
  kind: DeliveryKind;
  /** Where stock-tracked goods are taken from; null when nothing on it is stock-tracked. */
  warehouseId: string | null;
  /** For a replacement delivery: the claim it answers. */
  claimId: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  pickedAt: Date | null;
  packedAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  deliveredOn: LocalDate | null;
  cancelledAt: Date | null;
  /** Proof of delivery as text (who signed, where it was left). */
  proof: string | null;
  /** Null until delivered. */
  reviewStatus: DeliveryReviewStatus | null;
  reviewedAt: Date | null;
  createdAt: Date;
  lines: DeliveryLineRecord[];
}

export type InvoiceStatus = 'draft' | 'issued';

export interface InvoiceLineRecord extends PricedLine {
  orderId: OrderId;
  orderLineNo: number;
}

export interface VatBreakdownRecord {
  vatCategory: VatCategory;
  vatRate: Percent;
  taxableMinor: bigint;
  vatMinor: bigint;
}

export interface PartySnapshot {
  name: string;
  orgNumber: string | null;
  vatNumber: string | null;
  country: string;
  addressLine1: string | null;
  addressLine2: string | null;
  postalCode: string | null;
  city: string | null;
  email?: string | null;
  bankgiro?: string | null;
  iban?: string | null;
  bic?: string | null;
  fSkatt?: boolean;
}

export interface InvoiceRecord {
  id: InvoiceId;
  series: string;
  number: string | null;
  status: InvoiceStatus;
  /** The order invoiced; null on an invoice of several orders (a per-customer billing run): its lines name their orders. */
  orderId: OrderId | null;
  customerId: CustomerId;
  currency: string;
  issueDate: LocalDate | null;
  dueDate: LocalDate | null;
  deliveryDate: LocalDate | null;
  paymentTermsDays: number;
  paymentReference: string | null;
  netTotalMinor: bigint;
  vatTotalMinor: bigint;
  grossTotalMinor: bigint;
  seller: PartySnapshot | null;
  buyer: PartySnapshot;
  issuedAt: Date | null;
  createdAt: Date;
  lines: InvoiceLineRecord[];
  vatBreakdown: VatBreakdownRecord[];
  /** At issue (decision 0008): the rate used (currency → baseCurrency, × RATE_SCALE), its date and the base totals; null on drafts. */
  exchangeRate?: bigint | null;
  exchangeRateDate?: LocalDate | null;
  baseCurrency?: string | null;
  /** VAT in the base currency (EN 16931 BT-111): Σ the converted VAT postings. */
  vatTotalBaseMinor?: bigint | null;
  grossTotalBaseMinor?: bigint | null;
  /** Advance invoices (decision 0010): 'deposit' / 'milestone'; absent = 'standard'. */
  kind?: InvoiceKind;
  /** A milestone's label (advances only); absent = none. */
  advanceLabel?: string | null;
  /** Σ gross of the advances this invoice deducts (BT-113); what is due is gross − prepaid. Absent = 0. */
  prepaidMinor?: bigint;
  /** What this invoice deducts of earlier advance invoices of its order; absent = none. */
  advanceDeductions?: AdvanceDeductionRecord[];  /**
   * BT-114 öre rounding (decision 0009): the order's rounding on the invoice that completes it
   * (invoiceRoundingOf), else 0. What is due is gross + rounding − prepaid. Absent = 0.
   */
  roundingMinor?: bigint;
}

export type InvoiceKind = 'standard' | 'deposit' | 'milestone';

/** One VAT group of one advance invoice deducted on a later invoice (net and VAT at the advance's rate). */
export interface AdvanceDeductionRecord {
  lineNo: number;
  advanceInvoiceId: InvoiceId;
  vatCategory: VatCategory;
  vatRate: Percent;
  netMinor: bigint;
  vatMinor: bigint;
  /** The advance's number and issue date, as loaded (not stored with the deduction). */
  advanceNumber?: string | null;
  advanceIssueDate?: LocalDate | null;
}

/** The exchange rate an issued document used and its totals in the base currency (decision 0008). */
export interface DocumentBaseAmounts {
  exchangeRate: bigint;
  exchangeRateDate: LocalDate;
  baseCurrency: string;
  vatTotalBaseMinor: bigint;
  grossTotalBaseMinor: bigint;
}

export interface InvoiceIssue {
  series: string;
  number: string;
  issueDate: LocalDate;
  dueDate: LocalDate;
  paymentReference: string;
  seller: PartySnapshot;
  issuedAt: Date;
  /** The rate and base totals (decision 0008); absent = left NULL. */
  base?: DocumentBaseAmounts | undefined;
}

export interface OpenItemRecord {
  id: OpenItemId;
  customerId: CustomerId;
  invoiceId: InvoiceId;
  currency: string;
  documentDate: LocalDate;
  dueDate: LocalDate;
  originalMinor: bigint;
  openMinor: bigint;
  /** The base-currency value of originalMinor / openMinor (1510 is posted in base, decision 0008). */
  baseOriginalMinor: bigint;
  baseOpenMinor: bigint;
  /** What bad-debt write-offs took off it (migration 3040); absent = 0. */
  writtenOffMinor?: bigint;
}

export type MatchMethod = 'ocr_reference' | 'invoice_number';

export interface PaymentRecord {
  id: PaymentId;
  customerId: CustomerId | null;
  currency: string;
  amountMinor: bigint;
  unappliedMinor: bigint;
  receivedOn: LocalDate;
  payerName: string | null;
  payerAccount: string | null;
  referenceText: string | null;
  matchedInvoiceId: InvoiceId | null;
  matchMethod: MatchMethod | null;
  createdAt: Date;
  /** The rate on the received date (currency → base, × RATE_SCALE; RATE_SCALE for the base currency). */
  exchangeRate: bigint;
  /** The tenant's base currency when the payment was received. */
  baseCurrency: string;
  baseAmountMinor: bigint;
  /** The base value of unappliedMinor (2420 is posted in base). */
  baseUnappliedMinor: bigint;
  /** 'returned': the bank returned (bounced) it; its allocations and receipt are reversed. Absent = 'received'. */
  status?: PaymentStatus;
  returnedOn?: LocalDate | null;
  returnReason?: string | null;
}

export type PaymentStatus = 'received' | 'returned';

/** Cash paid back to the customer out of a payment's unapplied amount (customer credit, 2420 / 1930). */
/** A refund above the tenant's threshold, waiting for a second finance user's approval. */
/** Who asked for a second approval, and how it was decided (refund and write-off requests). */
export interface SecondApproval {
  requestedBy: string;
  requestedAt: Date;
  status: 'pending' | 'approved' | 'rejected';
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
}

export interface RefundRequestRecord extends SecondApproval {
  id: Id<'refundRequest'>;
  paymentId: PaymentId;
  currency: string;
  amountMinor: bigint;
  /** null: the approval date. */
  refundedOn: LocalDate | null;
  reference: string;
  refundId: Id<'refund'> | null;
}

export interface RefundRequestRepo {
  insert(r: RefundRequestRecord): Promise<void>;
  get(id: Id<'refundRequest'>): Promise<RefundRequestRecord | undefined>;
  /** Locks the request row until the transaction ends. */
  getForUpdate(id: Id<'refundRequest'>): Promise<RefundRequestRecord | undefined>;
  list(page: Page, filter: { status?: RefundRequestRecord['status'] }): Promise<PageResult<RefundRequestRecord>>;
  decide(id: Id<'refundRequest'>, d: { status: 'approved' | 'rejected'; decidedBy: string; decidedAt: Date; note: string | null; refundId: Id<'refund'> | null }): Promise<void>;
  /** The tenant's threshold in base-currency minor units; null = no second approval. */
  threshold(): Promise<bigint | null>;
  setThreshold(minor: bigint | null): Promise<void>;
}

/** A bad-debt write-off of (part of) an invoice's open amount (migration 3040): D 6351 + output VAT / C 1510. */
export interface WriteOffRecord {
  id: Id<'writeOff'>;
  invoiceId: InvoiceId;
  openItemId: OpenItemId;
  customerId: CustomerId;
  currency: string;
  amountMinor: bigint;
  /** amount = net (6351) + VAT (output VAT reversed), in the invoice's currency. */
  netMinor: bigint;
  vatMinor: bigint;
  /** The base value taken off the open item (its rate). */
  baseAmountMinor: bigint;
  writtenOffOn: LocalDate;
  reason: string;
  /** The approved request it came from, when it needed a second approval. */
  requestId: Id<'writeOffRequest'> | null;
  journalEntryId: JournalEntryId | null;
  createdBy: string;
  createdAt: Date;
}

/** A write-off above the tenant's threshold, waiting for a second finance user's approval. */
export interface WriteOffRequestRecord extends SecondApproval {
  id: Id<'writeOffRequest'>;
  invoiceId: InvoiceId;
  currency: string;
  amountMinor: bigint;
  /** null: the approval date. */
  writtenOffOn: LocalDate | null;
  reason: string;
  writeOffId: Id<'writeOff'> | null;
}

export interface WriteOffRepo {
  insert(w: WriteOffRecord): Promise<void>;
  listByInvoice(invoiceId: InvoiceId): Promise<WriteOffRecord[]>;
  insertRequest(r: WriteOffRequestRecord): Promise<void>;
  getRequest(id: Id<'writeOffRequest'>): Promise<WriteOffRequestRecord | undefined>;
  /** Locks the request row until the transaction ends. */
  getRequestForUpdate(id: Id<'writeOffRequest'>): Promise<WriteOffRequestRecord | undefined>;
  listRequests(page: Page, filter: { status?: WriteOffRequestRecord['status'] }): Promise<PageResult<WriteOffRequestRecord>>;
  decideRequest(
    id: Id<'writeOffRequest'>,
    d: { status: 'approved' | 'rejected'; decidedBy: string; decidedAt: Date; note: string | null; writeOffId: Id<'writeOff'> | null },
  ): Promise<boolean>;
  /** The tenant's threshold in base-currency minor units; null = no second approval. */
  threshold(): Promise<bigint | null>;
  setThreshold(minor: bigint | null): Promise<void>;
}

export interface RefundRecord {
  id: Id<'refund'>;
  paymentId: PaymentId;
  currency: string;
  amountMinor: bigint;
  /** Base value taken off the payment's unapplied cash (debit 2420, at the payment's rate). */
  baseAmountMinor: bigint;
  /** Base value of the cash paid out (credit bank, at the refund date's rate). */
  bankBaseMinor: bigint;
  /** baseAmountMinor − bankBaseMinor: gain (> 0, 3960) or loss (< 0, 7960). */
  fxDifferenceMinor: bigint;
  refundedOn: LocalDate;
  reference: string;
  createdBy: string;
  createdAt: Date;
}

export interface AllocationRecord {
  id: AllocationId;
  paymentId: PaymentId;
  openItemId: OpenItemId;
  invoiceId: InvoiceId;
  amountMinor: bigint;
  appliedOn: LocalDate;
  createdAt: Date;
  /** Base value taken off the payment (debit 2420). */
  baseAmountMinor: bigint;
  /** Base value taken off the open item (credit 1510). */
  baseOpenMinor: bigint;
  /** baseAmountMinor − baseOpenMinor: realised FX gain (> 0, 3960) or loss (< 0, 7960). */
  fxDifferenceMinor: bigint;
  /** The short rest written off within tolerance (3740 / 1510) and its base value; absent = 0. */
  writeOffMinor?: bigint;
  writeOffBaseMinor?: bigint;
  /** A fee the bank withheld (6570 / 1510) and its base value; absent = 0. */
  bankFeeMinor?: bigint;
  bankFeeBaseMinor?: bigint;
  /** Set when the allocation was unapplied (never deleted). */
  reversedAt?: Date | null;
  reversedOn?: LocalDate | null;
  reversedBy?: string | null;
}

export interface JournalLineRecord {
  lineNo: number;
  account: string;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  customerId: CustomerId | null;
  /** The transaction currency and amount the line was converted from; null on a base-currency line. */
  amountCurrency: string | null;
  amountMinor: bigint | null;
}

export interface JournalEntryRecord {
  id: JournalEntryId;
  series: string;
  fiscalYear: number;
  number: number;
  entryDate: LocalDate;
  description: string;
  sourceType: string;
  sourceId: string;
  reversesEntryId: JournalEntryId | null;
  createdAt: Date;
  /** The source document's own date when it was posted later (its period was locked); null otherwise. */
  documentDate?: LocalDate | null;
  /** Who posted it (API key, user, 'cli', 'system'); null for entries made before this was kept. */
  createdBy?: string | null;
  lines: JournalLineRecord[];
}

export interface GeneralLedgerLine {
  entryId: JournalEntryId;
  series: string;
  fiscalYear: number;
  number: number;
  entryDate: LocalDate;
  documentDate: LocalDate | null;
  description: string;
  sourceType: string;
  sourceId: string;
  lineNo: number;
  account: string;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  customerId: CustomerId | null;
  amountCurrency: string | null;
  amountMinor: bigint | null;
}

export interface TrialBalanceRow {
  account: string;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
}

export interface AuditRecord {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  data?: unknown;
}

export interface OutboxEvent {
  eventType: string;
  payload: unknown;
}

// ---------------------------------------------------------------- repositories

export interface TenantRepo {
  get(): Promise<TenantRecord | undefined>;
  update(patch: CompanyPatch): Promise<void>;
}

export interface CustomerRepo {
  insert(c: CustomerRecord): Promise<void>;
  /** Sets the customer group (null removes it). */
  setGroup(id: CustomerId, customerGroup: string | null): Promise<void>;
  /** Changes the given fields (undefined leaves a field as it is). */
  update(id: CustomerId, patch: CustomerPatch): Promise<void>;
  get(id: CustomerId): Promise<CustomerRecord | undefined>;
  /** sort keys: name, created (default: id). `q` is a case-insensitive substring of name, id, org number or e-mail. */
  list(page: Page, filter?: { q?: string | undefined; currency?: string | undefined }): Promise<PageResult<CustomerRecord>>;
  /** Names by id, for lists that show the customer beside each row (one query per page, not per row). */
  namesOf(ids: readonly CustomerId[]): Promise<Map<CustomerId, string>>;
}

/** What a customer update may change. */
export type CustomerPatch = Partial<Omit<CustomerRecord, 'id' | 'createdAt' | 'currency'>>;

export interface ProductRepo {
  insert(p: ProductRecord): Promise<void>;
  get(id: ProductId): Promise<ProductRecord | undefined>;
  /** sort keys: name, sku (default: id). `q` is a case-insensitive substring of name or sku. */
  list(page: Page, filter?: { q?: string | undefined; active?: boolean | undefined; kind?: 'goods' | 'service' | undefined; groupId?: string | undefined }): Promise<PageResult<ProductRecord>>;
  /** Upserts the unit price for one currency. */
  setPrice(id: ProductId, currency: string, unitPriceMinor: bigint): Promise<void>;
  /** Updates name/active/group/cost; undefined leaves a field unchanged, null clears group or cost. */
  update(id: ProductId, patch: ProductPatch): Promise<void>;
  /** The products with these ids (any missing are left out). */
  getMany(ids: readonly ProductId[]): Promise<ProductRecord[]>;
  /** The bundles that have this product among their components. */
  bundlesContaining(id: ProductId): Promise<ProductId[]>;
}

export interface ProductPatch {
  name?: string | undefined;
  active?: boolean | undefined;
  groupId?: ProductGroupId | null | undefined;
  unitCostMinor?: bigint | null | undefined;
  /** null makes the product an ordinary one again; a bundle replaces the components. */
  bundle?: ProductBundle | null | undefined;
}

export interface ProductGroupRepo {
  insert(g: ProductGroupRecord): Promise<void>;
  get(id: ProductGroupId): Promise<ProductGroupRecord | undefined>;
  list(page: Page): Promise<PageResult<ProductGroupRecord>>;
}

export interface PriceListRepo {
  /** Inserts the list with its prices. */
  insert(p: PriceListRecord): Promise<void>;
  get(id: PriceListId): Promise<PriceListRecord | undefined>;
  list(page: Page): Promise<PageResult<PriceListRecord>>;
  /** Upserts prices on an existing list (one per product). */
  setPrices(id: PriceListId, prices: PriceListPriceRecord[]): Promise<void>;
  /**
   * Price lists in `currency` valid on `date` (bounds inclusive, null open), each with only its
   * prices for the given products; lists without such a price are left out.
   */
  listValidOn(currency: string, date: LocalDate, productIds: readonly ProductId[]): Promise<PriceListRecord[]>;
}

export interface CustomerPriceRepo {
  insert(p: CustomerPriceRecord): Promise<void>;
  /** Every price of the customer, oldest first. */
  listByCustomer(customerId: CustomerId): Promise<CustomerPriceRecord[]>;
  /** The customer's prices in `currency` for the given products (any validity; the engine picks). */
  listFor(customerId: CustomerId, currency: string, productIds: readonly ProductId[]): Promise<CustomerPriceRecord[]>;
}

export interface QuoteListFilter {
  allVersions?: boolean | undefined;
  statuses?: readonly string[] | undefined;
  customerId?: CustomerId | undefined;
  /** Case-insensitive substring of the quote number or the customer's name. */
  q?: string | undefined;
}

export interface OrderListFilter {
  statuses?: readonly string[] | undefined;
  customerId?: CustomerId | undefined;
  q?: string | undefined;
}

/** Payment status as the invoice JSON derives it (issued invoices only); `open` = unpaid or partially paid. */
export type InvoicePaymentStatusFilter = 'open' | 'unpaid' | 'partially_paid' | 'paid' | 'written_off';

export interface InvoiceListFilter {
  customerId?: CustomerId | undefined;
  statuses?: readonly InvoiceStatus[] | undefined;
  paymentStatuses?: readonly InvoicePaymentStatusFilter[] | undefined;
  /** Issued, something still open and due before this date. */
  overdueOn?: LocalDate | undefined;
  /** Case-insensitive substring of the number, the payment (OCR) reference or the customer's name. */
  q?: string | undefined;
}

export interface QuoteRepo {
  insert(q: QuoteRecord): Promise<void>;
  get(id: QuoteId): Promise<QuoteRecord | undefined>;
  /** Locks the quote row (SELECT ... FOR UPDATE) and returns it with its lines. */
  getForUpdate(id: QuoteId): Promise<QuoteRecord | undefined>;
  /** The latest version of each quote (or every version with allVersions); sort keys: number, date, total, valid_until (default: id). */
  list(page: Page, filter?: QuoteListFilter): Promise<PageResult<QuoteRecord>>;
  /** Every version of the quote whose first version is rootId, oldest first. */
  listVersions(rootId: QuoteId): Promise<QuoteRecord[]>;
  /** UPDATE ... WHERE status = from; false if the quote was not in `from`. Stamps the target's instant. */
  transition(id: QuoteId, from: QuoteStatus, to: QuoteStatus, at: Date): Promise<boolean>;
  /** sent → declined with the customer's reason; false if the version was not sent. */
  decline(id: QuoteId, reason: string, at: Date): Promise<boolean>;
  /** Replaces a draft version's content and lines; false if it is no longer a draft. */
  replaceDraft(id: QuoteId, content: QuoteDraftContent): Promise<boolean>;
  /** Marks the other sent versions of the quote superseded; returns their ids. */
  supersedeOthers(rootId: QuoteId, exceptId: QuoteId, at: Date): Promise<QuoteId[]>;
  /** Versions still open (draft … sent) whose validity ended before `today` become expired; returns them. */
  expireDue(today: LocalDate, at: Date): Promise<{ id: QuoteId; number: string; version: number }[]>;
}

/** A tenant's approval rule (core ApprovalRule) as stored. */
export type ApprovalRuleRecord = ApprovalRule & { readonly createdAt: Date };

export type QuoteApprovalStatus = 'requested' | 'approved' | 'rejected';

/** One request for approval of a quote version, and its decision. */
export interface QuoteApprovalRecord {
  id: Id<'quoteApproval'>;
  quoteId: QuoteId;
  version: number;
  status: QuoteApprovalStatus;
  requestedBy: string;
  requestedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  comment: string | null;
  /** The rules the version triggered. */
  triggered: TriggeredRule[];
  /** What the approval covers (approvalSnapshot); refreshed when it is approved. */
  snapshot: ApprovalSnapshot;
}

export interface ApprovalDecision {
  status: 'approved' | 'rejected';
  decidedBy: string;
  decidedAt: Date;
  comment: string | null;
  snapshot: ApprovalSnapshot;
  triggered: TriggeredRule[];
}

export interface ApprovalRepo {
  /** The active rules, in the order they were given. */
  listRules(): Promise<ApprovalRuleRecord[]>;
  /** Deactivates every active rule and inserts these as the active set. */
  replaceRules(rules: ApprovalRuleRecord[]): Promise<void>;
  insert(a: QuoteApprovalRecord): Promise<void>;
  /** The open ('requested') approval of a quote version, locked. */
  getOpenForUpdate(quoteId: QuoteId): Promise<QuoteApprovalRecord | undefined>;
  /** requested → approved | rejected; false if it was no longer requested. */
  decide(id: Id<'quoteApproval'>, decision: ApprovalDecision): Promise<boolean>;
  /** Every approval of every version of the quote whose first version is rootId, oldest first. */
  listForRoot(rootId: QuoteId): Promise<QuoteApprovalRecord[]>;
  /** The most recent approved approval of any version of the quote whose first version is rootId. */
  latestApprovedForRoot(rootId: QuoteId): Promise<QuoteApprovalRecord | undefined>;
}

export interface OrderRepo {
  insert(o: OrderRecord): Promise<void>;
  get(id: OrderId): Promise<OrderRecord | undefined>;
  getForUpdate(id: OrderId): Promise<OrderRecord | undefined>;
  /** sort keys: number, date, total (default: id). `q` is a case-insensitive substring of the number or the customer's name. */
  list(page: Page, filter?: OrderListFilter): Promise<PageResult<OrderRecord>>;
  /** Sets the status WHERE status = from (and confirmed_at / held_at / cancelled_at / closed_at to `at`); false if it had changed. */
  transition(id: OrderId, from: OrderStatus, to: OrderStatus, at: Date): Promise<boolean>;
  applyLineDeltas(id: OrderId, deltas: OrderLineDelta[]): Promise<void>;
  /** Lines an amendment adds (line numbers after the existing ones). */
  addLines(id: OrderId, lines: OrderLineRecord[]): Promise<void>;
  updateHeader(id: OrderId, patch: OrderHeaderPatch): Promise<void>;
  insertVersion(v: OrderVersionRecord): Promise<void>;
  listVersions(id: OrderId): Promise<OrderVersionRecord[]>;
  /** Marks a version confirmed (once). */
  confirmVersion(id: OrderId, version: number, at: Date, by: 'customer' | 'staff'): Promise<void>;
  insertChangeRequest(r: OrderChangeRequestRecord): Promise<void>;
  listChangeRequests(id: OrderId): Promise<OrderChangeRequestRecord[]>;
}

export type OrderHeaderPatch = Partial<
  Pick<
    OrderRecord,
    | 'version'
    | 'netTotalMinor'
    | 'vatTotalMinor'
    | 'grossTotalMinor'
    | 'roundingMinor'
    | 'holdReason'
    | 'heldAt'
    | 'releasedAt'
    | 'releasedBy'
    | 'customerConfirmedAt'
    | 'cancelledAt'
    | 'closedAt'
  >
>;

/** A change an amendment made to one line. */
export interface OrderLineChange {
  lineNo: number;
  kind: 'added' | 'quantity_changed' | 'removed';
  description: string;
  /** Decimal text, before and after (null for added / removed). */
  quantityBefore: string | null;
  quantityAfter: string | null;
  /** The change in the line's net, minor units (negative when the order gets cheaper). */
  netChangeMinor: string;
}

/** An order as one version stood: the lines and totals the customer confirms, and what changed from the last. */
export interface OrderVersionRecord {
  orderId: OrderId;
  version: number;
  lines: {
    lineNo: number;
    productId: ProductId | null;
    description: string;
    /** Ordered − cancelled in this version. */
    quantity: Quantity;
    unit: string;
    unitPriceMinor: bigint;
    netAmountMinor: bigint;
    vatRate: Percent;
  }[];
  netTotalMinor: bigint;
  vatTotalMinor: bigint;
  grossTotalMinor: bigint;
  changes: OrderLineChange[];
  reason: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  confirmedBy: 'customer' | 'staff' | null;
}

export interface OrderChangeRequestRecord {
  id: string;
  orderId: OrderId;
  version: number;
  comment: string;
  createdAt: Date;
}

export interface DeliveryRepo {
  insert(d: DeliveryRecord): Promise<void>;
  get(id: DeliveryId): Promise<DeliveryRecord | undefined>;
  getForUpdate(id: DeliveryId): Promise<DeliveryRecord | undefined>;
  listByOrder(orderId: OrderId): Promise<DeliveryRecord[]>;
  markShipped(id: DeliveryId, at: Date, carrier: string | null, trackingNumber: string | null): Promise<boolean>;
  markDelivered(id: DeliveryId, at: Date, on: LocalDate): Promise<boolean>;
  /** Sets the status and the given fields WHERE status = from; false if it had changed. */
  transition(id: DeliveryId, from: DeliveryStatus, to: DeliveryStatus, patch: DeliveryPatch): Promise<boolean>;
  /** Sets the review status of a delivered delivery WHERE its review status is one of `from`. */
  setReview(id: DeliveryId, from: DeliveryReviewStatus[], to: DeliveryReviewStatus, at: Date): Promise<boolean>;
  /** Delivered deliveries still awaiting the customer's review, delivered on or before the date. */
  listAwaitingReview(deliveredOnOrBefore: LocalDate): Promise<DeliveryId[]>;
  /**
   * The tenant's deliveries with their order's number and customer; sort keys: created, number,
   * status, shipped, delivered (default: id). `q` is a case-insensitive substring of the delivery
   * number, the order number or the customer's name.
   */
  list(page: Page, filter?: DeliveryListFilter): Promise<PageResult<DeliveryListItem>>;
}

export interface DeliveryListFilter {
  statuses?: readonly DeliveryStatus[] | undefined;
  orderId?: OrderId | undefined;
  customerId?: CustomerId | undefined;
  q?: string | undefined;
}

/** A delivery as the list shows it: with its order's number and customer. */
export interface DeliveryListItem extends DeliveryRecord {
  orderNumber: string;
  customerId: CustomerId;
  customerName: string | null;
}

export type DeliveryPatch = Partial<
  Pick<
    DeliveryRecord,
    | 'pickedAt'
    | 'packedAt'
    | 'shippedAt'
    | 'deliveredAt'
    | 'deliveredOn'
    | 'cancelledAt'
    | 'carrier'
    | 'trackingNumber'
    | 'proof'
    | 'warehouseId'
    | 'reviewStatus'
  >
>;

export interface InvoiceRepo {
  insert(i: InvoiceRecord): Promise<void>;
  get(id: InvoiceId): Promise<InvoiceRecord | undefined>;
  getForUpdate(id: InvoiceId): Promise<InvoiceRecord | undefined>;
  /** sort keys: number, issue_date, due_date, total, amount_due (default: id). */
  list(page: Page, filter?: InvoiceListFilter): Promise<PageResult<InvoiceRecord>>;
  /** The invoices of the order: its own (order_id) and those of several orders with a line of it (order_id null), by id. */
  listByOrder(orderId: OrderId): Promise<InvoiceRecord[]>;
  /** Sets number, dates, reference, seller snapshot and status 'issued' WHERE status = 'draft'. */
  issue(id: InvoiceId, issue: InvoiceIssue): Promise<boolean>;
  /** Issued invoices whose payment_reference or number is one of the given strings. */
  findIssuedByReferences(references: string[], numbers: string[]): Promise<InvoiceRecord[]>;
}

export interface OpenItemRepo {
  insert(o: OpenItemRecord): Promise<void>;
  getByInvoice(invoiceId: InvoiceId): Promise<OpenItemRecord | undefined>;
  /** Locks the rows in id order. */
  getByInvoicesForUpdate(invoiceIds: InvoiceId[]): Promise<OpenItemRecord[]>;
  /** open_minor -= amount, base_open_minor -= baseAmount (default: amount) WHERE both stay >= 0; false if that did not hold. */
  reduce(id: OpenItemId, amountMinor: bigint, baseAmountMinor?: bigint): Promise<boolean>;
  /**
   * Items with an open amount, in (customer, due date) order. With asOf: the items issued by then with
   * their open amount as it stood that day (applications after asOf not counted).
   */
  listOpen(filter: { asOf?: LocalDate; customerId?: CustomerId }): Promise<OpenItemRecord[]>;
  /** Sum of open_minor per currency, optionally for one customer. */
  openTotals(customerId?: CustomerId): Promise<{ currency: string; openMinor: bigint }[]>;
  /**
   * A bad-debt write-off: open_minor -= amount, base_open_minor -= baseAmount, written_off_minor += amount,
   * WHERE the open amounts stay >= 0; false if that did not hold.
   */
  writeOff(id: OpenItemId, amountMinor: bigint, baseAmountMinor: bigint): Promise<boolean>;
  /** open_minor += amount, base_open_minor += baseAmount WHERE they stay within the original amounts (an unapply); false if not. */
  restore(id: OpenItemId, amountMinor: bigint, baseAmountMinor: bigint): Promise<boolean>;
  /**
   * One keyset page (by id, after `afterId`, at most `limit` rows) of the items issued on or before
   * `asOf`, each with its open amount as of that date in its currency and in base (settled ones included:
   * the page is by position, so a short page means the end). The rule is in repositories/open-items.ts.
   */
  agingPage(filter: { asOf: LocalDate; customerId?: CustomerId; receivableAccount: string }, afterId: OpenItemId | null, limit: number): Promise<AgingPageItem[]>;
}

/**
 * A customer's journal lines on the receivable (1510) and customer-credit (2420) accounts, one row per
 * journal entry and transaction currency (customer statements, src/db/repositories/statements.ts).
 * Amounts are debit − credit: on the receivable a charge is positive; on customer credit, cash received
 * is negative (more credit) and credit used is positive. `*Minor` are in `currency` (the document's, from
 * amount_currency, or the base currency); `*BaseMinor` in the base currency.
 */
export interface StatementLedgerRow {
  entryId: string;
  entryDate: LocalDate;
  sourceType: string;
  sourceId: string;
  description: string;
  /** The entry reverses another (an unapply, a returned payment). */
  reversal: boolean;
  /** The document's number (invoice, credit note; the invoice an allocation paid), a payment's or refund's reference. */
  reference: string | null;
  currency: string;
  receivableMinor: bigint;
  creditMinor: bigint;
  receivableBaseMinor: bigint;
  creditBaseMinor: bigint;
}

export interface StatementRepo {
  /** Σ per transaction currency of the rows dated before `date` (the opening balance); entry fields empty. */
  balancesBefore(customerId: CustomerId, accounts: { receivable: string; customerCredit: string }, date: LocalDate): Promise<StatementLedgerRow[]>;
  /** The rows dated from..to (inclusive), in entry date order, then as posted. */
  rowsBetween(customerId: CustomerId, accounts: { receivable: string; customerCredit: string }, from: LocalDate, to: LocalDate): Promise<StatementLedgerRow[]>;
}

/** An open item as it stood on an as-of date (OpenItemRepo.agingPage). */
export interface AgingPageItem {
  id: OpenItemId;
  customerId: CustomerId;
  currency: string;
  dueDate: LocalDate;
  openMinor: bigint;
  baseOpenMinor: bigint;
}

export interface PaymentRepo {
  insert(p: PaymentRecord): Promise<void>;
  get(id: PaymentId): Promise<PaymentRecord | undefined>;
  getForUpdate(id: PaymentId): Promise<PaymentRecord | undefined>;
  list(page: Page, filter?: { unappliedOnly?: boolean; customerId?: CustomerId }): Promise<PageResult<PaymentRecord>>;
  /** unapplied_minor -= amount WHERE unapplied_minor >= amount; sets customer_id unless null. */
  reduceUnapplied(id: PaymentId, amountMinor: bigint, customerId: CustomerId | null, baseAmountMinor?: bigint): Promise<boolean>;
  /** unapplied += amount, base_unapplied += baseAmount WHERE they stay within the payment's amounts; false if not. */
  increaseUnapplied(id: PaymentId, amountMinor: bigint, baseAmountMinor: bigint): Promise<boolean>;
  /** Sum of unapplied_minor per currency for a customer. */
  unappliedTotals(customerId: CustomerId): Promise<{ currency: string; unappliedMinor: bigint }[]>;
  /** status 'returned' and nothing unapplied WHERE status = 'received' and all of it is unapplied (allocations reversed, nothing refunded); false if not. */
  markReturned(id: PaymentId, returnedOn: LocalDate, reason: string): Promise<boolean>;
  insertRefund(r: RefundRecord): Promise<void>;
  listRefunds(paymentId: PaymentId): Promise<RefundRecord[]>;
}

export interface AllocationRepo {
  insert(a: AllocationRecord): Promise<void>;
  /** Every allocation of the payment, reversed ones included, in id order. */
  listByPayment(paymentId: PaymentId): Promise<AllocationRecord[]>;
  /** The allocations in force on the invoice (reversed ones left out), in id order. */
  listByInvoice(invoiceId: InvoiceId): Promise<AllocationRecord[]>;
  /** Sets reversed_at / reversed_on / reversed_by WHERE not yet reversed; false if it already was. */
  markReversed(id: AllocationId, reversal: { at: Date; on: LocalDate; by: string }): Promise<boolean>;
}

export interface JournalRepo {
  insert(e: JournalEntryRecord): Promise<void>;
  get(id: JournalEntryId): Promise<JournalEntryRecord | undefined>;
  list(page: Page, filter?: { sourceId?: string; sourceType?: string; from?: LocalDate; to?: LocalDate }): Promise<PageResult<JournalEntryRecord>>;
  /**
   * The general ledger of one account: its lines in entry-date order (then series, number, line) from
   * `from` to `to`, a page at a time (keyset after the given position), with the balance before `from`.
   */
  ledgerLines(
    account: string,
    filter: { from?: LocalDate; to?: LocalDate },
    after: { entryDate: LocalDate; series: string; number: number; fiscalYear: number; lineNo: number } | undefined,
    limit: number,
  ): Promise<GeneralLedgerLine[]>;
  /** Debit minus credit on one account per currency for entries dated before `date`. */
  balanceBefore(account: string, date: LocalDate): Promise<{ currency: string; balanceMinor: bigint }[]>;
  /** The earliest entry date, null without entries. */
  firstEntryDate(): Promise<LocalDate | null>;
  trialBalance(filter: { from?: LocalDate; to?: LocalDate }): Promise<TrialBalanceRow[]>;
  /** Debit minus credit on one account per currency, optionally for one customer. */
  accountBalance(account: string, customerId?: CustomerId): Promise<{ currency: string; balanceMinor: bigint }[]>;
}

export interface SeriesRepo {
  /** Takes the next number of a gapless series, locking its counter row until the transaction ends. */
  next(seriesKey: string): Promise<bigint>;
  /** Every series of the tenant with the number it gives next, by key (read only: takes no lock). */
  list(): Promise<{ seriesKey: string; nextValue: bigint }[]>;
}

/** Appends audit rows; the database seals them into the tenant's hash chain at commit (migration 2910). The rest reads for `q2c verify`. */
export interface AuditRepo extends AuditVerifyReads {
  insert(a: AuditRecord): Promise<void>;
}

export interface OutboxRepo {
  insert(e: OutboxEvent): Promise<void>;
}

export type IdempotencyBegin =
  | { kind: 'started' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export interface IdempotencyRepo {
  /**
   * In its own short transaction: inserts the key as in_progress, or reports what is there. An in_progress
   * row older than `staleAfterMs` (a crashed request) is taken over.
   */
  begin(key: string, requestHash: string, staleAfterMs: number): Promise<IdempotencyBegin>;
  /**
   * Marks the key completed with the response (inside the work's transaction when given one), only if
   * it is still in progress. False when another request already completed it (a stale claim that was
   * taken over): the caller must then roll its work back, so only one execution ever commits.
   */
  complete(key: string, status: number, body: unknown): Promise<boolean>;
  /** Deletes an in_progress key after an unexpected failure, so a retry can run. */
  release(key: string): Promise<void>;
}

// ---------------------------------------------------------------- customer portal (quotes)

/** A link to one sent quote version. Only the SHA-256 (hex) of its token is kept. */
export interface PortalLinkRecord {
  id: Id<'portalLink'>;
  quoteId: QuoteId;
  tokenHash: string;
  /** The quote version's valid_until: the link answers 410 Gone after this day. */
  expiresOn: LocalDate;
  revokedAt: Date | null;
  createdAt: Date;
  lastViewedAt: Date | null;
}

/** The customer's acceptance of a version through the portal (evidence of what was accepted). */
export interface QuoteAcceptanceRecord {
  id: Id<'quoteAcceptance'>;
  quoteId: QuoteId;
  orderId: OrderId;
  signerName: string;
  consent: true;
  ip: string | null;
  userAgent: string | null;
  /** SHA-256 (hex) of the canonical JSON of the accepted content. */
  contentHash: string;
  selectedOptionalLineKeys: string[];
  acceptedAt: Date;
}

export interface QuoteChangeRequestRecord {
  id: Id<'changeRequest'>;
  quoteId: QuoteId;
  comment: string;
  createdAt: Date;
}

export interface PortalRepo {
  insertLink(l: PortalLinkRecord): Promise<void>;
  getLink(id: Id<'portalLink'>): Promise<PortalLinkRecord | undefined>;
  getLinkByTokenHash(tokenHash: string): Promise<PortalLinkRecord | undefined>;
  /** Sets revoked_at WHERE revoked_at IS NULL; false if it was already revoked. */
  revokeLink(id: Id<'portalLink'>, at: Date): Promise<boolean>;
  touchLink(id: Id<'portalLink'>, at: Date): Promise<void>;
  insertAcceptance(a: QuoteAcceptanceRecord): Promise<void>;
  getAcceptance(quoteId: QuoteId): Promise<QuoteAcceptanceRecord | undefined>;
  /** The order made from the quote version, if it was accepted. */
  orderIdForQuote(quoteId: QuoteId): Promise<OrderId | undefined>;
  insertChangeRequest(c: QuoteChangeRequestRecord): Promise<void>;
}

export interface Store {
  tenantId: TenantId;
  tenant: TenantRepo;
  customers: CustomerRepo;
  products: ProductRepo;
  productGroups: ProductGroupRepo;
  priceLists: PriceListRepo;
  customerPrices: CustomerPriceRepo;
  quotes: QuoteRepo;
  approvals: ApprovalRepo;
  orders: OrderRepo;
  deliveries: DeliveryRepo;
  invoices: InvoiceRepo;
  openItems: OpenItemRepo;
  payments: PaymentRepo;
  allocations: AllocationRepo;
  journal: JournalRepo;
  series: SeriesRepo;
  audit: AuditRepo;
  outbox: OutboxRepo;
  idempotency: IdempotencyRepo;
  portal: PortalRepo;
  stock: StockRepo;
  claims: ClaimRepo;
  documentLinks: DocumentLinkRepo;
  creditNotes: CreditNoteRepo;
  billingRuns: BillingRunRepo;
  exchangeRates: ExchangeRateRepo;
  bank: BankRepo;
  books: BooksRepo;
  webhooks: WebhookRepo;
  apiKeys: ApiKeyRepo;
  users: UserRepo;
  sessions: SessionRepo;
  passwordResets: PasswordResetRepo;
  refundRequests: RefundRequestRepo;
  writeOffs: WriteOffRepo;
  reports: ReportsRepo;
  dunning: DunningRepo;
  statements: StatementRepo;
}

// ---------------------------------------------------------------- webhooks and events (issue 8, part 5)

export interface WebhookEndpointRecord {
  id: Id<'webhookEndpoint'>;
  url: string;
  description: string | null;
  /** Event types delivered ('*' = all). */
  eventTypes: string[];
  /** The HMAC-SHA256 signing secret (shown to the API client once, at creation). */
  secret: string;
  enabled: boolean;
  disabledReason: string | null;
  consecutiveFailures: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface WebhookDeliveryRecord {
  id: Id<'webhookDelivery'>;
  endpointId: Id<'webhookEndpoint'>;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/** An outbox event as the events API shows it. */
export interface EventRecord {
  id: string;
  eventType: string;
  payload: unknown;
  createdAt: Date;
  publishedAt: Date | null;
}

export interface WebhookRepo {
  insertEndpoint(e: WebhookEndpointRecord): Promise<void>;
  getEndpoint(id: Id<'webhookEndpoint'>): Promise<WebhookEndpointRecord | undefined>;
  listEndpoints(page: Page): Promise<PageResult<WebhookEndpointRecord>>;
  /** Changes url, description, event types or enabled; enabling clears the reason and the failure streak. */
  updateEndpoint(id: Id<'webhookEndpoint'>, patch: { url?: string; description?: string | null; eventTypes?: string[]; enabled?: boolean }, at: Date): Promise<void>;
  listDeliveries(endpointId: Id<'webhookEndpoint'>, page: Page): Promise<PageResult<WebhookDeliveryRecord>>;
  getDelivery(id: Id<'webhookDelivery'>): Promise<WebhookDeliveryRecord | undefined>;
  /** Puts a delivery back in the queue, due at `at` (a manual redelivery). */
  requeueDelivery(id: Id<'webhookDelivery'>, at: Date): Promise<void>;
  listEvents(page: Page, filter: { eventType?: string }): Promise<PageResult<EventRecord>>;
  getEvent(id: string): Promise<EventRecord | undefined>;
}

// ---------------------------------------------------------------- books (fiscal years, period lock, chart, account map)

/** The tenant's bookkeeping settings (migration 2900, core/ledger/fiscal-year.ts). */
export interface BooksSettings {
  /** The month (1-12) the fiscal year starts in; 1 = calendar year. */
  fiscalYearStartMonth: number;
  /** Every period up to and including this date is closed; null = nothing closed. */
  lockedThrough: LocalDate | null;
  /** Overrides of the default account map (AccountMap keys), applied to postings made after the change. */
  accountMap: Record<string, unknown>;
}

/** An account of the tenant's own chart (beyond, or renaming, the BAS defaults). */
export interface AccountRecord {
  account: string;
  name: string;
  active: boolean;
}

export interface BooksRepo {
  settings(): Promise<BooksSettings>;
  /** The settings with the tenant row locked FOR UPDATE (a period close or a settings change). */
  settingsForUpdate(): Promise<BooksSettings>;
  /** Moves the lock date forward (the database refuses a move back). */
  lockThrough(date: LocalDate): Promise<void>;
  setFiscalYearStartMonth(month: number): Promise<void>;
  setAccountMap(map: Record<string, unknown>): Promise<void>;
  /** The tenant's own accounts, by account number. */
  accounts(): Promise<AccountRecord[]>;
  upsertAccount(a: AccountRecord): Promise<void>;
}

// ---------------------------------------------------------------- stock (warehouses, levels, movements)

export interface WarehouseRecord {
  id: Id<'warehouse'>;
  /** Short code, unique per tenant: 1-32 of [A-Za-z0-9_-]. */
  code: string;
  name: string;
  /** The first warehouse created is the default: orders reserve and deliveries ship from it. */
  isDefault: boolean;
  createdAt: Date;
}

/** The stored figures of one (warehouse, product); available = onHand − reserved. */
export interface StockLevelRecord {
  warehouseId: Id<'warehouse'>;
  productId: ProductId;
  onHand: Quantity;
  reserved: Quantity;
  updatedAt: Date;
}

/** Stock reserved in one warehouse for one order line (> 0; a released reservation is deleted). */
export interface StockReservationRecord {
  warehouseId: Id<'warehouse'>;
  productId: ProductId;
  orderId: OrderId;
  orderLineNo: number;
  quantity: Quantity;
}

export type StockMovementKind = 'receipt' | 'adjustment' | 'reserve' | 'release' | 'ship' | 'return_restock' | 'return_scrap' | 'scrap';

/** One entry of the append-only stock ledger, with the signed deltas it made to its level. */
export interface StockMovementRecord {
  id: Id<'stockMovement'>;
  warehouseId: Id<'warehouse'>;
  productId: ProductId;
  kind: StockMovementKind;
  /** As the core model has it: > 0, except an adjustment's signed correction. */
  quantity: Quantity;
  onHandDelta: Quantity;
  reservedDelta: Quantity;
  referenceType: string;
  referenceId: string;
  reason: string | null;
  createdAt: Date;
}

export interface StockFilter {
  productId?: ProductId | undefined;
  warehouseId?: Id<'warehouse'> | undefined;
}

/** Warehouses, stock levels, reservations and the stock movement ledger. */
export interface StockRepo {
  insertWarehouse(w: WarehouseRecord): Promise<void>;
  getWarehouse(id: Id<'warehouse'>): Promise<WarehouseRecord | undefined>;
  getDefaultWarehouse(): Promise<WarehouseRecord | undefined>;
  /** Oldest first. */
  listWarehouses(): Promise<WarehouseRecord[]>;
  getLevel(warehouseId: Id<'warehouse'>, productId: ProductId): Promise<StockLevelRecord | undefined>;
  /** The level locked FOR UPDATE; an all-zero row is created first when there is none. */
  lockLevel(warehouseId: Id<'warehouse'>, productId: ProductId): Promise<StockLevelRecord>;
  /** Stores the figures of a level (upsert). */
  saveLevel(warehouseId: Id<'warehouse'>, productId: ProductId, onHand: Quantity, reserved: Quantity, at: Date): Promise<void>;
  /** Levels by warehouse, then product. */
  listLevels(filter: StockFilter): Promise<StockLevelRecord[]>;
  listReservations(filter: StockFilter & { orderId?: OrderId | undefined; orderLineNo?: number | undefined }): Promise<StockReservationRecord[]>;
  /** Sets the reservation of an order line in a warehouse; 0 deletes it. */
  setReservation(r: StockReservationRecord): Promise<void>;
  insertMovement(m: StockMovementRecord): Promise<void>;
  /** Oldest first, paginated by id. */
  listMovements(page: Page, filter: StockFilter): Promise<PageResult<StockMovementRecord>>;
}

// ---------------------------------------------------------------- claims and credit requests

/** What was done to carry out a resolution, kept with it (the core Resolution has only its progress). */
export interface ResolutionLinks {
  /** The RMA number of a return resolution (RMA-<year>-<seq>); null for other kinds. */
  rmaNumber: string | null;
  /** The replacement delivery made for a replacement resolution. */
  deliveryId: DeliveryId | null;
  /** The credit request a credit, price concession or received return made. */
  creditRequestId: Id<'creditRequest'> | null;
}

/** A stored resolution: the core model's resolution and its links. */
export type ClaimResolutionRecord = Resolution & ResolutionLinks;

/** A claim as stored: the core Claim plus its number, who reported it, and when it was reported and closed. */
export interface ClaimRecord extends Omit<Claim, 'resolutions'> {
  id: Id<'claim'>;
  /** CLM-<year>-<seq> */
  number: string;
  resolutions: ClaimResolutionRecord[];
  reportedBy: 'customer' | 'staff';
  reportedAt: Date;
  /** When the claim was resolved or rejected. */
  closedAt: Date | null;
}

export interface ClaimPhotoRecord {
  id: Id<'claimPhoto'>;
  claimId: Id<'claim'>;
  contentType: 'image/png' | 'image/jpeg';
  bytes: Buffer;
  createdAt: Date;
}

export type CreditRequestStatus = 'open' | 'credited' | 'cancelled';

/** A credit a claim asks for, kept as data for the credit note (amounts positive, net at the frozen order price). */
export interface CreditRequestRecord {
  id: Id<'creditRequest'>;
  claimId: Id<'claim'>;
  orderId: OrderId;
  orderLineNo: number;
  kind: 'return' | 'credit' | 'price_concession';
  /** null for a price concession (an amount) */
  quantity: Quantity | null;
  currency: string;
  netMinor: bigint;
  vatRate: Percent;
  status: CreditRequestStatus;
  createdAt: Date;
}

/** Claims on delivery lines, their photos, and the credit requests they raise. */
export interface ClaimLabels {
  orderNumber: string;
  deliveryNumber: string;
  customerId: CustomerId;
  customerName: string;
}

export interface ClaimListFilter {
  orderId?: OrderId;
  deliveryId?: DeliveryId;
  status?: ClaimStatus;
  customerId?: CustomerId | undefined;
  q?: string;
}

export interface ClaimRepo {
  insert(c: ClaimRecord): Promise<void>;
  get(id: Id<'claim'>): Promise<ClaimRecord | undefined>;
  getForUpdate(id: Id<'claim'>): Promise<ClaimRecord | undefined>;
  /** Claims, oldest first (sort keys: number, reported), optionally of one order, delivery, customer (the order's) and/or in one status. */
  /** `q`: a case-insensitive part of the claim number, its description, the order number or the customer's name. */
  list(filter: ClaimListFilter, page: Page): Promise<PageResult<ClaimRecord>>;
  /** What a person reads beside a claim: its order's and delivery's numbers and the customer, per claim id. */
  labels(ids: readonly Id<'claim'>[]): Promise<Map<string, ClaimLabels>>;
  /** Every claim on any of these orders (oldest first). */
  listByOrders(orderIds: OrderId[]): Promise<ClaimRecord[]>;
  /** Saves status, resolutions, rejection reason and closed_at WHERE the claim is still open; false if it was not. */
  update(c: ClaimRecord): Promise<boolean>;
  insertPhoto(p: ClaimPhotoRecord): Promise<void>;
  /** Photos of a claim without their bytes. */
  listPhotos(claimId: Id<'claim'>): Promise<Omit<ClaimPhotoRecord, 'bytes'>[]>;
  insertCreditRequest(r: CreditRequestRecord): Promise<void>;
  listCreditRequests(filter: { orderId?: OrderId; claimId?: Id<'claim'> }): Promise<CreditRequestRecord[]>;
  /** Quantity and net of the open or credited quantity credit requests (returns, credits) on an order line. */
  creditedOnLine(orderId: OrderId, orderLineNo: number): Promise<{ quantity: Quantity; netMinor: bigint }>;
  /**
   * Bridge until delivering sets the review status itself: a delivered delivery whose review_status is
   * still null gets 'awaiting_review' (only that one when an id is given). Returns how many changed.
   */
  startPendingReviews(deliveryId?: DeliveryId): Promise<number>;
}

// ---------------------------------------------------------------- portal links for orders, deliveries and invoices

export type DocumentLinkSubject = 'order' | 'delivery' | 'invoice';

/** A customer portal link to an order or a delivery; the token itself is never stored. */
export interface DocumentLinkRecord {
  id: Id<'documentPortalLink'>;
  subjectType: DocumentLinkSubject;
  /** The order, delivery or invoice id. */
  subjectId: string;
  tokenHash: string;
  /** Last day the link works. */
  expiresOn: LocalDate;
  revokedAt: Date | null;
  createdAt: Date;
  lastViewedAt: Date | null;
}

/** Customer portal links to an order or a delivery (only token hashes are stored). */
export interface DocumentLinkRepo {
  insert(l: DocumentLinkRecord): Promise<void>;
  get(id: Id<'documentPortalLink'>): Promise<DocumentLinkRecord | undefined>;
  getByTokenHash(tokenHash: string): Promise<DocumentLinkRecord | undefined>;
  listFor(subjectType: DocumentLinkSubject, subjectId: string): Promise<DocumentLinkRecord[]>;
  /** Sets revoked_at WHERE revoked_at IS NULL; false if it was already revoked. */
  revoke(id: Id<'documentPortalLink'>, at: Date): Promise<boolean>;
  touch(id: Id<'documentPortalLink'>, at: Date): Promise<void>;
}

/** The database as the use cases see it. */
export interface Database {
  /** Runs fn in one transaction scoped to the tenant; commits if it resolves, rolls back if it throws. */
  transaction<T>(tenantId: TenantId, fn: (store: Store) => Promise<T>): Promise<T>;
  /** Like transaction, read-only at REPEATABLE READ: everything fn reads is one snapshot (q2c verify). */
  snapshot<T>(tenantId: TenantId, fn: (store: Store) => Promise<T>): Promise<T>;
  /** Outside any transaction (autocommit), for idempotency bookkeeping and reads. */
  store(tenantId: TenantId): Store;
  /** Tenants and API keys are looked up before a tenant is known. */
  platform: PlatformRepo;
  /** Answers when the database does (for health checks). */
  ping(): Promise<void>;
}

// ---------------------------------------------------------------- users and sessions (issue 8 part 2)

export interface UserRecord {
  tenantId: TenantId;
  id: Id<'user'>;
  /** Lower-cased. */
  email: string;
  name: string;
  role: string;
  /** `scrypt$N$r$p$salt$hash`; null while an invited user has not set a password. */
  passwordHash: string | null;
  platformAdmin: boolean;
  active: boolean;
  /** The encrypted TOTP secret (pending until totpEnabledAt is set). */
  totpSecretEnc: string | null;
  totpEnabledAt: Date | null;
  totpLastStep: number | null;
  createdAt: Date;
  updatedAt: Date;
  passwordChangedAt: Date | null;
}

export interface SessionRecord {
  tenantId: TenantId;
  id: Id<'session'>;
  userId: Id<'user'>;
  tokenHash: string;
  createdAt: Date;
  lastSeenAt: Date;
  /** The absolute end, whatever the activity. */
  expiresAt: Date;
  revokedAt: Date | null;
  ip: string | null;
  userAgent: string | null;
}

export interface PasswordResetRecord {
  tenantId: TenantId;
  id: Id<'passwordReset'>;
  userId: Id<'user'>;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface UserRepo {
  insert(u: UserRecord): Promise<void>;
  get(id: Id<'user'>): Promise<UserRecord | undefined>;
  /** Locks the user's row for the rest of the transaction. */
  getForUpdate(id: Id<'user'>): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  /** The ids of the active admins, rows locked (the last-admin rule). */
  lockActiveAdmins(): Promise<Array<Id<'user'>>>;
  update(id: Id<'user'>, patch: { name?: string; role?: string; active?: boolean }, at: Date): Promise<void>;
  setPassword(id: Id<'user'>, passwordHash: string, at: Date): Promise<void>;
  /** A new pending secret (enabled stays off), or null to remove the second factor. */
  setTotp(id: Id<'user'>, secretEnc: string | null, enabledAt: Date | null, at: Date): Promise<void>;
  /** Records an accepted TOTP step; false when that step (or a later one) was already used. */
  useTotpStep(id: Id<'user'>, step: number): Promise<boolean>;
}

export interface SessionRepo {
  insert(s: SessionRecord): Promise<void>;
  /** Revokes one open session; false when it was already revoked. */
  revoke(id: Id<'session'>, at: Date): Promise<boolean>;
  /** Revokes the user's open sessions except `keep`; returns how many. */
  revokeAllOf(userId: Id<'user'>, at: Date, keep?: Id<'session'>): Promise<number>;
  listOpenOf(userId: Id<'user'>): Promise<SessionRecord[]>;
}

export interface PasswordResetRepo {
  insert(r: PasswordResetRecord): Promise<void>;
  /** Marks an unused reset used; false when it was used already (single use, even under a race). */
  markUsed(id: Id<'passwordReset'>, at: Date): Promise<boolean>;
}

/** The tenant's API keys, inside its transactions (the platform repository finds a key by hash). */
export interface ApiKeyRepo {
  insert(k: ApiKeyRecord): Promise<void>;
  list(): Promise<ApiKeyRecord[]>;
  /** Revokes a key; false when it does not exist or already was revoked. */
  revoke(id: ApiKeyId, at: Date): Promise<boolean>;
}

export interface PlatformRepo {
  createTenant(t: TenantRecord): Promise<void>;
  listTenants(): Promise<TenantRecord[]>;
  insertApiKey(k: ApiKeyRecord): Promise<void>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRecord | undefined>;
  /** Records a use (at most once a minute per key, so a busy key does not write on every request). */
  touchApiKey(tenantId: TenantId, id: ApiKeyId, at: Date): Promise<void>;

  /** Users with this (lower-cased) e-mail in every tenant (login and password reset arrive before the tenant is known). */
  findUsersByEmail(email: string): Promise<UserRecord[]>;
  /** The session with this token hash and its user as it is now (role, active), whatever their state. */
  findSessionByTokenHash(tokenHash: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined>;
  /** Records activity (only when last_seen_at is older than a minute, so a busy session does not write on every request). */
  touchSession(tenantId: TenantId, id: string, at: Date): Promise<void>;
  /** A password reset by id, across tenants (its token names only the id). */
  findPasswordReset(id: string): Promise<PasswordResetRecord | undefined>;

  /** The tenants holding a portal link with this token hash (a portal token arrives before its tenant is known). */
  findPortalLinkTenants(tokenHash: string): Promise<TenantId[]>;
}

/** Clock and id source, injected so tests can pin them. */
export interface Clock {
  now(): Date;
  /** Today in the tenant's business time zone (Europe/Stockholm by default). */
  today(): LocalDate;
}

// ---------------------------------------------------------------- credit notes (issue 5 part 7)

export type CreditNoteStatus = 'draft' | 'issued';

/**
 * A credit note line: a part of an invoice line (invoiceLineNo, quantity) or, for a credit of an
 * amount, no invoice line at all (invoiceLineNo, orderLineNo and quantity null). Amounts are positive;
 * the credit note as a whole is the negative of what it lists.
 */
export interface CreditNoteLineRecord {
  lineNo: number;
  invoiceLineNo: number | null;
  orderLineNo: number | null;
  description: string;
  quantity: Quantity | null;
  unit: string | null;
  unitPriceMinor: bigint | null;
  grossAmountMinor: bigint;
  discountAmountMinor: bigint;
  netAmountMinor: bigint;
  vatRate: Percent;
  vatCategory: VatCategory;
}

export interface CreditNoteRecord {
  id: Id<'creditNote'>;
  /** 'KF'; numbers are KF-<fiscal year>-<seq>, gapless per year. */
  series: string;
  number: string | null;
  status: CreditNoteStatus;
  invoiceId: InvoiceId;
  orderId: OrderId;
  customerId: CustomerId;
  currency: string;
  reason: string;
  /** The claim's credit request this credit note carries out, if any. */
  creditRequestId: Id<'creditRequest'> | null;
  issueDate: LocalDate | null;
  netTotalMinor: bigint;
  vatTotalMinor: bigint;
  grossTotalMinor: bigint;
  /** At issue: what reduced the invoice's open item (1510); null on a draft. */
  receivableMinor: bigint | null;
  /** At issue: what exceeded the open amount and became customer credit (2420); null on a draft. */
  customerCreditMinor: bigint | null;
  seller: PartySnapshot | null;
  buyer: PartySnapshot;
  issuedAt: Date | null;
  createdAt: Date;
  lines: CreditNoteLineRecord[];
  vatBreakdown: VatBreakdownRecord[];
  /** At issue (decision 0008): the credited invoice's rate, its date and the base totals; null on drafts. */
  exchangeRate?: bigint | null;
  exchangeRateDate?: LocalDate | null;
  baseCurrency?: string | null;
  vatTotalBaseMinor?: bigint | null;
  grossTotalBaseMinor?: bigint | null;
}

export interface CreditNoteIssue {
  number: string;
  issueDate: LocalDate;
  receivableMinor: bigint;
  customerCreditMinor: bigint;
  seller: PartySnapshot;
  issuedAt: Date;
  /** The rate and base totals (decision 0008); absent = left NULL. */
  base?: DocumentBaseAmounts | undefined;
}

/** What a credit note handed back to one payment that had paid the invoice (it becomes unapplied again). */
export interface CreditNoteReleaseRecord {
  creditNoteId: Id<'creditNote'>;
  paymentId: PaymentId;
  invoiceId: InvoiceId;
  amountMinor: bigint;
}

export interface CreditNoteRepo {
  insert(c: CreditNoteRecord): Promise<void>;
  get(id: Id<'creditNote'>): Promise<CreditNoteRecord | undefined>;
  getForUpdate(id: Id<'creditNote'>): Promise<CreditNoteRecord | undefined>;
  list(page: Page, filter?: { invoiceId?: InvoiceId; customerId?: CustomerId }): Promise<PageResult<CreditNoteRecord>>;
  /** Every credit note (drafts included) on an invoice, oldest first. */
  listByInvoice(invoiceId: InvoiceId): Promise<CreditNoteRecord[]>;
  /** Sets number, date, split, seller and status 'issued' WHERE status = 'draft'. */
  issue(id: Id<'creditNote'>, issue: CreditNoteIssue): Promise<boolean>;
  insertRelease(r: CreditNoteReleaseRecord): Promise<void>;
  /** What earlier credit notes released per payment from this invoice. */
  releasedByPayment(invoiceId: InvoiceId): Promise<Map<string, bigint>>;
  /** unapplied_minor += amount WHERE it stays within the payment amount; false if it would not. */
  increasePaymentUnapplied(paymentId: PaymentId, amountMinor: bigint): Promise<boolean>;
  getCreditRequestForUpdate(id: Id<'creditRequest'>): Promise<CreditRequestRecord | undefined>;
  /** status 'credited' WHERE status = 'open'; false if it was not open. */
  markCreditRequestCredited(id: Id<'creditRequest'>): Promise<boolean>;
}

// ---------------------------------------------------------------- billing runs

/** An invoice a billing run drafted (and, when asked, issued) for one order. */
export interface BillingRunCreated {
  /** The (first) order invoiced; see orders for all the orders the invoice covers. */
  orderId: string;
  orderNumber: string;
  /** Every order the invoice covers (one per order, several per customer); absent in reports stored before grouping. */
  orders?: { orderId: string; orderNumber: string }[];
  invoiceId: string;
  /** Null while the invoice is a draft (a run without issue). */
  invoiceNumber: string | null;
  gross: { amount: string; currency: string };
}

/** What a billing run did; stored as it was returned (jsonb) and served as is. */
export interface BillingRunReport {
  runId: string;
  upTo: LocalDate;
  issue: boolean;
  customerId: string | null;
  /** How the run grouped orders into invoices; absent in reports stored before grouping (= per_order). */
  groupBy?: BillingGrouping;
  created: BillingRunCreated[];
  skipped: { orderId: string; reason: string }[];
  failed: { orderId: string; code: string; message: string }[];
}

export interface BillingRunRecord {
  id: Id<'billingRun'>;
  upTo: LocalDate;
  issue: boolean;
  customerId: CustomerId | null;
  report: BillingRunReport;
  actor: string;
  createdAt: Date;
}

export interface BillingRunRepo {
  insert(r: BillingRunRecord): Promise<void>;
  get(id: Id<'billingRun'>): Promise<BillingRunRecord | undefined>;
  /** Oldest first, paginated by id. */
  list(page: Page): Promise<PageResult<BillingRunRecord>>;
}

// ---------------------------------------------------------------- exchange rates

/** One exchange rate: 1 unit of `currency` = rate units of the tenant's base currency, on `rateDate`. */
export interface ExchangeRateRecord {
  currency: string;
  rateDate: LocalDate;
  /** × RATE_SCALE (core/money/fx.ts). */
  rateScaled: bigint;
  source: 'manual' | 'csv';
  updatedAt: Date;
}

export interface ExchangeRateRepo {
  /** Inserts or replaces the rate of (currency, date). */
  upsert(r: ExchangeRateRecord): Promise<void>;
  /** The rate in force on `date`: the latest rate dated on or before it, or undefined. */
  rateOn(currency: string, date: LocalDate): Promise<ExchangeRateRecord | undefined>;
  /** Newest first within currency; filters optional; at most `limit` rows. */
  list(q: { currency?: string | undefined; from?: LocalDate | undefined; to?: LocalDate | undefined; limit: number }): Promise<ExchangeRateRecord[]>;
}

// ---------------------------------------------------------------- bank transactions (issue 6)

export type BankTransactionStatus = 'unmatched' | 'applied' | 'credit' | 'ignored' | 'outgoing';

export interface BankTransactionRecord {
  id: Id<'bankTransaction'>;
  importId: Id<'bankImport'>;
  naturalKey: string;
  account: string;
  bookingDate: LocalDate;
  valueDate: LocalDate | null;
  currency: string;
  /** Signed: > 0 money in. */
  amountMinor: bigint;
  payerName: string | null;
  payerAccount: string | null;
  payerOrgNumber: string | null;
  payerAddress: string | null;
  references: { kind: 'structured' | 'text'; value: string; amountMinor?: string | undefined }[];
  text: string | null;
  bankReference: string | null;
  source: string;
  status: BankTransactionStatus;
  paymentId: PaymentId | null;
  /** The matching outcome as decided (rule, score, reasons, proposals), JSON as stored. */
  match: unknown;
  ignoredReason: string | null;
  createdAt: Date;
}

export interface BankImportRecord {
  id: Id<'bankImport'>;
  format: 'bgmax' | 'camt053' | 'camt054' | 'mt940' | 'csv';
  fileName: string | null;
  fileSha256: string;
  fileId: string | null;
  report: unknown;
  actor: string;
  createdAt: Date;
}

export interface MatchSettings {
  autoThreshold: number;
  toleranceMinor: bigint;
  toleranceBasisPoints: bigint;
}

export interface BankRepo {
  insertImport(r: BankImportRecord): Promise<void>;
  setImportReport(id: Id<'bankImport'>, report: unknown, fileId: string | null): Promise<void>;
  getImport(id: Id<'bankImport'>): Promise<BankImportRecord | undefined>;
  /** The earliest import of a file with this content, if any. */
  findImportBySha(sha256: string): Promise<BankImportRecord | undefined>;
  /** Inserts the lines whose (account, natural key) is new; returns those inserted. */
  insertNew(lines: readonly BankTransactionRecord[]): Promise<BankTransactionRecord[]>;
  get(id: Id<'bankTransaction'>): Promise<BankTransactionRecord | undefined>;
  getForUpdate(id: Id<'bankTransaction'>): Promise<BankTransactionRecord | undefined>;
  list(page: Page, filter?: { status?: BankTransactionStatus | undefined; importId?: Id<'bankImport'> | undefined }): Promise<PageResult<BankTransactionRecord>>;
  /** Sets status, payment, match and ignored reason of a line. */
  settle(id: Id<'bankTransaction'>, patch: { status: BankTransactionStatus; paymentId: PaymentId | null; match: unknown; ignoredReason: string | null }): Promise<void>;
  matchSettings(): Promise<MatchSettings>;
  learnedAccounts(): Promise<Map<string, CustomerId>>;
  learnAccount(account: string, customerId: CustomerId, learnedFrom: string): Promise<void>;
  /** The saved CSV column mapping of a bank account (as the API's csv_mapping JSON). */
  saveCsvMapping(account: string, mapping: unknown, at: Date): Promise<void>;
  csvMapping(account: string): Promise<unknown>;
  csvMappings(): Promise<{ account: string; mapping: unknown; updatedAt: Date }[]>;
  /** Every open item with its invoice's number and payment reference, and every customer's name: what matching needs. */
  matchingData(): Promise<{
    items: { invoiceId: InvoiceId; customerId: CustomerId; invoiceNumber: string; paymentReference: string; currency: string; openMinor: bigint }[];
    customers: { id: CustomerId; name: string }[];
  }>;
}

// ---------------------------------------------------------------- dunning (issue 7 item 6)

/** The tenant's dunning schedule (core/receivables/dunning.ts), as stored. */
export type DunningSettingsRecord = DunningSchedule & { updatedAt: Date | null };

/** The reference rate (percent per year) in force from `date` on. */
export interface ReferenceRateRecord {
  date: LocalDate;
  rate: Percent;
  updatedAt: Date;
}

export interface DunningRunRecord {
  id: Id<'dunningRun'>;
  runDate: LocalDate;
  /** The run's report as returned (jsonb); null until the run finished. */
  report: unknown;
  actor: string;
  createdAt: Date;
}

/** An issued invoice with an open amount past its due date, with its dunning state. */
export interface DunningCandidate {
  invoiceId: InvoiceId;
  invoiceNumber: string;
  customerId: CustomerId;
  currency: string;
  issueDate: LocalDate;
  dueDate: LocalDate;
  originalMinor: bigint;
  openMinor: bigint;
  /** The orders the invoice covers (its own and its lines'). */
  orderIds: OrderId[];
  lastLevel: number;
  overdueReportedOn: LocalDate | null;
  interestThrough: LocalDate | null;
}

export interface ReminderItemRecord {
  lineNo: number;
  invoiceId: InvoiceId;
  invoiceNumber: string;
  issueDate: LocalDate;
  dueDate: LocalDate;
  daysOverdue: number;
  originalMinor: bigint;
  openMinor: bigint;
  level: number;
  /** This reminder raised the invoice to `level`. */
  escalated: boolean;
  interestMinor: bigint;
}

export interface ReminderRecord {
  id: Id<'reminder'>;
  number: string;
  runId: Id<'dunningRun'>;
  customerId: CustomerId;
  currency: string;
  reminderDate: LocalDate;
  language: 'sv' | 'en';
  /** The highest level among its items. */
  level: number;
  openTotalMinor: bigint;
  feeMinor: bigint;
  feeInvoiceId: InvoiceId | null;
  interestMinor: bigint;
  interestInvoiceId: InvoiceId | null;
  buyer: PartySnapshot;
  createdAt: Date;
  items: ReminderItemRecord[];
}

export type DunningChargeKind = 'reminder_fee' | 'interest';

export interface DunningRepo {
  settings(): Promise<DunningSettingsRecord | undefined>;
  /** Replaces the settings and levels. */
  saveSettings(s: DunningSchedule, at: Date): Promise<void>;
  upsertReferenceRate(r: ReferenceRateRecord): Promise<void>;
  /** Rates dated on or before `to` (all when absent), oldest first. */
  referenceRates(q: { to?: LocalDate | undefined }): Promise<ReferenceRateRecord[]>;
  /** Inserts the run WHERE none exists for its date; false when the date already has one. */
  claimRun(r: DunningRunRecord): Promise<boolean>;
  runOn(date: LocalDate): Promise<DunningRunRecord | undefined>;
  setRunReport(id: Id<'dunningRun'>, report: unknown): Promise<void>;
  /** Issued invoices open on `asOf` with a due date before it, dunning's own charge invoices left out; by customer, currency, due date. */
  overdueCandidates(asOf: LocalDate, filter?: { customerId?: CustomerId; currency?: string }): Promise<DunningCandidate[]>;
  /** Which of these orders have an open claim. */
  ordersWithOpenClaims(orderIds: readonly OrderId[]): Promise<Set<string>>;
  markOverdueReported(invoiceId: InvoiceId, on: LocalDate): Promise<void>;
  setLastLevel(invoiceId: InvoiceId, level: number): Promise<void>;
  setInterestThrough(invoiceId: InvoiceId, through: LocalDate): Promise<void>;
  insertReminder(r: ReminderRecord): Promise<void>;
  getReminder(id: Id<'reminder'>): Promise<ReminderRecord | undefined>;
  listReminders(page: Page, filter?: { customerId?: CustomerId | undefined }): Promise<PageResult<ReminderRecord>>;
  insertCharge(c: { invoiceId: InvoiceId; kind: DunningChargeKind; reminderId: Id<'reminder'> | null; details: unknown }): Promise<void>;
  /** The charge dunning issued as this invoice, if it is one. */
  getCharge(invoiceId: InvoiceId): Promise<{ invoiceId: InvoiceId; kind: DunningChargeKind; reminderId: Id<'reminder'> | null; details: unknown } | undefined>;
}

// ---------------------------------------------------------------- reports (read-only queries: VAT return, KPIs)

/** Read-only report queries (src/db/repositories/reports.ts); amounts in the tenant's base currency. */
export interface ReportsRepo {
  /** The tenant's functional (base) currency. */
  baseCurrency(): Promise<string>;
  /** Issued invoices and credit notes dated from–to (issue date), with their VAT rows and advance deductions. */
  vatDocuments(from: LocalDate, to: LocalDate): Promise<VatReturnDocument[]>;
  /** Quotes (one row per root) whose first sending is near from–to (the exact day cut is the caller's). */
  kpiQuotes(from: LocalDate, to: LocalDate): Promise<KpiQuoteRow[]>;
  /** Orders with an acceptance, first delivery or first invoice near from–to. */
  kpiOrders(from: LocalDate, to: LocalDate): Promise<KpiOrderRow[]>;
  /** Invoices paid in full from–to, with the date of the payment that settled them. */
  kpiInvoices(from: LocalDate, to: LocalDate): Promise<KpiInvoiceRow[]>;
  /** Receivables open at the end of asOf (base), and the part not yet due (due date after asOf). */
  receivablesAsOf(asOf: LocalDate): Promise<{ arMinor: bigint; currentArMinor: bigint }>;
  /** Invoiced to receivables from–to less what credit notes dated from–to took off receivables (base). */
  creditSales(from: LocalDate, to: LocalDate): Promise<bigint>;
  /** Quotes (their newest version) by status and currency: open ones all, decided ones decided on or after `decidedSince` (a day in `timeZone`). */
  dashboardPipeline(decidedSince: LocalDate, timeZone: string): Promise<PipelineSum[]>;
  /** Payments received from–to, summed per ISO week (its Monday) and currency. */
  cashReceivedByWeek(from: LocalDate, to: LocalDate): Promise<CashWeekSum[]>;
  /** The sizes of the work queues; overdue = issued invoices still open with a due date before `today`. */
  dashboardQueues(today: LocalDate): Promise<DashboardQueues>;
}

export interface DashboardQueues {
  quotesAwaitingApproval: number;
  ordersOnHold: number;
  claimsOpen: number;
  bankLinesToReview: number;
  overdueInvoices: { currency: string; count: number; openMinor: bigint }[];
}
