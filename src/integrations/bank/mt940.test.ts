import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BankFileError } from './bank-file.js';
import { parseMt940 } from './mt940.js';

const SAMPLES = new URL('../../../../shared/samples/mt940/', import.meta.url);
const sample = (name: string): string => readFileSync(new URL(name, SAMPLES)).toString('latin1');

/** [account, currency, opening, closing, lines, Σ lines, reconciles] per statement, in minor units. */
const summary = (name: string) =>
  parseMt940(sample(name)).statements.map((s) => [
    s.account,
    s.currency,
    s.openingMinor,
    s.closingMinor,
    s.transactions.length,
    s.transactions.reduce((a, t) => a + t.amountMinor, 0n),
    s.reconciles,
  ]);

describe('MT940 reader on the shared samples (balances and totals)', () => {
  it('ABN AMRO: two statements (:60F/:62F, :60M/:62M); the example\'s balances do not carry over, which is reported', () => {
    expect(summary('abnamro.sta')).toEqual([
      // 3 236,28 − (9 + 11,59 + 11,63 + 11,80 + 13,45 + 15,49 + 107 + 141,48 = 321,44) ≠ 876,84
      ['517852257', 'EUR', 323628n, 87684n, 8, -32144n, false],
      ['517852257', 'EUR', 287684n, 184975n, 2, -2449n, false],
    ]);
  });
  it('ING: multi-line :86:, statement-level :86: after :62F: ignored', () => {
    expect(summary('ing.sta')).toEqual([['0001234567', 'EUR', 0n, 347n, 7, -4559n, false]]);
    const t = parseMt940(sample('ing.sta')).statements[0]!.transactions[6]!;
    expect(t).toMatchObject({ amountMinor: 100n, bookingDate: '2010-07-23', text: '0111111111 Hr S Marechal\nROSMALEN Hr S Marechal ROSMALEN\nBetaling transactiedatum: 22-07-2010' });
  });
  it('Rabobank (IBAN): two messages without a "-" separator, slash-structured :86:, both reconcile', () => {
    expect(summary('rabobank-iban.sta')).toEqual([
      ['NL71RABO0123456789', 'EUR', 100000n, 96500n, 2, -3500n, true],
      ['NL71RABO0123456789', 'EUR', 96500n, 93000n, 2, -3500n, true],
    ]);
    const [a, b] = parseMt940(sample('rabobank-iban.sta')).statements[0]!.transactions;
    expect(a).toMatchObject({ payerName: 'CONTRA ACCOUNT HOLDER', payerAccount: 'NL70ABNA0987654321', amountMinor: -2500n });
    expect(b).toMatchObject({ payerName: 'JOHN DOE', references: [{ kind: 'text', value: 'Reference 201301234' }] });
  });
  it('German-style (cmxl): three statements in DEM, EUR and PLN, ?-subfields, all reconcile', () => {
    expect(summary('cmxl_mt940.sta')).toEqual([
      ['45050050/76198810', 'DEM', 8434974n, 8443704n, 11, 8730n, true],
      ['10020030/1234567', 'EUR', 218795n, 438795n, 2, 220000n, true],
      ['BPHKPLPK/320000546101', 'PLN', 4000000n, 5004000n, 3, 1004000n, true],
    ]);
    const rent = parseMt940(sample('cmxl_mt940.sta')).statements[1]!.transactions[0]!;
    expect(rent).toMatchObject({ amountMinor: -80000n, payerName: 'MUELLER', payerAccount: '10020030/234567', bankReference: '55555' });
    expect(rent.references[0]).toEqual({ kind: 'text', value: 'Miete November' });
  });
  it('SEPA snippet: CR/DR marks with the funds code, EREF/SVWZ keys, a debit opening balance', () => {
    expect(summary('sepa_snippet.sta')).toEqual([
      ['50880050/0194787400888', 'EUR', 76665649n, 112525040n, 4, 35859391n, true],
      ['50880050/0194791600888', 'EUR', -197043187n, -447204909n, 7, -250191730n, false],
    ]);
    const first = parseMt940(sample('sepa_snippet.sta')).statements[0]!.transactions[0]!;
    expect(first).toMatchObject({
      amountMinor: 5099005n,
      valueDate: '2007-09-07',
      bookingDate: '2007-09-04',
      payerName: 'KARL KAUFMANN',
      bankReference: '0724710333343453',
      references: [{ kind: 'text', value: 'Verw CTSc-01 BC-PPP TFNr 22 004' }],
    });
  });
  it('keys are unique within each file and the same on a second read', () => {
    for (const name of ['abnamro.sta', 'ing.sta', 'rabobank-iban.sta', 'cmxl_mt940.sta', 'sepa_snippet.sta']) {
      const keys = parseMt940(sample(name)).statements.flatMap((s) => s.transactions.map((t) => t.naturalKey));
      expect(new Set(keys).size, name).toBe(keys.length);
      expect(parseMt940(sample(name)).statements.flatMap((s) => s.transactions.map((t) => t.naturalKey))).toEqual(keys);
    }
  });
});

describe('MT940 reader refuses broken files, naming the line', () => {
  const good = ':20:X\n:25:SE123\n:28C:1\n:60F:C261201SEK100,00\n:61:2612011201C50,00NTRFNONREF\n:86:Faktura 2026-00001\n:62F:C261201SEK150,00\n-\n';
  const refuse = (text: string, where: string, problem: RegExp): void => {
    let err: unknown;
    try {
      parseMt940(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BankFileError);
    expect((err as BankFileError).where).toBe(where);
    expect((err as BankFileError).problem).toMatch(problem);
  };
  it('reads the good one', () => {
    expect(parseMt940(good).statements[0]).toMatchObject({ reconciles: true, transactions: [{ amountMinor: 5000n, references: [{ kind: 'text', value: 'Faktura 2026-00001' }] }] });
  });
  it('bad amounts, marks, dates, missing tags', () => {
    refuse(good.replace('C50,00N', 'C50.00N'), 'line 5', /:61: is not value date/);
    refuse(good.replace('C50,00N', 'C50,001N'), 'line 5', /more than 2 decimals for SEK/);
    refuse(good.replace('2612011201C', '2613011201C'), 'line 5', /value date '261301' is not a date/);
    refuse(good.replace(':25:SE123\n', ''), 'line 1', /no account \(:25:\)/);
    refuse(good.replace(':62F:C261201SEK150,00\n', ''), 'line 1', /no closing balance/);
    refuse(good.replace(':62F:C261201SEK', ':62F:C261201EUR'), 'line 7', /closing balance in EUR, the opening balance in SEK/);
    refuse(good.replace(':60F:C261201SEK100,00', ':60F:X261201SEK100,00'), 'line 4', /:60F: must be C\|D/);
    refuse('hello\n', 'line 1', /no MT940 statement/);
  });
});
