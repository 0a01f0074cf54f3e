/**
 * The repositories (src/db implementing src/app/ports.ts) on every configured database: round trips,
 * guarded updates, tenant isolation, gapless numbering under concurrency, idempotency keys and the
 * database's own guards (CHECKs, immutability and journal balance triggers).
 */
import { RATE_SCALE } from '../../src/core/money/fx.js';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type {
  CustomerRecord,
  InvoiceRecord,
  JournalEntryRecord,
  OrderRecord,
  PricedLine,
  ProductRecord,
  QuoteRecord,
  Store,
} from '../../src/app/ports.js';
import { decimal4, ZERO_D } from '../../src/core/money/quantity.js';
import { DomainError } from '../../src/core/shared/errors.js';
import { asId, type TenantId } from '../../src/core/shared/ids.js';
import { seedTenant, TEST_DATABASES, useTestDb } from '../support/databases.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const AT = new Date('2026-12-04T10:00:00.000Z');

// ------------------------------------------------------------------------------------ fixtures

const customer = (id: string, over: Partial<CustomerRecord> = {}): CustomerRecord => ({
  id: asId('customer', id),
  name: 'Kund AB',
  email: 'ekonomi@kund.example',
  country: 'SE',
  currency: 'SEK',
  orgNumber: '556000-1111',
  vatNumber: null,
  paymentTermsDays: 30,
  addressLine1: 'Storgatan 1',
  addressLine2: null,
  postalCode: '111 22',
  city: 'Stockholm',
  customerGroup: null,
  creditLimitMinor: null,
  createdAt: AT,
  ...over,
});

const product = (id: string, sku: string): ProductRecord => ({
  id: asId('product', id),
  sku,
  name: `Product ${sku}`,
  unit: 'C62',
  taxClass: 'standard',
  active: true,
  unitPrices: { SEK: 12_500n, EUR: 1_100n },
  groupId: null,
  unitCostMinor: null,
  bundle: null,
  kind: 'goods',
  stockTracked: false,
  createdAt: AT,
});

/** 10 × 125.00 at 5 % discount: 1250.00 gross, 62.50 discount, 1187.50 net, 25 % VAT. */
const pricedLine = (lineNo: number, productId: string | null): PricedLine => ({
  lineNo,
  productId: productId === null ? null : asId('product', productId),
  description: `Line ${lineNo}`,
  quantity: decimal4('10'),
  unit: 'C62',
  unitPriceMinor: 12_500n,
  discountPercent: decimal4('5'),
  grossAmountMinor: 125_000n,
  discountAmountMinor: 6_250n,
  netAmountMinor: 118_750n,
  vatRate: decimal4('25'),
  vatCategory: 'S',
});

/** The pricing fields of a quote line: a 5 % line discount, no quote discount, no cost. */
const quoteLineExtras = {
  lineDiscount: { kind: 'percent' as const, percent: decimal4('5') },
  lineDiscountMinor: 6_250n,
  quoteDiscountMinor: 0n,
  optional: false,
  selected: true,
  unitCostMinor: null,
  costMinor: null,
  trail: [{ step: 'manual_price', message: 'Manual price', amountMinor: 125_000n }],
  bundle: null,
  invoicingPolicy: 'on_delivery' as const,
};

const quote = (id: string, number: string, customerId: string, productId: string): QuoteRecord => ({
  id: asId('quote', id),
  number,
  version: 1,
  rootId: asId('quote', id),
  previousVersionId: null,
  customerId: asId('customer', customerId),
  currency: 'SEK',
  status: 'draft',
  quoteDate: '2026-12-04',
  validUntil: '2027-01-03',
  paymentTermsDays: 30,
  notes: 'Leverans vecka 50',
  netTotalMinor: 237_500n,
  vatTotalMinor: 59_375n,
  grossTotalMinor: 296_875n,
  quoteDiscount: null,
  quoteDiscountMinor: 0n,
  costTotalMinor: null,
  marginMinor: null,
  pricesIncludeVat: false,
  roundingMinor: 0n,
  sentAt: null,
  acceptedAt: null,
  declinedReason: null,
  declinedAt: null,
  expiredAt: null,
  supersededAt: null,
  createdAt: AT,
  lines: [
    { ...pricedLine(1, productId), ...quoteLineExtras, lineKey: 'L1', taxClass: 'standard' },
    { ...pricedLine(2, null), ...quoteLineExtras, lineKey: 'L2', quantity: decimal4('2.5'), description: 'Setup', taxClass: 'standard' },
  ],
});

