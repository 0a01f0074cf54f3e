/**
 * The SIE 4 reader on every file in ../shared/samples/sie (read in place, never copied).
 *
 * The expected per-account sums were computed independently of this reader with awk over the raw
 * files (the amount is the first field after the object list's closing brace); the script is in the
 * line comment below this block.
 * The voucher counts come from `grep -a -c '^[[:space:]]*#VER' FILE`. Results (sum, number of #TRANS):
 *   transaktioner_ovnbolag.se   1930 439702.36 n=47, 1510 156976.00 n=92, 3740 -0.73 n=16, 2611 -126216.25 n=51; 163 #VER
 *   Fortnox_Sie4.si             1930 197154.00 n=89, 1510 290998.00 n=33; 165 #VER
 *   BL0001_typ4.SE              1930 245436.17 n=51, 1510 -24763.00 n=7, 3740 -1.50 n=3; 84 #VER
 *   SIE4_Exempelfil_med_underdim.SE 1930 -191625.45 n=161, 1510 50726.95 n=92, 3740 -5.06 n=68; 295 #VER
 *   BL0001_typ4I.SI             1510 3313.00 n=4, 3740 -0.50 n=1; 1 #VER
 *   FAKT.SI                     1510 8000.00, 2611 -1600.00; 1 #VER
 * Cross-checks from the files' own balances: ovnbolag #UB 0 1930 1511049.94 − #IB 0 1071347.58 = 439702.36,
 * #UB 0 1510 971482.00 − #IB 0 814506.00 = 156976.00; BL0001 #UB 0 1930 869015.45 − #IB 0 623579.28 = 245436.17.
 */
//   awk -v A=1930 '$1=="#TRANS" && $2==A { s=$0; sub(/^[^}]*\}[ \t]*/, "", s); split(s, f, /[ \t]+/); sum+=f[1]; n++ }
//                  END { printf "%.2f n=%d\n", sum, n }' FILE
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { balancesByAccount, readSie, SieReadError, voucherSumsByAccount, type SieFile } from './sie-reader.js';
import { formatSieAmount, parseSieAmount } from './sie-format.js';

const SAMPLES = new URL('../../../../shared/samples/sie/', import.meta.url);
const bytesOf = (name: string) => readFileSync(new URL(name, SAMPLES));
const read = (name: string) => readSie(bytesOf(name));
const sums = (f: SieFile) => voucherSumsByAccount(f.vouchers);
const kr = (minor: bigint | undefined) => (minor === undefined ? undefined : formatSieAmount(minor));
const transCount = (f: SieFile, account: string) => f.vouchers.flatMap((v) => v.transactions).filter((t) => t.account === account).length;

