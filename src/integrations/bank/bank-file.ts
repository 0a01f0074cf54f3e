/**
 * What every bank-file reader (BgMax, camt.053/054, MT940, CSV) produces: bank transactions in one
 * shape, each with a natural key that is the same however often (or in however many overlapping
 * statements) the bank reports it, so an import can skip what it has already seen.
 *
 * A reader refuses a malformed file with a BankFileError naming the line (or XML element) and the
 * problem; it never returns part of a bad file.
 */
import type { LocalDate } from '../../core/shared/dates.js';

export type BankFileFormat = 'bgmax' | 'camt053' | 'camt054' | 'mt940' | 'csv';

/** How the payer referred to what they paid. */
export interface BankReference {
  /**
   * - structured: a creditor reference the bank or clearing checked or marked as such (BgMax
   *   reference code 2 "OCR", camt Strd/CdtrRefInf, MT940 structured ?20..): still to be validated
   *   by the matcher (Luhn / mod 97) before it is trusted;
   * - text: a reference or message written by the payer (BgMax 3/4, camt Ustrd, MT940 :86:).
   */
  kind: 'structured' | 'text';
  value: string;
  /** Part of the transaction's amount that this reference carries, where the file says (BgMax 22/23). */
  amountMinor?: bigint | undefined;
}

export interface BankTransaction {
  /** Stable identity of the transaction at the bank (see each reader); unique within a bank account. */
  naturalKey: string;
  /** Where in the file it came from (line number or element path), for messages. */
  source: string;
  /** The account credited or debited: bankgiro number, IBAN or account number as the file gives it. */
  account: string;
  bookingDate: LocalDate;
  valueDate: LocalDate | null;
  currency: string;
  /** Signed: > 0 money in, < 0 money out (a deduction, a returned payment, a fee). */
  amountMinor: bigint;
  payerName: string | null;
  /** The payer's account (bankgiro, IBAN, account number) where the file has it. */
  payerAccount: string | null;
  payerOrgNumber: string | null;
  payerAddress: string | null;
  references: BankReference[];
  /** Free text (messages, information records), joined with newlines. */
  text: string | null;
  /** The bank's own reference for the transaction (BgMax serial number, AcctSvcrRef, …). */
  bankReference: string | null;
}

/** A deposit / statement / notification the transactions were reported in, with its control totals. */
export interface BankStatement {
  account: string;
  currency: string;
  /** Statement or deposit identity as the bank gives it. */
  id: string;
  date: LocalDate | null;
  /** Σ of the statement's transactions as the file declares it (checked against the transactions). */
  declaredTotalMinor: bigint | null;
  declaredCount: number | null;
  transactions: BankTransaction[];
  /**
   * True on every part of a long statement but its last: a streaming reader hands a statement over
   * in parts so it never holds all of it; the controls are checked when its last part is read.
   */
  continued?: boolean | undefined;
}

export interface BankFile {
  format: BankFileFormat;
  /** File-level identity where the format has one (BgMax timestamp, camt MsgId). */
  fileId: string | null;
  test: boolean;
  statements: BankStatement[];
}

export class BankFileError extends Error {
  override readonly name = 'BankFileError';
  constructor(
    readonly format: BankFileFormat,
    /** "line 12 (record 20)", "Ntry[3]/Amt" … */
    readonly where: string,
    readonly problem: string,
  ) {
    super(`${format}: ${where}: ${problem}`);
  }
}