const order = (id: string, number: string, q: QuoteRecord): OrderRecord => ({
  id: asId('order', id),
  number,
  quoteId: q.id,
  customerId: q.customerId,
  currency: q.currency,
  status: 'unconfirmed',
  orderDate: '2026-12-05',
  paymentTermsDays: q.paymentTermsDays,
  netTotalMinor: q.netTotalMinor,
  vatTotalMinor: q.vatTotalMinor,
  grossTotalMinor: q.grossTotalMinor,
  pricesIncludeVat: q.pricesIncludeVat,
  roundingMinor: q.roundingMinor,
  confirmedAt: null,
  createdAt: AT,
  version: 1,
  holdReason: null,
  heldAt: null,
  releasedAt: null,
  releasedBy: null,
  customerConfirmedAt: null,
  cancelledAt: null,
  closedAt: null,
  lines: q.lines.map((ql) => {
    const {
      lineKey: _key, lineDiscount: _ld, lineDiscountMinor: _ldm, quoteDiscountMinor: _qd, optional: _o, selected: _s,
      unitCostMinor: _uc, costMinor: _c, trail: _t, ...l
    } = ql;
    return {
      ...l,
      quantityAllocated: ZERO_D,
      quantityShipped: ZERO_D,
      quantityDelivered: ZERO_D,
      quantityInvoiced: ZERO_D,
      netInvoicedMinor: 0n,
      quantityCancelled: ZERO_D,
      quantityReserved: ZERO_D,
      quantityReturned: ZERO_D,
      quantityReplacement: ZERO_D,
      quantityCredited: ZERO_D,
      invoicingPolicy: 'on_delivery' as const,
      fulfilmentKind: 'goods' as const,
      stockTracked: false,
      addedInVersion: 1,
    };
  }),
});

const entry = (id: string, number: number, lines: [string, bigint, bigint][]): JournalEntryRecord => ({
  id: asId('journalEntry', id),
  series: 'A',
  fiscalYear: 2026,
  number,
  entryDate: '2026-12-06',
  description: `Entry ${number}`,
  sourceType: 'invoice',
  sourceId: 'inv_1',
  reversesEntryId: null,
  createdAt: AT,
  documentDate: null,
  createdBy: null,
  lines: lines.map(([account, debitMinor, creditMinor], i) => ({
    lineNo: i + 1,
    account,
    currency: 'SEK',
    debitMinor,
    creditMinor,
    customerId: account === '1510' ? asId('customer', 'cus_a') : null,
    amountCurrency: null,
    amountMinor: null,
  })),
});

/** Customer cus_a, product prd_a, quote qte_a (draft) and order ord_a (unconfirmed) for the tenant. */
async function seedDocuments(s: Store): Promise<{ q: QuoteRecord; o: OrderRecord }> {
  await s.customers.insert(customer('cus_a'));
  await s.products.insert(product('prd_a', 'SKU-A'));
  const q = quote('qte_a', 'Q-2026-0001', 'cus_a', 'prd_a');
  await s.quotes.insert(q);
  const o = order('ord_a', 'SO-2026-0001', q);
  await s.orders.insert(o);
  return { q, o };
}

// ------------------------------------------------------------------------------------ suites

