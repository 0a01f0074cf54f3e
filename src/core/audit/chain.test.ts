import { describe, expect, it } from 'vitest';
import { auditRowHash, canonical, ChainWalker, digestOf, GENESIS_HASH, sha256Hex, type AuditChainRow } from './chain.js';
import { CheckCollector, MAX_LISTED, reportLines, reportOf } from './report.js';

/** A well-formed chain of n rows. */
function chainOf(n: number): AuditChainRow[] {
  const rows: AuditChainRow[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const r = {
      tenantId: 'ten_a', id: `aud_${i}`, occurredAt: `2026-12-04T10:00:0${i % 10}.000000Z`, actor: 'key_1', action: 'invoice.issued',
      entityType: 'invoice', entityId: `inv_${i}`, data: i % 2 ? `{"n": ${i}}` : null,
    };
    const hash = auditRowHash(r, BigInt(i), prev);
    rows.push({ ...r, seq: BigInt(i), prevHash: prev, hash });
    prev = hash;
  }
  return rows;
}

const walk = (rows: AuditChainRow[], head = rows.length ? { seq: rows[rows.length - 1]!.seq!, hash: rows[rows.length - 1]!.hash! } : null) => {
  const w = new ChainWalker();
  for (const r of rows) w.push(r);
  w.finish(head);
  return w.breaks.map((b) => `${b.seq}: ${b.problem}`);
};

describe('canonical form', () => {
  it('writes netstrings with UTF-8 byte lengths and a marker for null', () => {
    expect(canonical([])).toBe('');
    expect(canonical(['', null, 'a'])).toBe('0:,~,1:a,');
    expect(canonical(['å€😀'])).toBe('9:å€😀,');
    expect(canonical(['ab', 'c'])).not.toBe(canonical(['a', 'bc']));
    expect(canonical(['~'])).not.toBe(canonical([null]));
  });

  it('digests parts in order, and hashes a known vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(digestOf([['h'], ['l1'], ['l2']])).toBe(sha256Hex('1:h,2:l1,2:l2,'));
    expect(digestOf([['h'], ['l2'], ['l1']])).not.toBe(digestOf([['h'], ['l1'], ['l2']]));
  });
});

describe('ChainWalker', () => {
  it('accepts an intact chain and an empty one', () => {
    expect(walk(chainOf(5))).toEqual([]);
    expect(walk([], null)).toEqual([]);
  });

  it('names a row whose content changed, once, and carries on from its stored hash', () => {
    const rows = chainOf(5);
    rows[2] = { ...rows[2]!, data: '{"n": 99}' };
    expect(walk(rows)).toEqual([expect.stringMatching(/^3: content changed after sealing \(invoice\.issued invoice inv_3\)/)]);
  });

  it('names a rewritten row whose hash was recomputed by the link of the next row', () => {
    const rows = chainOf(5);
    const forged = { ...rows[2]!, actor: 'someone' };
    rows[2] = { ...forged, hash: auditRowHash(forged, 3n, forged.prevHash!) };
    expect(walk(rows)).toEqual(['4: prev_hash does not link to the hash of seq 3, the row before it']);
  });

  it('names missing rows in the middle and at the end, repeats and unsealed rows', () => {
    const rows = chainOf(6);
    expect(walk([...rows.slice(0, 2), ...rows.slice(4)])).toEqual([
      '5: rows seq 3–4 are missing',
      '5: prev_hash does not link to the hash of seq 2, the row before it',
    ]);
    expect(walk(rows.slice(0, 5), { seq: 6n, hash: rows[5]!.hash! })).toEqual(['6: the chain ends at seq 5 but its head says seq 6: rows are missing at the end']);
    expect(walk([...rows, rows[5]!])).toEqual(['6: seq 6 repeats', '6: prev_hash does not link to the hash of seq 6, the row before it']);
    expect(walk([{ ...rows[0]!, seq: null, prevHash: null, hash: null }], null)).toEqual(['null: not sealed']);
  });
});

describe('report', () => {
  it('lists at most MAX_LISTED failures, counts the rest and prints ok / FAILED lines', () => {
    const c = new CheckCollector('entries_balanced');
    c.checked = 100;
    for (let i = 0; i < MAX_LISTED + 5; i++) c.fail(`entry ${i}`);
    c.alsoFailed(10);
    const r = c.result();
    expect(r).toMatchObject({ ok: false, failureCount: MAX_LISTED + 15, checked: 100 });
    expect(r.failures).toHaveLength(MAX_LISTED);
    const ok = new CheckCollector('audit_chain').result();
    const lines = reportLines(reportOf('ten_a', 'SEK', [ok, r], { seq: 3n, hash: 'ab' }));
    expect(lines[1]).toBe('  ok      audit trail hash chain intact (0 checked)');
    expect(lines[2]).toBe(`  FAILED  every journal entry balances, in the base currency (100 checked, ${MAX_LISTED + 15} failed)`);
    expect(lines).toContain('            … and 15 more');
    expect(lines[lines.length - 1]).toBe('  verify: FAILED (1 of 2 checks)');
  });
});
