import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BankFileError } from './bank-file.js';
import { parseBankCsv, parseCsvAmount, type BankCsvMapping } from './csv.js';

// A Swedish internet-bank export: account summary lines first, ';', decimal comma, spaces as thousands separators.
const SWEDISH = [
  'Kontoutdrag;Företagskonto 5841-0000100',
  'Saldo;125 000,00',
  'Bokföringsdag;Valutadag;Referens;Text;Belopp;Saldo',
  '2026-12-01;2026-12-01;12345682;BG INBET. KUND AB;12 500,00;137 500,00',
  '2026-12-01;2026-12-01;;"Faktura 2026-00017; tack";−1 234,50;136 265,50',
  '2026-12-02;2026-12-02;RF18539007547034;Bankgiro;2 000,00;138 265,50',
  '',
].join('\r\n');

const swedishMapping: BankCsvMapping = {
  account: '5841-0000100',
  currency: 'SEK',
  decimal: ',',
  dateFormat: 'YYYY-MM-DD',
  skipLines: 2,
  columns: { bookingDate: 'Bokföringsdag', valueDate: 'Valutadag', reference: 'Referens', text: 'Text', amount: 'Belopp' },
};

describe('bank CSV with a saved column mapping', () => {
  it('reads a Swedish export: summary lines skipped, decimal comma, thousands spaces, Unicode minus, quoted ";"', () => {
    const f = parseBankCsv(SWEDISH, swedishMapping);
    expect(f.statements[0]!.transactions.map((t) => [t.bookingDate, t.amountMinor, t.references.map((r) => r.value), t.text, t.source])).toEqual([
      ['2026-12-01', 1250000n, ['12345682'], 'BG INBET. KUND AB', 'line 4'],
      ['2026-12-01', -123450n, [], 'Faktura 2026-00017; tack', 'line 5'],
      ['2026-12-02', 200000n, ['RF18539007547034'], 'Bankgiro', 'line 6'],
    ]);
  });

  it('credit and debit columns, positions instead of names, DD.MM.YYYY dates, thousands "."', () => {
    const text = 'Datum,Buchungstext,Haben,Soll\n"01.12.2026","Zahlung 4711","1.234,56",\n"02.12.2026","Gebühr",,"12,00"\n';
    const f = parseBankCsv(text, {
      account: 'DE1', currency: 'EUR', delimiter: ',', decimal: ',', thousands: '.', dateFormat: 'DD.MM.YYYY',
      columns: { bookingDate: '#1', text: '#2', credit: 'Haben', debit: 'Soll' },
    });
    expect(f.statements[0]!.transactions.map((t) => [t.bookingDate, t.amountMinor, t.text])).toEqual([
      ['2026-12-01', 123456n, 'Zahlung 4711'],
      ['2026-12-02', -1200n, 'Gebühr'],
    ]);
  });

  it('natural keys: the bank reference column when mapped, otherwise stable and distinct for identical rows', () => {
    const rows = 'Date;Text;Amount\n2026-12-01;X;100,00\n2026-12-01;X;100,00\n';
    const m: BankCsvMapping = { account: 'A', currency: 'SEK', decimal: ',', dateFormat: 'YYYY-MM-DD', columns: { bookingDate: 'Date', text: 'Text', amount: 'Amount' } };
    const keys = parseBankCsv(rows, m).statements[0]!.transactions.map((t) => t.naturalKey);
    expect(new Set(keys).size).toBe(2);
    expect(parseBankCsv(rows, m).statements[0]!.transactions.map((t) => t.naturalKey)).toEqual(keys);
    const withRef = parseBankCsv('Date;Ref;Amount\n2026-12-01;B77;5,00\n', { ...m, columns: { bookingDate: 'Date', bankReference: 'Ref', amount: 'Amount' } });
    expect(withRef.statements[0]!.transactions[0]!.naturalKey).toBe('csv:A:B77');
  });

  it('refuses the whole file, naming each bad line and column', () => {
    const bad = SWEDISH.replace('12 500,00', '12.500,00').replace('2026-12-02;2026-12-02', '2026-12-32;2026-12-02');
    let err: unknown;
    try {
      parseBankCsv(bad, swedishMapping);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BankFileError);
    expect((err as BankFileError).where).toBe('line 4');
    expect((err as BankFileError).problem).toBe(
      "line 4: column 'Belopp': '12.500,00' is not an amount with decimal ','; line 6: column 'Bokföringsdag': '2026-12-32' is not a date YYYY-MM-DD",
    );
    expect(() => parseBankCsv(SWEDISH, { ...swedishMapping, columns: { ...swedishMapping.columns, amount: 'Amount' } })).toThrow(/mapped column 'Amount' \(amount\) is not in the header/);
    expect(() => parseBankCsv(SWEDISH, { ...swedishMapping, columns: { bookingDate: 'Bokföringsdag' } })).toThrow(/map either an amount column/);
  });

  it('amount parsing: signs, parentheses, decimals per currency; round trip of any amount written Swedish style', () => {
    expect(parseCsvAmount('1 234,5', ',', undefined, 2)).toBe(123450n);
    expect(parseCsvAmount('(12,00)', ',', undefined, 2)).toBe(-1200n);
    expect(parseCsvAmount('12,00-', ',', undefined, 2)).toBe(-1200n);
    expect(parseCsvAmount('1,234.56', '.', ',', 2)).toBe(123456n);
    expect(parseCsvAmount('1,001', ',', undefined, 2)).toBe("'1,001' has more than 2 decimals");
    expect(parseCsvAmount('12', '.', undefined, 0)).toBe(12n);
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), (v) => {
        const abs = v < 0n ? -v : v;
        const int = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
        const written = `${v < 0n ? '-' : ''}${int},${(abs % 100n).toString().padStart(2, '0')}`;
        return parseCsvAmount(written, ',', undefined, 2) === v;
      }),
    );
  });
});