describe.each(TEST_DATABASES)('repositories [%s]', (kind) => {
  const t = useTestDb(kind, { max: 25 });
  let tenantId: TenantId;
  let docs: { q: QuoteRecord; o: OrderRecord };

  it('seeds a tenant and reads it back', async () => {
    tenantId = await seedTenant(t().db);
    expect(await t().db.store(tenantId).tenant.get()).toEqual({
      id: 'ten_test',
      name: 'Testbolaget AB',
      orgNumber: '556677-8899',
      vatNumber: 'SE556677889901',
      baseCurrency: 'SEK',
      country: 'SE',
      bankgiro: '123-4567',
      iban: null,
      bic: null,
      fSkatt: true,
      addressLine1: 'Testvägen 1',
      addressLine2: null,
      postalCode: '111 11',
      city: 'Stockholm',
      email: 'faktura@testbolaget.example',
      phone: null,
      logoPng: null,
      creditHoldOverdueDays: null,
      allowNegativeStock: false,
      reviewWindowDays: 14,
      paymentReferenceKind: 'ocr',
      ocrControl: 'hard_variable_length',
      ocrLengths: null,
      billingGrouping: 'per_order',
    });
    expect((await t().db.platform.listTenants()).map((x) => x.id)).toEqual(['ten_test']);
  });

  it('round-trips a quote with its lines and an order', async () => {
    docs = await t().db.transaction(tenantId, seedDocuments);
    const s = t().db.store(tenantId);
    expect(await s.quotes.get(docs.q.id)).toEqual(docs.q);
    expect(await s.orders.get(docs.o.id)).toEqual(docs.o);
    expect(await s.customers.get(asId('customer', 'cus_a'))).toEqual(customer('cus_a'));
    expect(await s.products.get(asId('product', 'prd_a'))).toEqual(product('prd_a', 'SKU-A'));
    expect(await s.quotes.get(asId('quote', 'qte_missing'))).toBeUndefined();
    const locked = await t().db.transaction(tenantId, (tx) => tx.quotes.getForUpdate(docs.q.id));
    expect(locked).toEqual(docs.q);
  });

  it('maps a unique violation on insert to DomainError conflict naming the field or the constraint', async () => {
    const s = t().db.store(tenantId);
    const error = await s.products.insert(product('prd_dup', 'SKU-A')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'conflict', param: 'sku', message: expect.stringContaining('sku already exists') });
    await expect(s.customers.insert(customer('cus_a'))).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('customers_pkey'),
    });
  });

  it('updates products and upserts prices', async () => {
    const s = t().db.store(tenantId);
    const id = asId('product', 'prd_a');
    await s.products.setPrice(id, 'SEK', 13_000n);
    await s.products.setPrice(id, 'NOK', 15_000n);
    await s.products.update(id, { active: false });
    await s.products.update(id, {});
    expect(await s.products.get(id)).toMatchObject({
      name: 'Product SKU-A',
      active: false,
      unitPrices: { EUR: 1_100n, NOK: 15_000n, SEK: 13_000n },
    });
  });

  it('transitions with a status guard and stamps the instant', async () => {
    const s = t().db.store(tenantId);
    expect(await s.quotes.transition(docs.q.id, 'draft', 'sent', AT)).toBe(true);
    expect(await s.quotes.transition(docs.q.id, 'draft', 'sent', AT)).toBe(false); // no longer draft
    const later = new Date('2026-12-05T09:30:00.000Z');
    expect(await s.quotes.transition(docs.q.id, 'sent', 'accepted', later)).toBe(true);
    expect(await s.quotes.get(docs.q.id)).toMatchObject({ status: 'accepted', sentAt: AT, acceptedAt: later });
    expect(await s.orders.transition(docs.o.id, 'unconfirmed', 'confirmed', later)).toBe(true);
    expect(await s.orders.get(docs.o.id)).toMatchObject({ status: 'confirmed', confirmedAt: later });
  });

  it('applies order line deltas in numeric arithmetic and refuses one that breaks a CHECK', async () => {
    const { db } = t();
    await db.transaction(tenantId, (s) =>
      s.orders.applyLineDeltas(docs.o.id, [
        { lineNo: 1, allocated: decimal4('10') },
        { lineNo: 2, allocated: decimal4('2.5') },
        { lineNo: 1, shipped: decimal4('4.25'), delivered: decimal4('4.25') },
        { lineNo: 1, invoiced: decimal4('4'), netInvoicedMinor: 47_500n },
      ]),
    );
    const before = await db.store(tenantId).orders.get(docs.o.id);
    expect(before?.lines[0]).toMatchObject({
      quantityAllocated: decimal4('10'),
      quantityShipped: decimal4('4.25'),
      quantityDelivered: decimal4('4.25'),
      quantityInvoiced: decimal4('4'),
      netInvoicedMinor: 47_500n,
    });

    // the first delta is fine, the second ships more than was allocated: all of it rolls back
    const error = await db
      .transaction(tenantId, (s) =>
        s.orders.applyLineDeltas(docs.o.id, [
          { lineNo: 2, shipped: decimal4('1') },
          { lineNo: 1, shipped: decimal4('6'), delivered: decimal4('0') },
        ]),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code: 'quantity_exceeds_open' });
    // a negative delta below zero is refused too
    await expect(
      db.transaction(tenantId, (s) => s.orders.applyLineDeltas(docs.o.id, [{ lineNo: 2, allocated: decimal4('-3') }])),
    ).rejects.toMatchObject({ code: 'quantity_exceeds_open' });
    expect(await db.store(tenantId).orders.get(docs.o.id)).toEqual(before);

    await expect(
      db.transaction(tenantId, (s) => s.orders.applyLineDeltas(docs.o.id, [{ lineNo: 9, allocated: decimal4('1') }])),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('round-trips deliveries, invoices with VAT breakdown, open items, payments and allocations', async () => {
    const { db } = t();
    const invoice: InvoiceRecord = {
      id: asId('invoice', 'inv_a'),
      series: 'F',
      number: null,
      status: 'draft',
      orderId: docs.o.id,
      customerId: docs.o.customerId,
      currency: 'SEK',
      issueDate: null,
      dueDate: null,
      deliveryDate: '2026-12-06',
      paymentTermsDays: 30,
      paymentReference: null,
      netTotalMinor: 47_500n,
      vatTotalMinor: 11_875n,
      grossTotalMinor: 59_375n,
      seller: null,
      buyer: {
        name: 'Kund AB', orgNumber: '556000-1111', vatNumber: null, country: 'SE',
        addressLine1: 'Storgatan 1', addressLine2: null, postalCode: '111 22', city: 'Stockholm', email: null,
      },
      issuedAt: null,
      createdAt: AT,
      lines: [{ ...pricedLine(1, 'prd_a'), quantity: decimal4('4'), grossAmountMinor: 50_000n, discountAmountMinor: 2_500n, netAmountMinor: 47_500n, orderId: docs.o.id, orderLineNo: 1 }],
      vatBreakdown: [
        { vatCategory: 'Z', vatRate: decimal4('0'), taxableMinor: 0n, vatMinor: 0n },
        { vatCategory: 'S', vatRate: decimal4('25'), taxableMinor: 47_500n, vatMinor: 11_875n },
      ],
      // decision 0010: an ordinary invoice that deducts no advance
      kind: 'standard',
      advanceLabel: null,
      prepaidMinor: 0n,
      // decision 0009: no öre rounding (a net-priced order)
      roundingMinor: 0n,
      advanceDeductions: [],
    };
    await db.transaction(tenantId, async (s) => {
      await s.deliveries.insert({
        id: asId('delivery', 'dlv_a'), number: 'DN-2026-0001', orderId: docs.o.id, status: 'created', kind: 'standard',
        warehouseId: null, claimId: null, carrier: null, trackingNumber: null, pickedAt: null, packedAt: null, shippedAt: null,
        deliveredAt: null, deliveredOn: null, cancelledAt: null, proof: null, reviewStatus: null, reviewedAt: null, createdAt: AT,
        lines: [{ lineNo: 1, orderLineNo: 1, quantity: decimal4('4.25'), hours: null }],
      });
      await s.invoices.insert(invoice);
    });
    const s = db.store(tenantId);
    expect(await s.deliveries.markDelivered(asId('delivery', 'dlv_a'), AT, '2026-12-06')).toBe(false); // not shipped
    expect(await s.deliveries.markShipped(asId('delivery', 'dlv_a'), AT, 'PostNord', 'PN123')).toBe(true);
    expect(await s.deliveries.markDelivered(asId('delivery', 'dlv_a'), AT, '2026-12-06')).toBe(true);
    expect(await s.deliveries.listByOrder(docs.o.id)).toMatchObject([
      { id: 'dlv_a', status: 'delivered', carrier: 'PostNord', deliveredOn: '2026-12-06', lines: [{ lineNo: 1, quantity: decimal4('4.25') }] },
    ]);

    const stored = await s.invoices.get(invoice.id);
    expect(stored).toEqual({ ...invoice, vatBreakdown: [invoice.vatBreakdown[1], invoice.vatBreakdown[0]] });

    const seller = { name: 'Testbolaget AB', orgNumber: '556677-8899', vatNumber: 'SE556677889901', country: 'SE', addressLine1: null, addressLine2: null, postalCode: null, city: null, bankgiro: '123-4567', fSkatt: true };
    const issue = { series: 'F', number: '2026-00001', issueDate: '2026-12-06', dueDate: '2027-01-05', paymentReference: '1234567890', seller, issuedAt: AT };
    expect(await db.transaction(tenantId, (tx) => tx.invoices.issue(invoice.id, issue))).toBe(true);
    expect(await s.invoices.issue(invoice.id, issue)).toBe(false); // not a draft any more
    expect(await s.invoices.get(invoice.id)).toMatchObject({ status: 'issued', number: '2026-00001', seller, issuedAt: AT });
    // the immutability trigger guards issued invoices against anyone bypassing the repository
    await expect(
      t().kysely.updateTable('invoices').set({ due_date: '2027-02-01' }).where('id', '=', invoice.id).execute(),
    ).rejects.toThrow(/immutable/);
    expect((await s.invoices.findIssuedByReferences(['1234567890'], [])).map((i) => i.id)).toEqual(['inv_a']);
    expect((await s.invoices.findIssuedByReferences(['nope'], ['2026-00001'])).map((i) => i.id)).toEqual(['inv_a']);
    expect(await s.invoices.findIssuedByReferences([], [])).toEqual([]);
    expect((await s.invoices.listByOrder(docs.o.id)).map((i) => i.id)).toEqual(['inv_a']);
    expect((await s.invoices.list({ limit: 10 }, { customerId: docs.o.customerId })).data.map((i) => i.id)).toEqual(['inv_a']);
    expect((await s.invoices.list({ limit: 10 }, { customerId: asId('customer', 'cus_other') })).data).toEqual([]);

    const openItem = {
      id: asId('openItem', 'oi_a'), customerId: docs.o.customerId, invoiceId: invoice.id, currency: 'SEK',
      documentDate: '2026-12-06', dueDate: '2027-01-05', originalMinor: 59_375n, openMinor: 59_375n,
      baseOriginalMinor: 59_375n, baseOpenMinor: 59_375n,
    };
    await s.openItems.insert(openItem);
    expect(await s.openItems.getByInvoice(invoice.id)).toEqual(openItem);
    const payment = {
      id: asId('payment', 'pay_a'), customerId: null, currency: 'SEK', amountMinor: 70_000n, unappliedMinor: 70_000n,
      receivedOn: '2026-12-20', payerName: 'Kund AB', payerAccount: null, referenceText: '1234567890',
      matchedInvoiceId: invoice.id, matchMethod: 'ocr_reference' as const, createdAt: AT,
      exchangeRate: RATE_SCALE, baseCurrency: 'SEK', baseAmountMinor: 70_000n, baseUnappliedMinor: 70_000n,
    };
    await s.payments.insert(payment);
    await db.transaction(tenantId, async (tx) => {
      const [item] = await tx.openItems.getByInvoicesForUpdate([invoice.id]);
      expect(item?.id).toBe('oi_a');
      expect(await tx.payments.getForUpdate(payment.id)).toEqual({ ...payment, status: 'received', returnedOn: null, returnReason: null });
      expect(await tx.openItems.reduce(openItem.id, 60_000n)).toBe(false); // more than is open
      expect(await tx.openItems.reduce(openItem.id, 50_000n)).toBe(true);
      expect(await tx.payments.reduceUnapplied(payment.id, 80_000n, docs.o.customerId)).toBe(false);
      expect(await tx.payments.reduceUnapplied(payment.id, 50_000n, docs.o.customerId)).toBe(true);
      await tx.allocations.insert({
        id: asId('allocation', 'alc_a'), paymentId: payment.id, openItemId: openItem.id, invoiceId: invoice.id,
        amountMinor: 50_000n, appliedOn: '2026-12-20', createdAt: AT,
        baseAmountMinor: 50_000n, baseOpenMinor: 50_000n, fxDifferenceMinor: 0n,
      });
    });
    expect(await s.openItems.openTotals()).toEqual([{ currency: 'SEK', openMinor: 9_375n }]);
    expect(await s.openItems.openTotals(asId('customer', 'cus_other'))).toEqual([]);
    expect(await s.openItems.listOpen({ asOf: '2026-12-31' })).toMatchObject([{ id: 'oi_a', openMinor: 9_375n }]);
    expect(await s.openItems.listOpen({ asOf: '2026-12-01' })).toEqual([]);
    expect(await s.payments.unappliedTotals(docs.o.customerId)).toEqual([{ currency: 'SEK', unappliedMinor: 20_000n }]);
    expect(await s.payments.get(payment.id)).toMatchObject({ customerId: 'cus_a', unappliedMinor: 20_000n });
    expect((await s.payments.list({ limit: 5 }, { unappliedOnly: true })).data.map((p) => p.id)).toEqual(['pay_a']);
    expect(await s.allocations.listByPayment(payment.id)).toMatchObject([{ id: 'alc_a', amountMinor: 50_000n, appliedOn: '2026-12-20' }]);
    expect(await s.allocations.listByInvoice(invoice.id)).toHaveLength(1);
  });

  it('paginates by id with starting_after and hasMore', async () => {
    const { db } = t();
    await db.transaction(tenantId, async (s) => {
      for (const n of [1, 2, 3, 4]) await s.customers.insert(customer(`cus_p${n}`));
    });
    const s = db.store(tenantId);
    const first = await s.customers.list({ limit: 2 });
    expect(first).toMatchObject({ hasMore: true, data: [{ id: 'cus_a' }, { id: 'cus_p1' }] });
    const second = await s.customers.list({ limit: 2, startingAfter: 'cus_p1' });
    expect(second).toMatchObject({ hasMore: true, data: [{ id: 'cus_p2' }, { id: 'cus_p3' }] });
    const last = await s.customers.list({ limit: 2, startingAfter: 'cus_p3' });
    expect(last).toMatchObject({ hasMore: false, data: [{ id: 'cus_p4' }] });
    await expect(s.customers.list({ limit: 0 })).rejects.toMatchObject({ code: 'validation_failed' });
    const quotes = await s.quotes.list({ limit: 10 });
    expect(quotes.data[0]?.lines).toHaveLength(2);
  });

  it('keeps tenants apart: rows of one tenant are invisible through another tenant’s store', async () => {
    const { db } = t();
    const other = await seedTenant(db, 'ten_other');
    const b = db.store(other);
    expect(await b.customers.get(asId('customer', 'cus_a'))).toBeUndefined();
    expect(await b.quotes.get(docs.q.id)).toBeUndefined();
    expect(await b.orders.get(docs.o.id)).toBeUndefined();
    expect(await b.invoices.get(asId('invoice', 'inv_a'))).toBeUndefined();
    expect((await b.customers.list({ limit: 10 })).data).toEqual([]);
    expect(await b.quotes.transition(docs.q.id, 'accepted', 'expired', AT)).toBe(false);
    expect(await b.openItems.reduce(asId('openItem', 'oi_a'), 1n)).toBe(false);
    expect(await b.openItems.openTotals()).toEqual([]);
    expect(await b.journal.trialBalance({})).toEqual([]);
    // the same ids may exist in both tenants
    await b.customers.insert(customer('cus_a', { name: 'Annan kund AB' }));
    expect((await b.customers.get(asId('customer', 'cus_a')))?.name).toBe('Annan kund AB');
    expect((await db.store(tenantId).customers.get(asId('customer', 'cus_a')))?.name).toBe('Kund AB');
    // and their series are separate
    expect(await b.series.next('Q-2026')).toBe(1n);
  });

  it('posts balanced journal entries and reports trial balance and account balances', async () => {
    const { db } = t();
    await db.transaction(tenantId, async (s) => {
      await s.journal.insert(entry('je_1', 1, [['1510', 59_375n, 0n], ['3001', 0n, 47_500n], ['2611', 0n, 11_875n]]));
      await s.journal.insert({ ...entry('je_2', 2, [['1930', 50_000n, 0n], ['1510', 0n, 50_000n]]), entryDate: '2026-12-20', sourceId: 'pay_a' });
    });
    const s = db.store(tenantId);
    expect(await s.journal.get(asId('journalEntry', 'je_1'))).toEqual(entry('je_1', 1, [['1510', 59_375n, 0n], ['3001', 0n, 47_500n], ['2611', 0n, 11_875n]]));
    expect((await s.journal.list({ limit: 10 }, { sourceId: 'pay_a' })).data.map((e) => e.id)).toEqual(['je_2']);
    expect(await s.journal.trialBalance({})).toEqual([
      { account: '1510', currency: 'SEK', debitMinor: 59_375n, creditMinor: 50_000n },
      { account: '1930', currency: 'SEK', debitMinor: 50_000n, creditMinor: 0n },
      { account: '2611', currency: 'SEK', debitMinor: 0n, creditMinor: 11_875n },
      { account: '3001', currency: 'SEK', debitMinor: 0n, creditMinor: 47_500n },
    ]);
    expect((await s.journal.trialBalance({ from: '2026-12-10' })).map((r) => r.account)).toEqual(['1510', '1930']);
    expect((await s.journal.trialBalance({ to: '2026-12-10' })).map((r) => r.account)).toEqual(['1510', '2611', '3001']);
    expect(await s.journal.accountBalance('1510')).toEqual([{ currency: 'SEK', balanceMinor: 9_375n }]);
    expect(await s.journal.accountBalance('1510', asId('customer', 'cus_a'))).toEqual([{ currency: 'SEK', balanceMinor: 9_375n }]);
    expect(await s.journal.accountBalance('1510', asId('customer', 'cus_other'))).toEqual([]);
    expect(await s.journal.accountBalance('1930')).toEqual([{ currency: 'SEK', balanceMinor: 50_000n }]);
  });

  it('rejects an unbalanced journal entry at commit, and any change to a posted one', async () => {
    const { db } = t();
    const error = await db
      .transaction(tenantId, async (s) => {
        await s.journal.insert(entry('je_bad', 3, [['1510', 10_000n, 0n], ['3001', 0n, 9_999n]]));
        return 'inserted (the check waits for COMMIT)';
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringMatching(/does not balance/) });
    expect(await db.store(tenantId).journal.get(asId('journalEntry', 'je_bad'))).toBeUndefined();
    await expect(
      t().kysely.updateTable('journal_lines').set({ debit_minor: 1n }).where('entry_id', '=', 'je_1').execute(),
    ).rejects.toThrow(/immutable/);
    await expect(t().kysely.deleteFrom('journal_entries').where('id', '=', 'je_1').execute()).rejects.toThrow(/immutable/);
  });

  it('writes audit rows and outbox events with generated ids', async () => {
    const { db, kysely } = t();
    await db.transaction(tenantId, async (s) => {
      await s.audit.insert({ actor: 'key_1', action: 'quote.sent', entityType: 'quote', entityId: docs.q.id, data: { total: 296_875n } });
      await s.audit.insert({ actor: 'key_1', action: 'quote.viewed', entityType: 'quote', entityId: docs.q.id });
      await s.outbox.insert({ eventType: 'quote.sent', payload: { id: docs.q.id, amount: 296_875n } });
    });
    // (the tenant's journal entries posted earlier in this file have their own sealed 'journal.posted' rows)
    const audit = await kysely.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId).where('entity_type', '=', 'quote').orderBy('id').execute();
    expect(audit).toHaveLength(2);
    for (const a of audit) expect(a.id).toMatch(/^aud_[0-9a-z]{26}$/);
    expect(audit.map((a) => a.data)).toContainEqual({ total: '296875' });
    const events = await kysely.selectFrom('outbox').selectAll().where('tenant_id', '=', tenantId).execute();
    expect(events).toMatchObject([{ event_type: 'quote.sent', payload: { id: 'qte_a', amount: '296875' }, published_at: null }]);
    expect(events[0]?.id).toMatch(/^evt_[0-9a-z]{26}$/);
  });

  it('hands out gapless numbers to 20 concurrent transactions', async () => {
    const { db } = t();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction(tenantId, async (s) => {
          const n = await s.series.next('INV-2026');
          await sleep(5 + (i % 4)); // hold the row lock a moment: the others must queue on it
          return n;
        }),
      ),
    );
    expect([...results].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(Array.from({ length: 20 }, (_, i) => BigInt(i + 1)));
    // a rolled-back transaction gives its number back
    await expect(
      db.transaction(tenantId, async (s) => {
        expect(await s.series.next('INV-2026')).toBe(21n);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.store(tenantId).series.next('INV-2026')).toBe(21n);
    expect(await db.store(tenantId).series.next('Q-2026')).toBe(1n);
  });

  it('claims, completes, replays and releases idempotency keys', async () => {
    const { db, kysely } = t();
    const s = db.store(tenantId);
    expect(await s.idempotency.begin('k1', 'hash-a', 60_000)).toEqual({ kind: 'started' });
    expect(await s.idempotency.begin('k1', 'hash-a', 60_000)).toEqual({ kind: 'in_progress' });
    expect(await s.idempotency.begin('k1', 'hash-b', 60_000)).toEqual({ kind: 'mismatch' });
    // completed inside the work transaction
    await db.transaction(tenantId, (tx) => tx.idempotency.complete('k1', 201, { id: 'qte_x', total: 5n }));
    expect(await s.idempotency.begin('k1', 'hash-a', 60_000)).toEqual({ kind: 'replay', status: 201, body: { id: 'qte_x', total: '5' } });
    expect(await s.idempotency.begin('k1', 'hash-b', 60_000)).toEqual({ kind: 'mismatch' });

    // a work transaction that rolls back leaves the claim in progress; release frees the key
    expect(await s.idempotency.begin('k2', 'hash-a', 60_000)).toEqual({ kind: 'started' });
    await expect(
      db.transaction(tenantId, async (tx) => {
        await tx.idempotency.complete('k2', 200, {});
        throw new Error('work failed');
      }),
    ).rejects.toThrow('work failed');
    expect(await s.idempotency.begin('k2', 'hash-a', 60_000)).toEqual({ kind: 'in_progress' });
    await s.idempotency.release('k2');
    expect(await s.idempotency.begin('k2', 'hash-a', 60_000)).toEqual({ kind: 'started' });

    // a stale claim (its request crashed) is taken over once
    await kysely
      .updateTable('idempotency_keys')
      .set({ locked_at: sql`now() - interval '10 minutes'` })
      .where('tenant_id', '=', tenantId)
      .where('key', '=', 'k2')
      .execute();
    const takers = await Promise.all([s.idempotency.begin('k2', 'hash-a', 60_000), s.idempotency.begin('k2', 'hash-a', 60_000)]);
    expect(takers.map((r) => r.kind).sort()).toEqual(['in_progress', 'started']);
    expect(await s.idempotency.begin('k2', 'hash-b', 60_000)).toEqual({ kind: 'mismatch' });

    // only one execution can complete a key: the taker completes, the slow original then cannot
    expect(await db.transaction(tenantId, (tx) => tx.idempotency.complete('k2', 201, { by: 'taker' }))).toBe(true);
    expect(await db.transaction(tenantId, (tx) => tx.idempotency.complete('k2', 201, { by: 'original' }))).toBe(false);
    expect(await s.idempotency.begin('k2', 'hash-a', 60_000)).toEqual({ kind: 'replay', status: 201, body: { by: 'taker' } });

    // keys are per tenant
    expect(await db.store(asId('tenant', 'ten_other')).idempotency.begin('k1', 'hash-z', 60_000)).toEqual({ kind: 'started' });
  });

  it('stores and finds API keys before the tenant is known', async () => {
    const { db } = t();
    const key = {
      tenantId, id: asId('apiKey', 'key_a'), name: 'CI', keyHash: 'sha256:abc', keyPrefix: 'q2c_live_ab', role: 'admin',
      createdAt: AT, lastUsedAt: null, revokedAt: null, platformAdmin: false,
    };
    await db.platform.insertApiKey(key);
    expect(await db.platform.findApiKeyByHash('sha256:abc')).toEqual(key);
    expect(await db.platform.findApiKeyByHash('sha256:none')).toBeUndefined();
    const used = new Date('2026-12-07T08:00:00.000Z');
    await db.platform.touchApiKey(tenantId, key.id, used);
    expect(await db.platform.findApiKeyByHash('sha256:abc')).toEqual({ ...key, lastUsedAt: used });
    await expect(db.platform.insertApiKey(key)).rejects.toMatchObject({ code: 'conflict' });
  });
});
