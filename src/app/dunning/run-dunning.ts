/**
 * The dunning run for one tenant and one date (default today), idempotent per day: the run row is
 * claimed first, in a short transaction of its own, under the unique key (tenant, run_date), so a
 * second run of the same date (a retry, the hourly job, two servers) finds it and sends nothing; it
 * returns the first run's report with already_run = true.
 *
 * Transactions are short, so the invoice number series (locked while a fee or interest invoice takes
 * its number) is never held across the whole run: one transaction reports newly overdue invoices,
 * then each customer and currency is reminded in its own transaction (a failure is reported under
 * `failed` and the others still go through), and a last one stores the report (`onStored` runs in it,
 * so the API completes its idempotency key atomically with the report). A run that stopped before its
 * report was stored (a crash) is resumed by the next run of that date: what each invoice was reminded
 * of is kept per invoice (invoice_dunning.last_level, and a unique index on reminder items), so
 * resuming never sends a level twice; the resumed run's report lists what the resumption sent.
 *
 * What a run does, per the tenant's schedule (settings.ts; core/receivables/dunning.ts):
 * 1. Every issued invoice open on the date and past its due date (dunning's own fee and interest
 *    invoices left out: no reminders or interest on them) that was never reported overdue is
 *    reported once: event invoice.overdue.
 * 2. Invoices with an open claim on any of their orders' lines are paused: left out of reminders and
 *    interest while the claim is open (listed under `paused`). Paid invoices have no open item
 *    amount and drop out by themselves (stopped when paid).
 * 3. Per customer and currency: each invoice's level is the highest level whose days after due it has
 *    reached; when at least one invoice reached a level above the last one it was reminded at, ONE
 *    consolidated reminder goes out listing all that customer's overdue invoices in that currency,
 *    each at its own level (escalated = raised by this reminder). A reminder never goes out twice for
 *    the same level of an invoice (also a unique index on reminder_items).
 * 4. The reminder fee: the highest fee of the levels reached, at most the cap; charged only on a
 *    reminder in the tenant's base currency (the statutory cap is in SEK). It is issued as a fee
 *    invoice (charge-invoice.ts: 1510 / reminderFees, no VAT) whose number and reference the reminder
 *    prints.
 * 5. Late-payment interest on each listed invoice, on its open amount as of the run date, from the
 *    later of its due date and the date interest was last invoiced through, up to the run date, at
 *    the reference rate in force on each day + the margin (computed per period when the rate changes).
 *    When the customer's total exceeds the tenant minimum, one interest invoice is issued (1510 /
 *    8313) and each invoice's interest_through moves to the run date; below it nothing is recorded
 *    and the interest keeps accruing to the next reminder. No reference rate in force: no interest,
 *    reported under interest_not_invoiced with reason no_reference_rate.
 * Known limits: interest is computed on the open amount at the run date for the whole period (a
 * partial payment during the period is not apportioned), and interest accrued on an invoice that is
 * paid before its next reminder is not invoiced.
 */
