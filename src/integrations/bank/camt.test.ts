import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BankFileError } from './bank-file.js';
import { CAMT_PART_SIZE, parseCamt, streamCamt } from './camt.js';

const SAMPLES = new URL('../../../../shared/samples/camt/', import.meta.url);
const sample = (name: string): string => readFileSync(new URL(name, SAMPLES), 'utf8');

const refuse = (text: string, where: RegExp, problem: RegExp): void => {
  let err: unknown;
  try {
    parseCamt(text);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(BankFileError);
  expect((err as BankFileError).where).toMatch(where);
  expect((err as BankFileError).problem).toMatch(problem);
};

describe('camt reader on the shared samples', () => {
  it('camt.053.001.02 minimal: one booked credit of 8.85 EUR with a structured creditor reference', () => {
    const f = parseCamt(sample('camt053.v2.minimal.xml'));
    expect(f).toMatchObject({ format: 'camt053', fileId: 'CAMT053RIB000000000001' });
    expect(f.statements).toHaveLength(1);
    expect(f.statements[0]).toMatchObject({ account: 'NL26VAYB8060476890', currency: 'EUR', id: '253EURNL26VAYB8060476890' });
    expect(f.statements[0]!.transactions).toEqual([
      expect.objectContaining({
        amountMinor: 885n,
        currency: 'EUR',
        bookingDate: '2014-12-31',
        valueDate: '2015-01-02',
        payerName: 'NAME NAME',
        payerAccount: 'NL56AGDH9619008421',
        references: [{ kind: 'structured', value: '4654654654654654' }],
      }),
    ]);
  });

  it('camt.053.001.02 with two statements: balances carry over (18.15 + 8.85 = 27.00; 27.00 − 7.00 = 20.00)', () => {
    const f = parseCamt(sample('camt053.v2.multi.statement.xml'));
    expect(f.statements.map((s) => [s.id, s.transactions.map((t) => t.amountMinor)])).toEqual([
      ['253EURNL26VAYB8060476890', [885n]],
      ['254EURNL26VAYB8060476890', [-700n]],
    ]);
    expect(f.statements[1]!.transactions[0]).toMatchObject({ payerName: 'Company Name 2', text: 'Transaction Description 2' });
  });

  it('camt.053.001.04: the entry is keyed by its AcctSvcrRef', () => {
    const f = parseCamt(sample('camt053.v4.xml'));
    const [t] = f.statements[0]!.transactions;
    expect(t).toMatchObject({ amountMinor: 885n, bankReference: 'AAAASESS-FP-CN_98765/01', naturalKey: 'camt053:NL26VAYB8060476890:AAAASESS-FP-CN_98765/01' });
  });

  it('camt.054.001.02 and .04: a debit batch of 200 000 SEK kept as one transaction with every detail\'s references', () => {
    for (const name of ['camt054.v2.xml', 'camt054.v4.xml']) {
      const f = parseCamt(sample(name));
      expect(f.format).toBe('camt054');
      expect(f.statements).toHaveLength(1);
      const tx = f.statements[0]!.transactions;
      expect(tx).toHaveLength(1);
      expect(tx[0]).toMatchObject({ account: 'CH2801234000123456789', currency: 'SEK', amountMinor: -20000000n, bookingDate: '2007-10-18' });
      // the details are in CHF and do not add up to the entry, so the entry is not split
      expect(tx[0]!.references.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('camt053.v2.wrong.xml (a statement message without a statement) is refused', () => {
    refuse(sample('camt053.v2.wrong.xml'), /^Document/, /no Stmt element/);
  });

  it('streams in small chunks with the same result', async () => {
    const text = sample('camt053.v2.multi.statement.xml');
    async function* chunks() {
      for (let i = 0; i < text.length; i += 97) yield text.slice(i, i + 97);
    }
    const gen = streamCamt(chunks());
    const ids: string[] = [];
    let r = await gen.next();
    while (!r.done) {
      ids.push(r.value.id);
      r = await gen.next();
    }
    expect(ids).toEqual(['253EURNL26VAYB8060476890', '254EURNL26VAYB8060476890']);
    expect(r.value.format).toBe('camt053');
  });
});

describe('camt reader: entries split per transaction detail, controls', () => {
  const stmt = (entries: string, extra = '') => `<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
<Stmt><Id>S1</Id><Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id><Ccy>SEK</Ccy></Acct>${extra}${entries}</Stmt></BkToCstmrStmt></Document>`;
  const entry = (amt: string, details: string, ref = '') => `<Ntry>${ref}<Amt Ccy="SEK">${amt}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
<BookgDt><Dt>2026-12-01</Dt></BookgDt><NtryDtls>${details}</NtryDtls></Ntry>`;
  const tx = (amt: string, e2e: string, ref: string, name: string) => `<TxDtls><Refs><EndToEndId>${e2e}</EndToEndId></Refs><Amt Ccy="SEK">${amt}</Amt>
<RltdPties><Dbtr><Pty><Nm>${name}</Nm></Pty></Dbtr></RltdPties><RmtInf><Strd><CdtrRefInf><Ref>${ref}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>`;

  it('a batch entry whose details add up is split into one transaction per detail (v8: Sts/Cd, Dbtr/Pty/Nm)', () => {
    const f = parseCamt(stmt(entry('1500.00', tx('1000.00', 'E1', 'RF18539007547034', 'Kund A') + tx('500.00', 'E2', '12345682', 'Kund B'), '<AcctSvcrRef>B-1</AcctSvcrRef>')));
    expect(f.statements[0]!.transactions.map((t) => [t.amountMinor, t.payerName, t.references[0]?.value, t.naturalKey])).toEqual([
      [100000n, 'Kund A', 'RF18539007547034', 'camt053:SE4550000000058398257466:B-1:1:E1'],
      [50000n, 'Kund B', '12345682', 'camt053:SE4550000000058398257466:B-1:2:E2'],
    ]);
  });

  it('two identical unreferenced entries get distinct keys, stable when the statement is read again', () => {
    const doc = stmt(entry('100.00', '') + entry('100.00', ''));
    const keys = parseCamt(doc).statements[0]!.transactions.map((t) => t.naturalKey);
    expect(new Set(keys).size).toBe(2);
    expect(parseCamt(doc).statements[0]!.transactions.map((t) => t.naturalKey)).toEqual(keys);
  });

  it('a long statement is streamed in parts of CAMT_PART_SIZE, its controls checked at its end', async () => {
    const n = 2 * CAMT_PART_SIZE + 500;
    const entries = Array.from({ length: n }, (_, i) => entry('1.00', '', `<AcctSvcrRef>R${i}</AcctSvcrRef>`)).join('');
    const doc = stmt(entries, `<TxsSummry><TtlNtries><NbOfNtries>${n}</NbOfNtries></TtlNtries></TxsSummry>`);
    async function* chunks() {
      for (let i = 0; i < doc.length; i += 4096) yield doc.slice(i, i + 4096);
    }
    const parts: { size: number; continued: boolean | undefined }[] = [];
    for await (const p of streamCamt(chunks())) parts.push({ size: p.transactions.length, continued: p.continued });
    expect(parts).toEqual([
      { size: CAMT_PART_SIZE, continued: true },
      { size: CAMT_PART_SIZE, continued: true },
      { size: 500, continued: undefined },
    ]);
    const whole = parseCamt(doc);
    expect(whole.statements).toHaveLength(1);
    expect(new Set(whole.statements[0]!.transactions.map((t) => t.naturalKey)).size).toBe(n);
    // the count is still checked, after the parts were handed over
    const wrong = stmt(entries, `<TxsSummry><TtlNtries><NbOfNtries>${n + 1}</NbOfNtries></TtlNtries></TxsSummry>`);
    refuse(wrong, /^Stmt\[1\]\/TxsSummry/, new RegExp(`declares ${n + 1} entries, the statement has ${n}`));
  });

  it('a pending entry is not imported', () => {
    const f = parseCamt(stmt(entry('100.00', '').replace('<Cd>BOOK</Cd>', '<Cd>PDNG</Cd>')));
    expect(f.statements[0]!.transactions).toEqual([]);
  });

  it('refuses a wrong entry count or net sum in TxsSummry', () => {
    const summary = (n: string, sum: string) => `<TxsSummry><TtlNtries><NbOfNtries>${n}</NbOfNtries><TtlNetNtry><Amt>${sum}</Amt><CdtDbtInd>CRDT</CdtDbtInd></TtlNetNtry></TtlNtries></TxsSummry>`;
    expect(parseCamt(stmt(entry('100.00', ''), summary('1', '100.00'))).statements[0]).toMatchObject({ declaredCount: 1, declaredTotalMinor: 10000n });
    refuse(stmt(entry('100.00', ''), summary('2', '100.00')), /^Stmt\[1\]\/TxsSummry\/TtlNtries\/NbOfNtries/, /declares 2 entries, the statement has 1/);
    refuse(stmt(entry('100.00', ''), summary('1', '100.01')), /^Stmt\[1\]\/TxsSummry\/TtlNtries/, /net of 100.01/);
  });

  it('refuses balances that do not carry over', () => {
    const bal = (code: string, amt: string) => `<Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="SEK">${amt}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>`;
    expect(() => parseCamt(stmt(entry('100.00', ''), bal('OPBD', '50.00') + bal('CLBD', '150.00')))).not.toThrow();
    refuse(stmt(entry('100.00', ''), bal('OPBD', '50.00') + bal('CLBD', '150.01')), /^Stmt\[1\]\/Bal/, /opening balance 5000 \+ entries 10000 ≠ closing balance 15001/);
  });

  it('refuses malformed amounts, dates, XML and other messages, naming where', () => {
    refuse(stmt(entry('100.001', '')), /^Stmt\[1\]\/Ntry\[1\]\/Amt/, /at most 2 decimals/);
    refuse(stmt(entry('1,00', '')), /^Stmt\[1\]\/Ntry\[1\]\/Amt/, /'1,00'/);
    refuse(stmt(entry('100.00', '').replace('2026-12-01', '2026-13-01')), /^Stmt\[1\]\/Ntry\[1\]\/BookgDt/, /not a date/);
    refuse(stmt(entry('100.00', '').replace('CRDT', 'CREDIT')), /^Stmt\[1\]\/Ntry\[1\]/, /CdtDbtInd must be CRDT or DBIT/);
    refuse(stmt(entry('100.00', '')).replace('<Acct><Id><IBAN>SE4550000000058398257466</IBAN></Id><Ccy>SEK</Ccy></Acct>', ''), /Acct/, /account .* is missing/);
    refuse(stmt(entry('100.00', '')).replace('</Ntry>', ''), /^line \d+$/, /not well-formed XML/);
    refuse(stmt('').replace('camt.053.001.08', 'pain.001.001.03'), /^Document/, /not camt.053 or camt.054/);
  });
});
