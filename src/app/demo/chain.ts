/**
 * The whole quote-to-cash chain as a script of use-case calls, used by `q2c demo` and by the demo seed
 * of a new embedded database. Each step runs in its own transaction, as the API would run it.
 */
import { parseQuantity, parsePercent } from '../../core/money/quantity.js';
import { formatAmount, money } from '../../core/money/money.js';
import type { CustomerId, InvoiceId, ProductId } from '../../core/shared/ids.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { CustomerRecord, InvoiceRecord, OrderRecord, PaymentRecord, ProductRecord, QuoteRecord, Store } from '../ports.js';
import { createCustomer, type CreateCustomerInput } from '../customers/create-customer.js';
import { createProduct } from '../products/create-product.js';
import { createQuote } from '../quotes/create-quote.js';
import { sendQuote } from '../quotes/send-quote.js';
import { acceptQuote } from '../quotes/accept-quote.js';
import { confirmOrder } from '../orders/confirm-order.js';
import { createDelivery } from '../fulfilment/create-delivery.js';
import { deliverDelivery, shipDelivery } from '../fulfilment/ship-delivery.js';
import { createInvoice } from '../invoicing/create-invoice.js';
import { issueInvoice } from '../invoicing/issue-invoice.js';
import { receivePayment } from '../payments/receive-payment.js';
import { applyPayment } from '../payments/apply-payment.js';
import { envFor, type AppDeps, type Env } from '../shared/env.js';

const shown = (minor: bigint, currency: string) => `${formatAmount(money(minor, currency))} ${currency}`;

export type StepLogger = (step: string, detail?: Record<string, unknown>) => void;

export class Chain {
  readonly env: Env;
  constructor(
    readonly deps: AppDeps,
    readonly tenantId: TenantId,
    readonly log: StepLogger = () => {},
  ) {
    this.env = envFor(deps, { tenantId, actorId: 'demo' });
  }

  run<T>(fn: (s: Store, env: Env) => Promise<T>): Promise<T> {
    return this.deps.db.transaction(this.tenantId, (s) => fn(s, this.env));
  }

  async customer(input: Partial<CreateCustomerInput> & { name: string }): Promise<CustomerRecord> {
    const c = await this.run((s, env) =>
      createCustomer(s, env, {
        email: null, country: 'SE', currency: 'SEK', orgNumber: null, vatNumber: null, paymentTermsDays: 30,
        addressLine1: null, addressLine2: null, postalCode: null, city: null, customerGroup: null, ...input,
      }),
    );
    this.log('customer created', { id: c.id, name: c.name });
    return c;
  }

  async product(sku: string, name: string, priceSek: string, taxClass: ProductRecord['taxClass'] = 'standard', unit = 'C62') {
    const [whole, frac = ''] = priceSek.split('.');
    const minor = BigInt(whole!) * 100n + BigInt((frac + '00').slice(0, 2));
    const p = await this.run((s, env) => createProduct(s, env, { sku, name, unit, taxClass, unitPrices: { SEK: minor } }));
    this.log('product created', { id: p.id, sku, price: `${priceSek} SEK` });
    return p;
  }

  async quote(customerId: CustomerId, lines: { productId: ProductId; quantity: string; discount?: string }[]): Promise<QuoteRecord> {
    const q = await this.run((s, env) =>
      createQuote(s, env, {
        customerId,
        lines: lines.map((l, i) => ({
          productId: l.productId,
          quantity: parseQuantity(l.quantity, `lines.${i}.quantity`),
          discountPercent: l.discount ? parsePercent(l.discount, `lines.${i}.discount_percent`) : undefined,
        })),
      }),
    );
    this.log('quote drafted', { id: q.id, number: q.number, total: shown(q.grossTotalMinor, q.currency) });
    return q;
  }

  async send(q: QuoteRecord): Promise<QuoteRecord> {
    const r = await this.run((s, env) => sendQuote(s, env, q.id));
    this.log('quote sent', { id: r.id, number: r.number });
    return r;
  }

  async accept(q: QuoteRecord): Promise<OrderRecord> {
    const o = await this.run((s, env) => acceptQuote(s, env, q.id));
    this.log('quote accepted → order', { quote: q.number, order: o.number, id: o.id });
    return o;
  }

  async confirm(o: OrderRecord): Promise<OrderRecord> {
    const r = await this.run((s, env) => confirmOrder(s, env, o.id));
    this.log('order confirmed', { number: r.number });
    return r;
  }

  /** Creates, ships and delivers a delivery (all open quantities, or the given ones). */
  async deliver(o: OrderRecord, lines?: { orderLineNo: number; quantity: string }[]) {
    const d = await this.run((s, env) =>
      createDelivery(s, env, o.id, {
        lines: lines?.map((l, i) => ({ orderLineNo: l.orderLineNo, quantity: parseQuantity(l.quantity, `lines.${i}.quantity`) })),
      }),
    );
    await this.run((s, env) => shipDelivery(s, env, d.id, { carrier: 'PostNord', trackingNumber: `PN${d.number.replace(/\D/g, '')}SE` }));
    const done = await this.run((s, env) => deliverDelivery(s, env, d.id, {}));
    this.log('delivery created, shipped and delivered', { number: done.number, lines: done.lines.length });
    return done;
  }

  async invoice(o: OrderRecord): Promise<InvoiceRecord> {
    const draft = await this.run((s, env) => createInvoice(s, env, { orderId: o.id }));
    const inv = await this.run((s, env) => issueInvoice(s, env, draft.id));
    this.log('invoice issued', {
      number: inv.number, ocr: inv.paymentReference, total: shown(inv.grossTotalMinor, inv.currency), due: inv.dueDate,
    });
    return inv;
  }

  async pay(inv: InvoiceRecord, amountMinor: bigint, reference = `OCR ${inv.paymentReference}`): Promise<PaymentRecord> {
    const p = await this.run((s, env) =>
      receivePayment(s, env, { amount: money(amountMinor, inv.currency), payerName: inv.buyer.name, referenceText: reference }),
    );
    this.log('payment received', { id: p.id, amount: shown(amountMinor, inv.currency), matched: p.matchedInvoiceId, by: p.matchMethod });
    const applied = await this.run((s, env) => applyPayment(s, env, p.id, {}));
    this.log('payment applied', { id: p.id, left_unapplied: shown(applied.payment.unappliedMinor, inv.currency) });
    return applied.payment;
  }

  async openAmount(invoiceId: InvoiceId): Promise<bigint> {
    const item = await this.run((s) => s.openItems.getByInvoice(invoiceId));
    return item?.openMinor ?? 0n;
  }
}
