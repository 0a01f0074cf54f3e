import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { BankFileError } from './bank-file.js';
import { parseBgMax, streamBgMax } from './bgmax.js';

const SAMPLES = new URL('../../../../shared/samples/bgmax/', import.meta.url);
const sample = (name: string): string => readFileSync(new URL(name, SAMPLES)).toString('latin1');

const total = (f: ReturnType<typeof parseBgMax>) => f.statements.flatMap((s) => s.transactions);

describe('BgMax reader on the shared samples', () => {
  it('minimal.txt: one deposit of one payment, totals as declared', () => {
    const f = parseBgMax(sample('minimal.txt'));
    expect(f.format).toBe('bgmax');
    expect(f.test).toBe(false);
    expect(f.statements).toHaveLength(1);
    const [d] = f.statements;
    expect(d).toMatchObject({ account: '9912346', currency: 'SEK', date: '2004-05-25', declaredTotalMinor: 110000n, declaredCount: 1 });
    expect(d!.transactions).toEqual([
      expect.objectContaining({
        amountMinor: 110000n,
        payerAccount: '97012333',
        references: [{ kind: 'structured', value: '650861' }],
        bankReference: '000000000012',
        naturalKey: 'bgmax:9912346:2004-05-25:00074:1',
      }),
    ]);
  });

  it('Bankgirot OCR-control example: 2 deposits, trailer 6 payments / 1 deduction / 6 extra references, TAB quirk', () => {
    const f = parseBgMax(sample('bankgirot_ocr-kontroll_checksiffra_langd.crlf.txt'));
    expect(f.statements.map((s) => [s.currency, s.declaredTotalMinor, s.declaredCount])).toEqual([
      ['SEK', 190000n, 3], // 1 000,00 − 500,00 + 1 400,00
      ['SEK', 800000n, 4], // 1 100,00 + 1 200,00 + 700,00 + 5 000,00
    ]);
    const tx = total(f);
    expect(tx.filter((t) => t.amountMinor > 0n)).toHaveLength(6);
    // the deduction (record 21) is negative, with its reference and payer
    const deduction = tx.find((t) => t.amountMinor < 0n)!;
    expect(deduction).toMatchObject({ amountMinor: -50000n, payerName: 'Kalles Plåt AB', payerOrgNumber: '005500001234' });
    expect(deduction.references[0]).toEqual({ kind: 'text', value: '89853' });
    for (const s of f.statements) expect(s.transactions.reduce((a, t) => a + t.amountMinor, 0n)).toBe(s.declaredTotalMinor);
    // the payment with four extra references, one of them on a TAB-damaged record, read at the right positions
    const multi = tx.find((t) => t.references.some((r) => r.value === '657965'))!;
    expect(multi.references.map((r) => r.value)).toEqual(['657866 658765 657767', '657866', '658765', '657767', '657965']);
    expect(multi.text).toBe('Betalning med extra refnr 657965');
    expect(multi.payerAddress).toBe('Storgatan 2, 12345, Storåker');
    expect(new Set(tx.map((t) => t.naturalKey)).size).toBe(tx.length);
  });

  it('BgMaxfil4: 4 deposits (SEK and EUR), trailer 9 payments / 13 extra references, a negative extra reference (23)', () => {
    const f = parseBgMax(sample('BgMaxfil4.txt'));
    expect(f.statements.map((s) => [s.currency, s.declaredTotalMinor, s.transactions.length])).toEqual([
      ['SEK', 370000n, 2],
      ['SEK', 200000n, 1],
      ['SEK', 290000n, 4],
      ['EUR', 400000n, 2],
    ]);
    const tx = total(f);
    expect(tx).toHaveLength(9);
    expect(tx.reduce((a, t) => a + t.references.filter((r) => r.amountMinor !== undefined).length, 0)).toBe(13);
    const withNegative = tx.find((t) => t.references.some((r) => (r.amountMinor ?? 0n) < 0n))!;
    expect(withNegative.references.filter((r) => (r.amountMinor ?? 0n) < 0n).map((r) => r.amountMinor)).toEqual([-50000n]);
  });

  it('streams deposits one by one from a line stream and gives the file header at the end', async () => {
    const lines = createInterface({ input: Readable.from([Buffer.from(sample('BgMaxfil4.txt'), 'latin1').toString('latin1')]), crlfDelay: Infinity });
    const gen = streamBgMax(lines);
    const seen: string[] = [];
    let r = await gen.next();
    while (!r.done) {
      seen.push(`${r.value.currency}:${r.value.transactions.length}`);
      r = await gen.next();
    }
    expect(seen).toEqual(['SEK:2', 'SEK:1', 'SEK:4', 'EUR:2']);
    expect(r.value).toMatchObject({ format: 'bgmax', test: false });
  });
});

describe('BgMax reader refuses broken files, naming the line', () => {
  const good = sample('minimal.txt');
  const refuse = (text: string, where: RegExp, problem: RegExp) => {
    let err: unknown;
    try {
      parseBgMax(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BankFileError);
    expect((err as BankFileError).where).toMatch(where);
    expect((err as BankFileError).problem).toMatch(problem);
  };

  it('a payment amount changed: the deposit (line 4) no longer adds up', () => {
    refuse(good.replace('000000000000110000210', '000000000000110001210'), /^line 4 \(record 15\)$/, /≠ Σ payments/);
  });
  it('the trailer count is wrong', () => {
    refuse(good.replace(/70000000010/, '70000000020'), /^line 5 \(record 70\)$/, /declares 2 payments records, the file has 1/);
  });
  it('the file is cut off before the end record', () => {
    refuse(good.split('\r\n').slice(0, 4).join('\r\n'), /^line 4$/, /cut off/);
  });
  it('a letter in an amount', () => {
    refuse(good.replace('000000000000110000210', '0000000000001100O0210'), /^line 3 \(record 20\)$/, /amount \(positions 38-55\) must be digits/);
  });
  it('an unknown record type', () => {
    refuse(good.replace('\r\n15', '\r\n99x\r\n15'), /^line 4 \(record 99\)$/, /unknown record type/);
  });
  it('not a BgMax file', () => {
    refuse('hello\r\n', /^line 1/, /must start with a start record/);
    refuse(good.replace('BGMAX', 'BGMIN'), /^line 1 \(record 01\)$/, /layout name must be BGMAX/);
  });
  it('a payment outside a deposit section', () => {
    refuse(good.replace(/\r\n05[^\r]*/, ''), /^line 2 \(record 20\)$/, /outside a deposit section/);
  });
  it('deposit currency different from the opening record', () => {
    refuse(good.replace('110000SEK', '110000EUR'), /^line 4 \(record 15\)$/, /currency EUR differs/);
  });
});