describe('SIE 4 reader on the shared samples', () => {
  it('reads every sample file but the deliberately unbalanced one', () => {
    const names = readdirSync(SAMPLES).filter((n) => /\.s[ie]$/i.test(n)).sort();
    expect(names).toHaveLength(8);
    const read = names.filter((n) => !n.includes('bad-balance')).map((n) => [n, readSie(bytesOf(n)).vouchers.length] as const);
    expect(Object.fromEntries(read)).toEqual({
      'BL0001_typ4.SE': 84,
      'BL0001_typ4I.SI': 1,
      'FAKT.SI': 1,
      'Fortnox_Sie4.si': 165,
      'Norstedts_Bokslut_SIE_4I.si': 2,
      'SIE4_Exempelfil_med_underdim.SE': 295,
      'transaktioner_ovnbolag.se': 163,
    });
  });

  it('transaktioner_ovnbolag.se (Avendo 4E): company, years, balances and voucher sums', () => {
    const f = read('transaktioner_ovnbolag.se');
    expect(f.encoding).toBe('cp437');
    expect(f.companyName).toBe('Övningsbolaget AB (Ekonomi 60)');
    expect(f.orgNumber).toBe('5555555555');
    expect(f.years).toEqual([
      { index: 0, start: '2011-01-01', end: '2011-12-31' },
      { index: -1, start: '2010-01-01', end: '2010-12-31' },
    ]);
    expect(f.accounts.size).toBe(567);
    expect(f.vouchers).toHaveLength(163);
    expect(f.vouchers.reduce((n, v) => n + v.transactions.length, 0)).toBe(671);
    const s = sums(f);
    expect(kr(s.get('1930'))).toBe('439702.36');
    expect(transCount(f, '1930')).toBe(47);
    expect(kr(s.get('1510'))).toBe('156976.00');
    expect(transCount(f, '1510')).toBe(92);
    expect(kr(s.get('3740'))).toBe('-0.73');
    expect(kr(s.get('2611'))).toBe('-126216.25');
    const ib = balancesByAccount(f.openingBalances);
    const ub = balancesByAccount(f.closingBalances);
    expect(kr(ib.get('1930'))).toBe('1071347.58');
    expect(kr(ub.get('1930'))).toBe('1511049.94');
    // the file is consistent: IB + the year's vouchers = UB on the bank and receivables accounts
    for (const a of ['1930', '1510']) expect((ib.get(a) ?? 0n) + (s.get(a) ?? 0n)).toBe(ub.get(a));
    const first = f.vouchers[0];
    expect(first).toMatchObject({ series: 'B', number: '1', date: '2011-01-07', text: 'Övriga personalkostnader', line: 3905 });
    expect(first?.transactions.map((t) => [t.account, kr(t.amountMinor)])).toEqual([
      ['1910', '-128.00'],
      ['7690', '100.00'],
      ['2641', '28.00'],
    ]);
  });

  it('transaktioner_ovnbolag-bad-balance.se is rejected, naming the unbalanced voucher and its line', () => {
    let error: unknown;
    try {
      read('transaktioner_ovnbolag-bad-balance.se');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SieReadError);
    const e = error as SieReadError;
    expect(e.line).toBe(3905);
    // 1910 changed from -128.00 to -12899.00: the voucher sums to -12771.00
    expect(e.message).toMatch(/^line 3905: voucher B 1 \(2011-01-07, "Övriga personalkostnader"\) does not balance: its #TRANS sum to -12771\.00/);
    // without the balance check the rest of the file reads
    expect(readSie(bytesOf('transaktioner_ovnbolag-bad-balance.se'), { checkBalance: false }).vouchers).toHaveLength(163);
  });

  it('Fortnox_Sie4.si: empty #ORGNR, #SRU per account, quoted voucher numbers', () => {
    const f = read('Fortnox_Sie4.si');
    expect(f.program).toEqual({ name: 'Fortnox Bokföring', version: '2.0.0' });
    expect(f.orgNumber).toBeNull();
    expect(f.companyName).toBe('Testföretaget AB');
    expect(f.accounts.size).toBe(133);
    expect(f.vouchers).toHaveLength(165);
    expect(f.vouchers[0]).toMatchObject({ series: 'A', number: '1', date: '2010-01-05', text: 'Reseutlägg' });
    expect(kr(sums(f).get('1930'))).toBe('197154.00');
    expect(transCount(f, '1930')).toBe(89);
    expect(kr(sums(f).get('1510'))).toBe('290998.00');
    expect(kr(balancesByAccount(f.openingBalances).get('1930'))).toBe('3438419.50');
  });

  it('BL0001_typ4.SE: object lists, #RTRANS/#BTRANS left out of the sums, series "#"', () => {
    const f = read('BL0001_typ4.SE');
    expect(f.labels.get('#RTRANS')).toBe(6);
    expect(f.labels.get('#BTRANS')).toBe(3);
    expect(f.vouchers).toHaveLength(84);
    expect(f.vouchers.reduce((n, v) => n + v.transactions.length, 0)).toBe(405);
    expect(f.vouchers[0]).toMatchObject({ series: '#', number: '1', date: '2009-07-31' });
    const s = sums(f);
    expect(kr(s.get('1930'))).toBe('245436.17');
    expect(kr(s.get('1510'))).toBe('-24763.00');
    expect(kr(s.get('3740'))).toBe('-1.50');
    const ib = balancesByAccount(f.openingBalances);
    const ub = balancesByAccount(f.closingBalances);
    expect((ib.get('1930') ?? 0n) + (s.get('1930') ?? 0n)).toBe(ub.get('1930'));
    expect(kr(ub.get('1930'))).toBe('869015.45');
    const withObject = f.vouchers.flatMap((v) => v.transactions).find((t) => t.objects.length > 0);
    expect(withObject?.objects).toEqual([['1', '1']]);
  });

  it('SIE4_Exempelfil_med_underdim.SE is really UTF-8 and reads as such', () => {
    const f = read('SIE4_Exempelfil_med_underdim.SE');
    expect(f.encoding).toBe('utf-8');
    expect(f.flagga).toBe('1');
    expect(f.vouchers).toHaveLength(295);
    const s = sums(f);
    expect(kr(s.get('1930'))).toBe('-191625.45');
    expect(transCount(f, '1930')).toBe(161);
    expect(kr(s.get('1510'))).toBe('50726.95');
    expect(kr(s.get('3740'))).toBe('-5.06');
  });

  it('Norstedts_Bokslut_SIE_4I.si: #KSUMMA verified (CRC-32 1573150874), TAB-separated fields', () => {
    const f = read('Norstedts_Bokslut_SIE_4I.si');
    expect(f.checksum).toEqual({ written: 1573150874n, computed: 1573150874 });
    expect(f.companyName).toBe('Datakonsulterna AB');
    expect(f.orgNumber).toBe('556639-1537');
    expect(f.accounts.size).toBe(351);
    expect(f.vouchers.map((v) => [v.series, v.number, v.text])).toEqual([
      ['A', '52', 'Exempel på bokslutstransaktion'],
      ['A', '53', 'Årets resultat'],
    ]);
    expect(kr(sums(f).get('8999'))).toBe('1104488.11');
  });

  it('a changed byte after #KSUMMA is detected; the signed form of the checksum is accepted', () => {
    const bytes = bytesOf('Norstedts_Bokslut_SIE_4I.si');
    const text = bytes.toString('latin1');
    const tampered = Buffer.from(text.replace('1104488.11 20100630', '1104488.12 20100630').replace('-1104488.11', '-1104488.12'), 'latin1');
    expect(() => readSie(tampered)).toThrow(/#KSUMMA 1573150874 does not match the file's CRC-32/);
    // 1573150874 < 2^31, so its signed and unsigned forms agree; a file whose CRC has the top bit set may
    // be written either way: 3000000000 unsigned is -1294967296 signed
    const crc = 1573150874;
    expect(crc | 0).toBe(crc);
    expect(3000000000 | 0).toBe(-1294967296);
  });

  it('BL0001_typ4I.SI and FAKT.SI: the invoice-journal vouchers (series "" and number "")', () => {
    const bl = read('BL0001_typ4I.SI');
    expect(bl.vouchers).toHaveLength(1);
    expect(bl.vouchers[0]).toMatchObject({ series: '', number: '0', date: '2011-08-24' });
    expect(kr(sums(bl).get('1510'))).toBe('3313.00');
    expect(kr(sums(bl).get('3740'))).toBe('-0.50');
    expect(bl.years).toEqual([{ index: 0, start: null, end: null }]);
    const fakt = read('FAKT.SI');
    expect(fakt.vouchers[0]).toMatchObject({ series: 'B', number: '', text: 'Fakturajournal nr 109' });
    expect(fakt.vouchers[0]?.transactions.map((t) => [t.account, kr(t.amountMinor), t.text])).toEqual([
      ['1510', '8000.00', 'Faktnr: 891, Namn: Karl Svensson'],
      ['2611', '-1600.00', 'Faktnr: 891, Namn: Karl Svensson'],
      ['3051', '-6400.00', 'Faktnr: 891, Namn: Karl Svensson'],
    ]);
    expect(fakt.accounts.get('2611')).toBe('Utg moms försäljning/uttag 25%');
  });
});

describe('SIE amounts', () => {
  it('parses to minor units exactly and refuses what is not an amount', () => {
    expect(parseSieAmount('1063')).toBe(106300n);
    expect(parseSieAmount('-212.5')).toBe(-21250n);
    expect(parseSieAmount('-0.50')).toBe(-50n);
    expect(parseSieAmount('+3,10')).toBe(310n);
    expect(parseSieAmount('12345678901234567.89')).toBe(1234567890123456789n);
    expect(parseSieAmount('1.230')).toBe(123n);
    expect(parseSieAmount('1.234')).toBeNull();
    expect(parseSieAmount('abc')).toBeNull();
    expect(parseSieAmount('')).toBeNull();
    expect(formatSieAmount(-5n)).toBe('-0.05');
    expect(formatSieAmount(1234567890123456789n)).toBe('12345678901234567.89');
  });
});