import { formatAmount, money } from '../../core/money/money.js';
import { formatDecimal4 } from '../../core/money/quantity.js';
import {
  interestOn, interestPeriods, levelReached, reminderFee, type InterestPeriod,
} from '../../core/receivables/dunning.js';
import { compareDates, daysBetween, yearOf, type LocalDate } from '../../core/shared/dates.js';
import { DomainError, notFound } from '../../core/shared/errors.js';
import type { CustomerId, Id } from '../../core/shared/ids.js';
import { invoiceLanguageOf } from './language.js';
import type { Database, DunningCandidate, DunningRunRecord, DunningSettingsRecord, ReminderItemRecord, ReminderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { issueChargeInvoice } from './charge-invoice.js';
import { dunningSettings } from './settings.js';

interface MoneyOut {
  amount: string;
  currency: string;
}
const m = (minor: bigint, currency: string): MoneyOut => ({ amount: formatAmount(money(minor, currency)), currency });

export interface DunningRunReport {
  id: string;
  run_date: LocalDate;
  /** True when the date had already been run: this is the first run's report, and nothing was sent now. */
  already_run: boolean;
  reminders: {
    id: string;
    number: string;
    customer_id: string;
    currency: string;
    level: number;
    open_total: MoneyOut;
    fee: MoneyOut;
    fee_invoice_id: string | null;
    fee_invoice_number: string | null;
    interest: MoneyOut;
    interest_invoice_id: string | null;
    interest_invoice_number: string | null;
    invoices: { invoice_id: string; number: string; level: number; escalated: boolean; days_overdue: number; open: MoneyOut; interest: MoneyOut }[];
  }[];
  /** Invoices reported overdue for the first time by this run (event invoice.overdue). */
  overdue: { invoice_id: string; number: string; customer_id: string; due_date: LocalDate }[];
  paused: { invoice_id: string; number: string; customer_id: string; reason: 'open_claim' }[];
  interest_not_invoiced: { customer_id: string; currency: string; interest: MoneyOut; reason: 'below_minimum' | 'no_reference_rate' | 'disabled' }[];
  /** Customers (and currencies) whose reminder failed; the others went through. */
  failed: { customer_id: string; currency: string; code: string; message: string }[];
}

export const REMINDER_SERIES = 'REM';
export const formatReminderNumber = (year: number, seq: bigint): string => `R-${year}-${seq.toString().padStart(5, '0')}`;

export interface DunningRunOptions {
  /** Runs inside the transaction that stores the report (e.g. completing an idempotency key). */
  onStored?: (s: Store, report: DunningRunReport) => Promise<void>;
}

interface RunContext {
  runId: Id<'dunningRun'>;
  runDate: LocalDate;
  schedule: DunningSettingsRecord;
  baseCurrency: string;
}

export async function runDunning(db: Database, env: Env, input: { date?: LocalDate | undefined } = {}, options: DunningRunOptions = {}): Promise<DunningRunReport> {
  const tenantId = env.actor.tenantId;
  const runDate = input.date ?? env.clock.today();
  const run = await db.transaction(tenantId, async (s) => {
    const earlier = await s.dunning.runOn(runDate);
    if (earlier) return earlier;
    const fresh: DunningRunRecord = { id: env.ids.next('dunningRun'), runDate, report: null, actor: env.actor.actorId, createdAt: env.clock.now() };
    if (await s.dunning.claimRun(fresh)) return fresh;
    const other = await s.dunning.runOn(runDate);
    if (!other) throw new Error(`dunning run of ${runDate} vanished`);
    return other;
  });
  if (run.report !== null) {
    const stored = run.report as DunningRunReport;
    const first: DunningRunReport = { ...stored, failed: stored.failed ?? [], already_run: true };
    if (options.onStored) await db.transaction(tenantId, (s) => options.onStored!(s, first));
    return first;
  }

  const report: DunningRunReport = {
    id: run.id, run_date: runDate, already_run: false, reminders: [], overdue: [], paused: [], interest_not_invoiced: [], failed: [],
  };
  const { ctx, groups } = await db.transaction(tenantId, async (s) => {
    const schedule = await dunningSettings(s);
    const tenant = await s.tenant.get();
    if (!tenant) throw new Error(`tenant ${s.tenantId} is missing`);
    const candidates = schedule.enabled ? await s.dunning.overdueCandidates(runDate) : [];
    for (const c of candidates) {
      if (c.overdueReportedOn !== null) continue;
      await s.dunning.markOverdueReported(c.invoiceId, runDate);
      await s.outbox.insert({
        eventType: 'invoice.overdue',
        payload: { id: c.invoiceId, number: c.invoiceNumber, customer_id: c.customerId, due_date: c.dueDate, open: m(c.openMinor, c.currency) },
      });
      report.overdue.push({ invoice_id: c.invoiceId, number: c.invoiceNumber, customer_id: c.customerId, due_date: c.dueDate });
    }
    const keys = new Map<string, { customerId: CustomerId; currency: string }>();
    for (const c of candidates) keys.set(`${c.customerId}|${c.currency}`, { customerId: c.customerId, currency: c.currency });
    const context: RunContext = { runId: run.id, runDate, schedule, baseCurrency: tenant.baseCurrency };
    return { ctx: context, groups: [...keys.values()] };
  });

  for (const g of groups) {
    // what the group adds to the report, merged only once its transaction committed
    const part: DunningRunReport = { ...report, reminders: [], paused: [], interest_not_invoiced: [], overdue: [], failed: [] };
    try {
      await db.transaction(tenantId, (s) => remindGroup(s, env, ctx, g.customerId, g.currency, part));
      report.reminders.push(...part.reminders);
      report.paused.push(...part.paused);
      report.interest_not_invoiced.push(...part.interest_not_invoiced);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      report.failed.push({ customer_id: g.customerId, currency: g.currency, code: error.code, message: error.message });
    }
  }

  await db.transaction(tenantId, async (s) => {
    await s.dunning.setRunReport(run.id, report);
    await recordChange(s, env, {
      action: 'dunning.run',
      entityType: 'dunning_run',
      entityId: run.id,
      data: { runDate, reminders: report.reminders.length, overdue: report.overdue.length, paused: report.paused.length, failed: report.failed.length },
    });
    if (options.onStored) await options.onStored(s, report);
  });
  return report;
}

/** One customer and currency, in the caller's transaction: its overdue invoices read afresh, then at most one reminder. */
async function remindGroup(s: Store, env: Env, ctx: RunContext, customerId: CustomerId, currency: string, report: DunningRunReport): Promise<void> {
  const { runDate, schedule, runId } = ctx;
  const all = await s.dunning.overdueCandidates(runDate, { customerId, currency });
  const claimed = await s.dunning.ordersWithOpenClaims([...new Set(all.flatMap((c) => c.orderIds))]);
  const items: DunningCandidate[] = [];
  const paused: DunningRunReport['paused'] = [];
  for (const c of all) {
    if (c.orderIds.some((o) => claimed.has(o))) paused.push({ invoice_id: c.invoiceId, number: c.invoiceNumber, customer_id: c.customerId, reason: 'open_claim' });
    else items.push(c);
  }
  report.paused.push(...paused);
  if (items.length === 0) return;
  const rates = schedule.interestEnabled ? await s.dunning.referenceRates({ to: runDate }) : [];
  {
    const first = items[0]!;
    const reached = items.map((c) => ({ c, days: daysBetween(c.dueDate, runDate), level: levelReached(daysBetween(c.dueDate, runDate), schedule.levels) }));
    const escalated = reached.filter((r) => r.level > r.c.lastLevel);
    if (escalated.length === 0) return;
    const currency = first.currency;
    const customer = await s.customers.get(first.customerId);
    if (!customer) throw notFound('customer', first.customerId);
    const reminderId = env.ids.next('reminder');
    const year = yearOf(runDate);
    const number = formatReminderNumber(year, await s.series.next(`${REMINDER_SERIES}-${year}`));

    // interest per invoice, exact, rounded once per invoice (core INTEREST_ROUNDING)
    const interest = new Map<string, { amountMinor: bigint; periods: InterestPeriod[] }>();
    let interestReason: 'no_reference_rate' | 'disabled' | null = schedule.interestEnabled ? null : 'disabled';
    if (interestReason === null) {
      for (const r of reached) {
        const from = r.c.interestThrough !== null && compareDates(r.c.interestThrough, r.c.dueDate) > 0 ? r.c.interestThrough : r.c.dueDate;
        const p = interestPeriods(from, runDate, rates, schedule.interestMargin);
        if ('missing' in p) {
          interestReason = 'no_reference_rate';
          break;
        }
        interest.set(r.c.invoiceId, { amountMinor: interestOn(r.c.openMinor, p.periods).amountMinor, periods: p.periods });
      }
    }
    const interestTotal = interestReason === null ? [...interest.values()].reduce((a, i) => a + i.amountMinor, 0n) : 0n;
    const invoiceInterest = interestReason === null && interestTotal > schedule.interestMinimumMinor;
    if (!invoiceInterest && interestTotal > 0n) {
      report.interest_not_invoiced.push({ customer_id: first.customerId, currency, interest: m(interestTotal, currency), reason: 'below_minimum' });
    } else if (interestReason !== null && interestReason !== 'disabled') {
      report.interest_not_invoiced.push({ customer_id: first.customerId, currency, interest: m(0n, currency), reason: interestReason });
    }

    const fee = currency === ctx.baseCurrency ? reminderFee(escalated.map((e) => e.level), schedule.levels, schedule.feeCapMinor) : 0n;
    const feeInvoice =
      fee > 0n
        ? await issueChargeInvoice(s, env, {
            kind: 'reminder_fee',
            customerId: first.customerId,
            currency,
            amountMinor: fee,
            issueDate: runDate,
            reminderId,
            details: { reminder_number: number, levels: escalated.map((e) => ({ invoice_id: e.c.invoiceId, level: e.level })) },
          })
        : null;
    const interestInvoice = invoiceInterest
      ? await issueChargeInvoice(s, env, {
          kind: 'interest',
          customerId: first.customerId,
          currency,
          amountMinor: interestTotal,
          issueDate: runDate,
          reminderId,
          details: {
            reminder_number: number,
            rounding: 'half_up, once per invoice, on the exact sum of its periods (365-day year)',
            invoices: reached.map((r) => ({
              invoice_id: r.c.invoiceId,
              number: r.c.invoiceNumber,
              open: m(r.c.openMinor, currency),
              interest: m(interest.get(r.c.invoiceId)?.amountMinor ?? 0n, currency),
              periods: (interest.get(r.c.invoiceId)?.periods ?? []).map((p) => ({
                from: p.from,
                to: p.to,
                days: p.days,
                reference_rate: formatDecimal4(p.referenceRate),
                annual_rate: formatDecimal4(p.annualRate),
              })),
            })),
          },
        })
      : null;
    if (interestInvoice) for (const r of reached) await s.dunning.setInterestThrough(r.c.invoiceId, runDate);

    const itemRecords: ReminderItemRecord[] = reached.map((r, i) => {
      const up = r.level > r.c.lastLevel;
      return {
        lineNo: i + 1,
        invoiceId: r.c.invoiceId,
        invoiceNumber: r.c.invoiceNumber,
        issueDate: r.c.issueDate,
        dueDate: r.c.dueDate,
        daysOverdue: r.days,
        originalMinor: r.c.originalMinor,
        openMinor: r.c.openMinor,
        level: up ? r.level : r.c.lastLevel,
        escalated: up,
        interestMinor: invoiceInterest ? (interest.get(r.c.invoiceId)?.amountMinor ?? 0n) : 0n,
      };
    });
    const reminder: ReminderRecord = {
      id: reminderId as Id<'reminder'>,
      number,
      runId,
      customerId: first.customerId,
      currency,
      reminderDate: runDate,
      language: invoiceLanguageOf(customer.country),
      level: Math.max(...itemRecords.map((i) => i.level)),
      openTotalMinor: items.reduce((a, c) => a + c.openMinor, 0n),
      feeMinor: fee,
      feeInvoiceId: feeInvoice?.id ?? null,
      interestMinor: invoiceInterest ? interestTotal : 0n,
      interestInvoiceId: interestInvoice?.id ?? null,
      buyer: {
        name: customer.name,
        orgNumber: customer.orgNumber,
        vatNumber: customer.vatNumber,
        country: customer.country,
        addressLine1: customer.addressLine1,
        addressLine2: customer.addressLine2,
        postalCode: customer.postalCode,
        city: customer.city,
        email: customer.email,
      },
      createdAt: env.clock.now(),
      items: itemRecords,
    };
    await s.dunning.insertReminder(reminder);
    for (const e of escalated) await s.dunning.setLastLevel(e.c.invoiceId, e.level);
    await recordChange(s, env, {
      action: 'reminder.sent',
      entityType: 'reminder',
      entityId: reminder.id,
      data: { number, runId, level: reminder.level, invoices: itemRecords.map((i) => ({ id: i.invoiceId, level: i.level, escalated: i.escalated })) },
      event: { type: 'reminder.sent', payload: { id: reminder.id, number, customer_id: reminder.customerId, currency } },
    });
    report.reminders.push({
      id: reminder.id,
      number,
      customer_id: reminder.customerId,
      currency,
      level: reminder.level,
      open_total: m(reminder.openTotalMinor, currency),
      fee: m(fee, currency),
      fee_invoice_id: feeInvoice?.id ?? null,
      fee_invoice_number: feeInvoice?.number ?? null,
      interest: m(reminder.interestMinor, currency),
      interest_invoice_id: interestInvoice?.id ?? null,
      interest_invoice_number: interestInvoice?.number ?? null,
      invoices: itemRecords.map((i) => ({
        invoice_id: i.invoiceId,
        number: i.invoiceNumber,
        level: i.level,
        escalated: i.escalated,
        days_overdue: i.daysOverdue,
        open: m(i.openMinor, currency),
        interest: m(i.interestMinor, currency),
      })),
    });
  }
}
