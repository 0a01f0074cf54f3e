/**
 * What `q2c verify` reads (AuditRepo in ../ports.ts extends it; src/db/repositories/audit.ts implements
 * it). Every read is bounded: pages, aggregates, or at most `limit` examples with a total count, so a
 * ledger of any size verifies in bounded memory.
 */
import type { AuditChainRow, Field } from '../../core/audit/chain.js';

/** Up to `limit` examples and how many there are in all. */
export interface Examples<T> {
  count: number;
  rows: T[];
}

export type SealedKind = 'journal_entry' | 'invoice' | 'credit_note';

/** A sealed record read back: what names it, its digest parts (canonical field lists) and the digests sealed for it. */
export interface SealedRecord {
  id: string;
  /** e.g. "entry A 2026-12 (je_…)", "invoice INV 2026-00001 (inv_…)" */
  label: string;
  parts: Field[][];
  /** digest of every seal row (audit action journal.posted / invoice.sealed / credit_note.sealed) of the record */
  sealed: string[];
}

export interface NumberingIssue {
  kind: 'journal' | 'invoice' | 'credit_note';
  series: string;
  year: string;
  /** a gap from..to, a number used twice (from = to), or a number not of the form …YYYY-N */
  problem: 'missing' | 'duplicate' | 'malformed';
  from: string;
  to: string;
}

export interface BalanceMismatch {
  /** 'total', a customer id, or a foreign currency code */
  key: string;
  scope: 'total' | 'customer' | 'currency';
  ledgerMinor: bigint;
  subledgerMinor: bigint;
}

export interface AuditVerifyReads {
  /** Sealed audit rows with seq > afterSeq, in seq order. */
  chainPage(afterSeq: bigint, limit: number): Promise<AuditChainRow[]>;
  /** Audit rows that were never sealed (seq null). */
  unsealed(limit: number): Promise<Examples<{ id: string; action: string; entityId: string }>>;
  /** The stored head: the tenant's last sealed (seq, hash). */
  chainHead(): Promise<{ seq: bigint; hash: string } | null>;
  /** Journal entries / issued invoices / issued credit notes with id > afterId, in id order. */
  sealedPage(kind: SealedKind, afterId: string | undefined, limit: number): Promise<SealedRecord[]>;
  /** Seal rows of a kind whose record is gone (or, for documents, no longer issued). */
  orphanSeals(kind: SealedKind, limit: number): Promise<Examples<{ seq: bigint | null; auditId: string; entityId: string; number: string }>>;

  entryCount(): Promise<number>;
  /** Entries whose lines do not balance per currency, or that have no lines. */
  unbalancedEntries(limit: number): Promise<Examples<{ label: string; currency: string | null; debitMinor: bigint; creditMinor: bigint }>>;
  /** Lines not in the base currency, or with a malformed foreign amount (amount_currency / amount_minor). */
  linesOffBase(baseCurrency: string, limit: number): Promise<Examples<{ label: string; lineNo: number; currency: string; amountCurrency: string | null }>>;
  postingTotals(): Promise<{ currency: string; debitMinor: bigint; creditMinor: bigint }[]>;
  /** 1510 against open items: base total, base per customer, and per foreign currency (amount_currency vs open_minor). */
  receivableMismatches(baseCurrency: string, limit: number): Promise<Examples<BalanceMismatch> & { checked: number }>;
  /** 2420 (a credit balance) against payments' unapplied cash: base total and per foreign currency. */
  customerCreditMismatches(baseCurrency: string, limit: number): Promise<Examples<BalanceMismatch> & { checked: number }>;
  /** Gaps, duplicates and malformed numbers of journal, invoice and credit-note series; checked = series × years. */
  numberingIssues(kind: 'journal' | 'documents', limit: number): Promise<Examples<NumberingIssue> & { checked: number }>;
}
