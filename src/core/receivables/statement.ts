/**
 * A customer statement for a period, built from the customer's movements on the receivable (1510) and
 * customer-credit (2420) accounts: the balance is what the customer owes less the credit it has with us
 * (receivable − customer credit), so invoices raise it, credit notes, payments received, write-offs and
 * bank fees lower it, refunds of credit and returned payments raise it again, and applying a payment
 * to an invoice moves an amount from credit to the receivable without changing it (in the document
 * currency; in the base currency it carries the realised FX difference).
 *
 * Per transaction currency: the opening balance (everything dated before `from`), each movement with its
 * running balance, and the closing balance. In the base currency, the closing balance over all
 * currencies equals the customer's 1510 balance minus its 2420 credit as of `to`.
 *
 * Pure: the caller supplies the movements (sorted by date, then as posted).
 */
import { compareDates, type LocalDate } from '../shared/dates.js';

export type StatementKind =
  | 'invoice'
  | 'credit_note'
  | 'payment'
  | 'payment_returned'
  | 'payment_applied'
  | 'payment_unapplied'
  | 'refund'
  | 'adjustment';

/** One journal entry's effect for the customer in one currency (debit − credit, see StatementLedgerRow). */
export interface StatementMovement {
  entryId: string;
  date: LocalDate;
  sourceType: string;
  sourceId: string;
  reversal: boolean;
  reference: string | null;
  description: string;
  currency: string;
  receivableMinor: bigint;
  creditMinor: bigint;
  receivableBaseMinor: bigint;
  creditBaseMinor: bigint;
}

export interface StatementOpening {
  currency: string;
  receivableMinor: bigint;
  creditMinor: bigint;
  receivableBaseMinor: bigint;
  creditBaseMinor: bigint;
}

export interface StatementLine {
  date: LocalDate;
  kind: StatementKind;
  entryId: string;
  sourceId: string;
  reference: string | null;
  description: string;
  /** Change of the balance: positive = the customer owes more. */
  amountMinor: bigint;
  /** Its parts: the receivable's change, and the change of the customer's credit (positive = more credit). */
  receivableChangeMinor: bigint;
  creditChangeMinor: bigint;
  baseAmountMinor: bigint;
  /** Running balance after this line, in the currency and in base. */
  balanceMinor: bigint;
  baseBalanceMinor: bigint;
}

export interface StatementSection {
  currency: string;
  openingMinor: bigint;
  openingBaseMinor: bigint;
  lines: StatementLine[];
  /** Σ positive and Σ negative amounts of the lines. */
  chargesMinor: bigint;
  creditsMinor: bigint;
  closingMinor: bigint;
  closingBaseMinor: bigint;
  /** The closing balance's parts: receivable (1510) and customer credit (2420, as a positive credit). */
  closingReceivableMinor: bigint;
  closingCreditMinor: bigint;
}

export interface Statement {
  from: LocalDate;
  to: LocalDate;
  baseCurrency: string;
  /** One per currency with an opening balance or a movement, sorted by currency. */
  sections: StatementSection[];
  openingBaseMinor: bigint;
  closingBaseMinor: bigint;
  /** As of `to`, in base: the customer's receivable (1510, debit − credit) and credit (2420, credit − debit). */
  receivableBaseMinor: bigint;
  creditBaseMinor: bigint;
}

export function statementKind(sourceType: string, reversal: boolean): StatementKind {
  switch (sourceType) {
    case 'invoice':
      return 'invoice';
    case 'credit_note':
      return 'credit_note';
    case 'payment':
      return reversal ? 'payment_returned' : 'payment';
    case 'allocation':
      return reversal ? 'payment_unapplied' : 'payment_applied';
    case 'refund':
      return 'refund';
    default:
      return 'adjustment';
  }
}

export function buildStatement(input: {
  from: LocalDate;
  to: LocalDate;
  baseCurrency: string;
  opening: readonly StatementOpening[];
  movements: readonly StatementMovement[];
}): Statement {
  if (compareDates(input.from, input.to) > 0) throw new Error(`statement period ${input.from}..${input.to} ends before it starts`);
  const sections = new Map<string, StatementSection & { receivableBase: bigint; creditBase: bigint }>();
  const section = (currency: string) => {
    let s = sections.get(currency);
    if (s === undefined) {
      s = {
        currency, openingMinor: 0n, openingBaseMinor: 0n, lines: [], chargesMinor: 0n, creditsMinor: 0n, closingMinor: 0n,
        closingBaseMinor: 0n, closingReceivableMinor: 0n, closingCreditMinor: 0n, receivableBase: 0n, creditBase: 0n,
      };
      sections.set(currency, s);
    }
    return s;
  };
  for (const o of input.opening) {
    const s = section(o.currency);
    s.openingMinor += o.receivableMinor + o.creditMinor;
    s.openingBaseMinor += o.receivableBaseMinor + o.creditBaseMinor;
    s.closingReceivableMinor += o.receivableMinor;
    s.closingCreditMinor -= o.creditMinor;
    s.receivableBase += o.receivableBaseMinor;
    s.creditBase -= o.creditBaseMinor;
  }
  for (const s of sections.values()) {
    s.closingMinor = s.openingMinor;
    s.closingBaseMinor = s.openingBaseMinor;
  }
  let last: LocalDate | null = null;
  for (const m of input.movements) {
    if (compareDates(m.date, input.from) < 0 || compareDates(m.date, input.to) > 0) {
      throw new Error(`statement movement ${m.entryId} dated ${m.date} is outside ${input.from}..${input.to}`);
    }
    if (last !== null && compareDates(m.date, last) < 0) throw new Error('statement movements must be in date order');
    last = m.date;
    const s = section(m.currency);
    const amount = m.receivableMinor + m.creditMinor;
    const base = m.receivableBaseMinor + m.creditBaseMinor;
    s.closingMinor += amount;
    s.closingBaseMinor += base;
    s.closingReceivableMinor += m.receivableMinor;
    s.closingCreditMinor -= m.creditMinor;
    s.receivableBase += m.receivableBaseMinor;
    s.creditBase -= m.creditBaseMinor;
    if (amount > 0n) s.chargesMinor += amount;
    else s.creditsMinor += amount;
    s.lines.push({
      date: m.date,
      kind: statementKind(m.sourceType, m.reversal),
      entryId: m.entryId,
      sourceId: m.sourceId,
      reference: m.reference,
      description: m.description,
      amountMinor: amount,
      receivableChangeMinor: m.receivableMinor,
      creditChangeMinor: -m.creditMinor,
      baseAmountMinor: base,
      balanceMinor: s.closingMinor,
      baseBalanceMinor: s.closingBaseMinor,
    });
  }
  const sorted = [...sections.values()]
    .filter((s) => s.lines.length > 0 || s.openingMinor !== 0n || s.openingBaseMinor !== 0n)
    .sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
  const sum = (f: (s: (typeof sorted)[number]) => bigint) => sorted.reduce((a, s) => a + f(s), 0n);
  return {
    from: input.from,
    to: input.to,
    baseCurrency: input.baseCurrency,
    sections: sorted.map(({ receivableBase: _r, creditBase: _c, ...s }) => s),
    openingBaseMinor: sum((s) => s.openingBaseMinor),
    closingBaseMinor: sum((s) => s.closingBaseMinor),
    receivableBaseMinor: sum((s) => s.receivableBase),
    creditBaseMinor: sum((s) => s.creditBase),
  };
}
