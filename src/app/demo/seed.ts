/**
 * Demo data for a brand-new embedded database: a company, customers, products and documents in every
 * stage (draft and sent quotes, a confirmed order, a delivered order, an unpaid, a partly paid and a
 * fully paid invoice). Only ever called on a fresh PGlite database, never with DATABASE_URL.
 */
import type { TenantId } from '../../core/shared/ids.js';
import type { AppDeps } from '../shared/env.js';
import { Chain, type StepLogger } from './chain.js';

export async function seedDemo(deps: AppDeps, tenantId: TenantId, log?: StepLogger) {
  const c = new Chain(deps, tenantId, log);
  const acme = await c.customer({
    name: 'Acme Bygg AB', email: 'ekonomi@acmebygg.example', orgNumber: '556123-4567', vatNumber: 'SE556123456701',
    addressLine1: 'Storgatan 1', postalCode: '111 22', city: 'Stockholm',
  });
  const nord = await c.customer({
    name: 'Nordkök Restaurang AB', email: 'faktura@nordkok.example', orgNumber: '556765-4321', vatNumber: 'SE556765432101',
    paymentTermsDays: 15, addressLine1: 'Kungsgatan 12', postalCode: '411 19', city: 'Göteborg',
  });
  const lind = await c.customer({
    name: 'Lindqvist Konsult', email: 'anna@lindqvist.example', paymentTermsDays: 10,
    addressLine1: 'Drottninggatan 5', postalCode: '211 41', city: 'Malmö',
  });
  const drill = await c.product('DRILL-18V', 'Cordless drill 18 V', '1495.00');
  const bits = await c.product('BITS-32', 'Bit set, 32 pieces', '249.00');
  const coffee = await c.product('COFFEE-1KG', 'Coffee beans 1 kg', '189.00', 'food', 'KGM');
  const install = await c.product('SRV-INSTALL', 'Installation service', '950.00', 'standard', 'HUR');
  const book = await c.product('BOOK-BAS', 'BAS handbook', '395.00', 'reduced_6');

  await c.quote(lind.id, [{ productId: install.id, quantity: '4' }]); // draft
  await c.send(await c.quote(nord.id, [{ productId: coffee.id, quantity: '20' }, { productId: book.id, quantity: '2' }])); // sent

  const confirmed = await c.accept(await c.send(await c.quote(acme.id, [{ productId: drill.id, quantity: '3' }])));
  await c.confirm(confirmed); // confirmed, not delivered

  const delivered = await c.accept(await c.send(await c.quote(nord.id, [{ productId: coffee.id, quantity: '10' }])));
  await c.confirm(delivered);
  await c.deliver(delivered); // delivered, not invoiced

  const unpaidOrder = await c.accept(await c.send(await c.quote(lind.id, [{ productId: install.id, quantity: '6' }])));
  await c.confirm(unpaidOrder);
  await c.deliver(unpaidOrder);
  await c.invoice(unpaidOrder); // issued, unpaid

  const partOrder = await c.accept(
    await c.send(await c.quote(acme.id, [{ productId: drill.id, quantity: '2', discount: '10' }, { productId: bits.id, quantity: '2' }])),
  );
  await c.confirm(partOrder);
  await c.deliver(partOrder);
  const partInvoice = await c.invoice(partOrder);
  await c.pay(partInvoice, partInvoice.grossTotalMinor / 2n); // partly paid

  const paidOrder = await c.accept(await c.send(await c.quote(acme.id, [{ productId: bits.id, quantity: '5' }, { productId: install.id, quantity: '2' }])));
  await c.confirm(paidOrder);
  await c.deliver(paidOrder);
  const paidInvoice = await c.invoice(paidOrder);
  await c.pay(paidInvoice, paidInvoice.grossTotalMinor, `Faktura ${paidInvoice.number}`); // fully paid, matched by invoice number
  return { customers: [acme, nord, lind] };
}
