/**
 * The audit trail's hash chain and record digests, recomputed independently of the database
 * (migration 2026-12-04T2910_audit_chain.sql computes the same values in SQL when it seals).
 *
 * Canonical form: a list of fields (text or null) as netstrings — null is `~,`, text is
 * `<UTF-8 byte length>:<text>,` — so no choice of field contents can make two lists serialise alike.
 * Every field is text as PostgreSQL formats it (timestamps `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC, dates
 * `YYYY-MM-DD`, jsonb as jsonb::text, numbers as ::text); the reader selects them that way.
 */
import { createHash } from 'node:crypto';

export type Field = string | null;

/** prev_hash of a tenant's first audit row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The canonical (netstring) serialisation of a list of fields. */
export function canonical(fields: readonly Field[]): string {
  let out = '';
  for (const f of fields) out += f === null ? '~,' : `${Buffer.byteLength(f, 'utf8')}:${f},`;
  return out;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * The digest of a record made of parts (a header, then its lines, VAT rows, …; each part a field
 * list): SHA-256 over the concatenated canonical forms, in the order given.
 */
export function digestOf(parts: readonly (readonly Field[])[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(canonical(p), 'utf8');
  return h.digest('hex');
}

/** An audit row as read back for verification (every value in its canonical text form). */
export interface AuditChainRow {
  tenantId: string;
  id: string;
  /** null: the row was never sealed (inserted with the triggers disabled). */
  seq: bigint | null;
  occurredAt: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  /** jsonb::text, or null */
  data: string | null;
  prevHash: string | null;
  hash: string | null;
}

/** hash of an audit row at position `seq` after `prevHash`. */
export function auditRowHash(r: Omit<AuditChainRow, 'seq' | 'prevHash' | 'hash'>, seq: bigint, prevHash: string): string {
  return sha256Hex(
    canonical(['q2c.audit.v1', r.tenantId, seq.toString(), r.id, r.occurredAt, r.actor, r.action, r.entityType, r.entityId, r.data, prevHash]),
  );
}

export interface ChainBreak {
  seq: bigint | null;
  id: string;
  problem: string;
}

/**
 * Walks a tenant's chain in seq order, one row at a time (callers stream pages through it). Each row
 * must have the next seq, link to the previous row's stored hash, and hash to its stored hash. After a
 * break it carries on from the row's stored values, so one tampered row is one break, not a cascade.
 */
export class ChainWalker {
  private expected = 1n;
  private prev = GENESIS_HASH;
  private rows = 0;
  readonly breaks: ChainBreak[] = [];

  push(r: AuditChainRow): void {
    this.rows++;
    if (r.seq === null || r.hash === null || r.prevHash === null) {
      this.breaks.push({ seq: r.seq, id: r.id, problem: 'not sealed' });
      return;
    }
    if (r.seq !== this.expected) {
      this.breaks.push({
        seq: r.seq,
        id: r.id,
        problem: r.seq > this.expected ? missingText(this.expected, r.seq - 1n) : `seq ${r.seq} repeats`,
      });
    }
    if (r.prevHash !== this.prev) {
      this.breaks.push({ seq: r.seq, id: r.id, problem: `prev_hash does not link to the hash of seq ${this.expected - 1n}, the row before it` });
    }
    const recomputed = auditRowHash(r, r.seq, r.prevHash);
    if (recomputed !== r.hash) {
      this.breaks.push({ seq: r.seq, id: r.id, problem: `content changed after sealing (${r.action} ${r.entityType} ${r.entityId}): hash ${short(recomputed)} ≠ stored ${short(r.hash)}` });
    }
    this.expected = r.seq + 1n;
    this.prev = r.hash;
  }

  /** Rows pushed so far. */
  get count(): number {
    return this.rows;
  }

  /** The last (seq, hash) walked, to compare with the stored chain head. */
  get last(): { seq: bigint; hash: string } | null {
    return this.expected === 1n ? null : { seq: this.expected - 1n, hash: this.prev };
  }

  /** Compares the end of the walk with the stored head (seq and hash of the tenant's last sealed row). */
  finish(head: { seq: bigint; hash: string } | null): void {
    const last = this.last;
    if (head === null && last === null) return;
    if (head === null) {
      this.breaks.push({ seq: last!.seq, id: '-', problem: 'the chain head is missing' });
    } else if (last === null || last.seq !== head.seq) {
      this.breaks.push({
        seq: head.seq,
        id: '-',
        problem: `the chain ends at seq ${last?.seq ?? 0} but its head says seq ${head.seq}: rows are missing at the end`,
      });
    } else if (last.hash !== head.hash) {
      this.breaks.push({ seq: head.seq, id: '-', problem: `the last row's hash ${short(last.hash)} ≠ the chain head's ${short(head.hash)}: the last row was rewritten` });
    }
  }
}

const short = (h: string): string => h.slice(0, 12);
const missingText = (a: bigint, b: bigint): string => (a === b ? `row seq ${a} is missing` : `rows seq ${a}–${b} are missing`);
