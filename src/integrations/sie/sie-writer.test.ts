import { describe, expect, it } from 'vitest';
import { readSie } from './sie-reader.js';
import { sieBytes, writeSie, type SieExport, type SieVoucher } from './sie-writer.js';

const base = (vouchers: SieExport['vouchers']): SieExport => ({
  program: { name: 'q2c', version: '0.1.0' },
  generatedOn: '2026-12-04',
  company: { name: 'Åkesson & "Söner" AB', orgNumber: '556677-8899' },
  currency: 'SEK',
  exponent: 2,
  years: [
    { index: 0, start: '2026-01-01', end: '2026-12-31' },
    { index: -1, start: '2025-01-01', end: '2025-12-31' },
  ],
  accounts: [
    { account: '1510', name: 'Kundfordringar' },
    { account: '1930', name: 'Företagskonto' },
    { account: '2611', name: 'Utgående moms 25 %' },
    { account: '3001', name: 'Försäljning varor/tjänster 25 %' },
  ],
  openingBalances: [{ yearIndex: 0, account: '1930', amountMinor: 1_000_00n }],
  closingBalances: [
    { yearIndex: 0, account: '1930', amountMinor: 2_250_00n },
    { yearIndex: -1, account: '1930', amountMinor: 1_000_00n },
  ],
  results: [{ yearIndex: 0, account: '3001', amountMinor: -1_000_00n }],
  vouchers,
});

const invoice: SieVoucher = {
  series: 'A',
  number: 1,
  date: '2026-03-05',
  text: 'Faktura 1001 "Karl" \\ åäö',
  transactions: [
    { account: '1510', amountMinor: 1_250_00n },
    { account: '3001', amountMinor: -1_000_00n },
    { account: '2611', amountMinor: -250_00n },
  ],
};
const payment: SieVoucher = {
  series: 'A',
  number: 2,
  date: '2026-03-20',
  text: 'Inbetalning',
  transactions: [
    { account: '1930', amountMinor: 1_250_00n },
    { account: '1510', amountMinor: -1_250_00n },
  ],
};

describe('SIE 4 writer', () => {
  it('writes a 4E file in CP437 that the reader reads back with the same figures and a valid #KSUMMA', async () => {
    const { bytes, result } = await sieBytes(base([invoice, payment]));
    expect(result).toMatchObject({ vouchers: 2, transactions: 5, bytes: bytes.length });
    // CP437: å = 0x86, ä = 0x84, ö = 0x94, Å = 0x8F
    expect(bytes.includes(Buffer.from([0x8f, 0x6b, 0x65]))).toBe(true); // "Åke"
    expect(bytes.includes(Buffer.from([0x86, 0x84, 0x94]))).toBe(true); // "åäö"
    const text = bytes.toString('latin1');
    const lines = text.split('\r\n');
    expect(lines.slice(0, 11)).toEqual([
      '#FLAGGA 0',
      '#KSUMMA',
      '#PROGRAM "q2c" "0.1.0"',
      '#FORMAT PC8',
      '#GEN 20261204',
      '#SIETYP 4',
      '#ORGNR "556677-8899"',
      '#FNAMN "\x8fkesson & \\"S\x94ner\\" AB"', // CP437 Å and ö, quotes escaped
      '#RAR 0 20260101 20261231',
      '#RAR -1 20250101 20251231',
      '#KONTO 1510 "Kundfordringar"',
    ]);
    expect(lines).toContain('#IB 0 1930 1000.00');
    expect(lines).toContain('#UB -1 1930 1000.00');
    expect(lines).toContain('#RES 0 3001 -1000.00');
    expect(lines).toContain('   #TRANS 1510 {} 1250.00');
    expect(lines).toContain('   #TRANS 2611 {} -250.00');
    expect(lines.at(-2)).toBe(`#KSUMMA ${result.checksum}`);

    const back = readSie(bytes);
    expect(back.encoding).toBe('cp437');
    expect(back.checksum).toEqual({ written: BigInt(result.checksum), computed: result.checksum });
    expect(back.companyName).toBe('Åkesson & "Söner" AB');
    expect(back.vouchers.map((v) => [v.series, v.number, v.date, v.text])).toEqual([
      ['A', '1', '2026-03-05', 'Faktura 1001 "Karl" \\ åäö'],
      ['A', '2', '2026-03-20', 'Inbetalning'],
    ]);
    expect(back.vouchers[0]?.transactions.map((t) => [t.account, t.amountMinor])).toEqual([
      ['1510', 125000n],
      ['3001', -100000n],
      ['2611', -25000n],
    ]);
    expect(back.accounts.get('1930')).toBe('Företagskonto');
    expect(back.closingBalances.map((b) => [b.yearIndex, b.account, b.amountMinor])).toEqual([
      [0, '1930', 225000n],
      [-1, '1930', 100000n],
    ]);
  });

  it('a changed amount breaks the checksum', async () => {
    const { bytes } = await sieBytes(base([invoice, payment]));
    const tampered = Buffer.from(bytes.toString('latin1').replace('#IB 0 1930 1000.00', '#IB 0 1930 1000.01'), 'latin1');
    expect(() => readSie(tampered)).toThrow(/#KSUMMA \d+ does not match/);
  });

  it('streams vouchers from an async iterable in chunks and refuses an unbalanced voucher', async () => {
    async function* many() {
      for (let i = 1; i <= 2000; i++) yield { ...payment, number: i };
    }
    const chunks: Buffer[] = [];
    const r = await writeSie(base(many()), (c) => {
      chunks.push(c);
    });
    expect(r.vouchers).toBe(2000);
    expect(chunks.length).toBeGreaterThan(1);
    expect(readSie(Buffer.concat(chunks)).vouchers).toHaveLength(2000);

    const bad: SieVoucher = { ...payment, number: 3, transactions: [{ account: '1930', amountMinor: 1n }] };
    await expect(sieBytes(base([invoice, bad]))).rejects.toThrow('SIE: voucher A 3 does not balance (sum 0.01)');
  });
});
