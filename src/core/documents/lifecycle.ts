/**
 * Document state machines as data plus pure guards. A use case asks `next…Status(current, action)`
 * before it writes, and repeats the guard in the UPDATE (`where status = 'sent'`) so that a concurrent
 * change cannot slip between the check and the write.
 */
import { DomainError, type DomainErrorCode } from '../shared/errors.js';

export interface Transition<S extends string> {
  readonly from: readonly S[];
  readonly to: S;
  /** The error when the document is in a status the action does not start from. */
  readonly error: DomainErrorCode;
}

export type TransitionTable<S extends string, A extends string> = { readonly [K in A]: Transition<S> };

function next<S extends string, A extends string>(
  document: string,
  table: TransitionTable<S, A>,
  from: S,
  action: A,
): S {
  const t: Transition<S> | undefined = Object.hasOwn(table, action) ? table[action] : undefined;
  if (t === undefined) throw new DomainError('validation_failed', `Unknown ${document} action '${action}'`, 'action');
  if (!t.from.includes(from)) {
    const allowed = t.from.map((s) => `'${s}'`).join(' or ');
    const article = /^[aeiou]/.test(document) ? 'an' : 'a';
    throw new DomainError(
      t.error,
      `Cannot ${action} ${document}: it is '${from}'; only ${article} ${document} that is ${allowed} can be ${t.to}`,
    );
  }
  return t.to;
}

// Quotes ------------------------------------------------------------------------------------------

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'declined', 'expired'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export const QUOTE_ACTIONS = ['send', 'accept', 'decline', 'expire'] as const;
export type QuoteAction = (typeof QUOTE_ACTIONS)[number];

export const QUOTE_TRANSITIONS: TransitionTable<QuoteStatus, QuoteAction> = Object.freeze({
  send: { from: ['draft'], to: 'sent', error: 'quote_not_draft' },
  accept: { from: ['sent'], to: 'accepted', error: 'quote_not_sent' },
  decline: { from: ['sent'], to: 'declined', error: 'quote_not_sent' },
  expire: { from: ['sent'], to: 'expired', error: 'quote_not_sent' },
});

export const nextQuoteStatus = (from: QuoteStatus, action: QuoteAction): QuoteStatus =>
  next('quote', QUOTE_TRANSITIONS, from, action);

// Orders ------------------------------------------------------------------------------------------

export const ORDER_STATUSES = ['unconfirmed', 'on_hold', 'confirmed', 'cancelled', 'closed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/**
 * confirm: the order is reviewed with the customer and released for fulfilment (after the credit
 * check); hold: the credit check failed on confirmation; release: finance lifts the hold; amend: a
 * new version the customer must confirm again; cancel: nothing left to deliver is wanted; close:
 * everything is done.
 */
export const ORDER_ACTIONS = ['confirm', 'hold', 'release', 'amend', 'cancel', 'close'] as const;
export type OrderAction = (typeof ORDER_ACTIONS)[number];

export const ORDER_TRANSITIONS: TransitionTable<OrderStatus, OrderAction> = Object.freeze({
  confirm: { from: ['unconfirmed'], to: 'confirmed', error: 'order_not_confirmable' },
  hold: { from: ['unconfirmed'], to: 'on_hold', error: 'order_not_confirmable' },
  release: { from: ['on_hold'], to: 'confirmed', error: 'order_not_on_hold' },
  amend: { from: ['unconfirmed', 'confirmed', 'on_hold'], to: 'unconfirmed', error: 'order_not_amendable' },
  // No dedicated code for "already cancelled or closed": a generic state conflict.
  cancel: { from: ['unconfirmed', 'on_hold', 'confirmed'], to: 'cancelled', error: 'conflict' },
  close: { from: ['confirmed'], to: 'closed', error: 'order_not_confirmed' },
});

export const nextOrderStatus = (from: OrderStatus, action: OrderAction): OrderStatus =>
  next('order', ORDER_TRANSITIONS, from, action);

// Deliveries --------------------------------------------------------------------------------------

/** created → picked → packed → shipped → delivered; picking and packing may be skipped. */
export const DELIVERY_STATUSES = ['created', 'picked', 'packed', 'shipped', 'delivered', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DELIVERY_ACTIONS = ['pick', 'pack', 'ship', 'deliver', 'cancel'] as const;
export type DeliveryAction = (typeof DELIVERY_ACTIONS)[number];

export const DELIVERY_TRANSITIONS: TransitionTable<DeliveryStatus, DeliveryAction> = Object.freeze({
  pick: { from: ['created'], to: 'picked', error: 'delivery_not_shippable' },
  pack: { from: ['created', 'picked'], to: 'packed', error: 'delivery_not_shippable' },
  ship: { from: ['created', 'picked', 'packed'], to: 'shipped', error: 'delivery_not_shippable' },
  deliver: { from: ['shipped'], to: 'delivered', error: 'delivery_not_deliverable' },
  cancel: { from: ['created', 'picked', 'packed'], to: 'cancelled', error: 'delivery_not_shippable' },
});

export const nextDeliveryStatus = (from: DeliveryStatus, action: DeliveryAction): DeliveryStatus =>
  next('delivery', DELIVERY_TRANSITIONS, from, action);

// Invoices ----------------------------------------------------------------------------------------

export const INVOICE_STATUSES = ['draft', 'issued'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const INVOICE_ACTIONS = ['issue'] as const;
export type InvoiceAction = (typeof INVOICE_ACTIONS)[number];

export const INVOICE_TRANSITIONS: TransitionTable<InvoiceStatus, InvoiceAction> = Object.freeze({
  issue: { from: ['draft'], to: 'issued', error: 'invoice_not_draft' },
});

export const nextInvoiceStatus = (from: InvoiceStatus, action: InvoiceAction): InvoiceStatus =>
  next('invoice', INVOICE_TRANSITIONS, from, action);
