/**
 * What every bank-file reader (BgMax, camt.053/054, MT940, CSV) produces: bank transactions in one
 * shape, each with a natural key that is the same however often (or in however many overlapping
 * statements) the bank reports it, so an import can skip what it has already seen.
 *
 * A reader refuses a malformed file with a BankFileError naming the line (or XML element) and the
 * problem; it never returns part of a bad file.
 */
import type { ImportedLine as BankTransaction } from '../../app/bank/import-statements.js';
import type { LocalDate } from '../../core/shared/dates.js';

export type BankFileFormat = 'bgmax' | 'camt053' | 'camt054' | 'mt940' | 'csv';

/** The transaction shape is the import use case's (the readers are its adapters). */
export type { BankReference, ImportedLine as BankTransaction } from '../../app/bank/import-statements.js';

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
