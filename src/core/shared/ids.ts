/**
 * Prefixed, branded ids. An InvoiceId is not a CustomerId, at compile time and in the string itself.
 * Ids are generated outside core (src/app/ids.ts: time-ordered, so lists paginate in creation order);
 * core only knows their shape.
 */
import { invalid } from './errors.js';

export const ID_PREFIXES = {
  tenant: 'ten',
  apiKey: 'key',
  user: 'usr',
  session: 'ses',
  passwordReset: 'pwr',
  customer: 'cus',
  product: 'prd',
  productGroup: 'pgr',
  priceList: 'prl',
  customerPrice: 'cpr',
  approvalRule: 'arl',
  quoteApproval: 'qap',
  portalLink: 'qpl',
  quoteAcceptance: 'qac',
  changeRequest: 'qcr',
  quote: 'qte',
  order: 'ord',
  delivery: 'dlv',
  warehouse: 'whs',
  stockMovement: 'smv',
  claim: 'clm',
  claimPhoto: 'cph',
  creditRequest: 'crq',
  documentPortalLink: 'dpl',
  orderChangeRequest: 'ocr',
  invoice: 'inv',
  billingRun: 'bir',
  bankImport: 'bim',
  bankTransaction: 'btx',
  creditNote: 'crn',
  payment: 'pay',
  allocation: 'alc',
  refund: 'rfd',
  journalEntry: 'je',
  openItem: 'oi',
  reminder: 'rem',
  dunningRun: 'dun',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
  refundRequest: 'rrq',
  writeOff: 'wof',
  writeOffRequest: 'wrq',
  audit: 'aud',
  event: 'evt',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix<K extends IdKind> = (typeof ID_PREFIXES)[K];

declare const brand: unique symbol;
export type Id<K extends IdKind> = string & { readonly [brand]: K };

export type TenantId = Id<'tenant'>;
export type ApiKeyId = Id<'apiKey'>;
export type CustomerId = Id<'customer'>;
export type ProductId = Id<'product'>;
export type ProductGroupId = Id<'productGroup'>;
export type PriceListId = Id<'priceList'>;
export type CustomerPriceId = Id<'customerPrice'>;
export type QuoteId = Id<'quote'>;
export type OrderId = Id<'order'>;
export type DeliveryId = Id<'delivery'>;
export type WarehouseId = Id<'warehouse'>;
export type ClaimId = Id<'claim'>;
export type CreditRequestId = Id<'creditRequest'>;
export type InvoiceId = Id<'invoice'>;
export type PaymentId = Id<'payment'>;
export type AllocationId = Id<'allocation'>;
export type JournalEntryId = Id<'journalEntry'>;
export type OpenItemId = Id<'openItem'>;

/** 1-40 chars of [0-9a-z] after the prefix and underscore. */
const BODY = /^[0-9a-z]{1,40}$/;

export function isId<K extends IdKind>(kind: K, value: unknown): value is Id<K> {
  if (typeof value !== 'string') return false;
  const prefix = ID_PREFIXES[kind] + '_';
  return value.startsWith(prefix) && BODY.test(value.slice(prefix.length));
}

/** Parses an untrusted string into an id of the given kind, or throws validation_failed naming `param`. */
export function parseId<K extends IdKind>(kind: K, value: unknown, param: string): Id<K> {
  if (!isId(kind, value)) {
    throw invalid(param, `${param} must be a ${kind} id starting with '${ID_PREFIXES[kind]}_'`);
  }
  return value;
}

/** For trusted values (from our own database). */
export const asId = <K extends IdKind>(_kind: K, value: string): Id<K> => value as Id<K>;
