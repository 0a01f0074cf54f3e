/**
 * `q2c demo`: runs the whole chain on the configured database and checks its own results: the trial
 * balance balances, a partial payment leaves the rest in the aging report, and after full payment the
 * customer's balance is 0.00 and the invoice is paid.
 */
import { formatAmount, money } from '../../core/money/money.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { AppDeps } from '../shared/env.js';
import { agingReport } from '../reports/aging.js';
import { customerBalance } from '../reports/customer-balance.js';
import { trialBalance, type TrialBalance } from '../reports/trial-balance.js';
import { Chain, type StepLogger } from './chain.js';

export interface DemoResult {
  invoiceNumber: string;
  invoicePaid: boolean;
  agingAfterPartialMinor: bigint;
  customerBalanceMinor: bigint;
  trialBalance: TrialBalance;
  checks: { name: string; ok: boolean }[];
}

export async function runDemo(deps: AppDeps, tenantId: TenantId, log: StepLogger): Promise<DemoResult> {
  const c = new Chain(deps, tenantId, log);
  const stamp = deps.clock.now().getTime().toString(36).slice(-5).toUpperCase();
  const customer = await c.customer({
    name: `Demo Kund ${stamp} AB`, email: 'demo@example.com', orgNumber: '556000-0000', paymentTermsDays: 30,
    addressLine1: 'Demovägen 1', postalCode: '123 45', city: 'Uppsala',
  });
  const widget = await c.product(`WIDGET-${stamp}`, 'Widget', '125.00');
  const service = await c.product(`CONSULT-${stamp}`, 'Consulting hour', '1100.00', 'standard', 'HUR');
  const book = await c.product(`BOOK-${stamp}`, 'Handbook', '300.00', 'reduced_6');
  const quote = await c.send(
    await c.quote(customer.id, [
      { productId: widget.id, quantity: '10', discount: '5' },
      { productId: service.id, quantity: '2.5' },
      { productId: book.id, quantity: '1' },
    ]),
  );
  const order = await c.confirm(await c.accept(quote));
  await c.deliver(order, [{ orderLineNo: 1, quantity: '6' }]);
  await c.deliver(order);
  const invoice = await c.invoice(order);
  const partial = invoice.grossTotalMinor - 100_000n > 0n ? 100_000n : invoice.grossTotalMinor / 2n;
  await c.pay(invoice, partial);
  const today = deps.clock.today();
  const aging = await deps.db.transaction(tenantId, (s) => agingReport(s, today, customer.id));
  const agingAfterPartialMinor = aging.rows.reduce((a, r) => a + r.totalMinor, 0n);
  log('aging after partial payment', { open: `${formatAmount(money(agingAfterPartialMinor, invoice.currency))} ${invoice.currency}` });
  await c.pay(invoice, invoice.grossTotalMinor - partial);
  const open = await c.openAmount(invoice.id);
  const balances = await deps.db.transaction(tenantId, (s) => customerBalance(s, deps.accounts.receivable, customer.id));
  const sek = balances.currencies.find((b) => b.currency === invoice.currency);
  const tb = await deps.db.transaction(tenantId, (s) => trialBalance(s, {}));
  const checks = [
    { name: 'trial balance balances', ok: tb.totals.every((t) => t.balanced) },
    { name: 'aging shows the rest after the partial payment', ok: agingAfterPartialMinor === invoice.grossTotalMinor - partial },
    { name: 'invoice is paid', ok: open === 0n },
    { name: 'customer balance is 0.00', ok: sek !== undefined && sek.receivableMinor === 0n && balances.ledgerReceivableMinor === 0n && balances.matches },
  ];
  return {
    invoiceNumber: invoice.number ?? '',
    invoicePaid: open === 0n,
    agingAfterPartialMinor,
    customerBalanceMinor: sek?.receivableMinor ?? 0n,
    trialBalance: tb,
    checks,
  };
}
