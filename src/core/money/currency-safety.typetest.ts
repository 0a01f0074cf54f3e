/**
 * Compile-time currency safety, checked by `tsc --noEmit` (never executed).
 * Every `@ts-expect-error` line must fail to compile; if one starts compiling, tsc reports the unused
 * directive and the build fails.
 */
import { add, compare, max, min, money, subtract } from './money.js';
import type { Money } from './money.js';

export function currencySafetyTypeTests(): void {
  const sek = money(100n, 'SEK');
  const sek2: Money<'SEK'> = money(250n, 'SEK');
  const eur = money(100n, 'EUR');
  const usd: Money<'USD'> = money(1n, 'USD');
  const loaded: Money = money(5n, 'SEK'); // currency known only at runtime

  // Same literal currency: fine, and the result keeps the currency type.
  const total: Money<'SEK'> = add(sek, sek2);
  const diff: Money<'SEK'> = subtract(total, sek);
  compare(sek, sek2);
  min(sek, diff);
  max(sek, diff);

  // Distinct literal currencies: compile errors.
  // @ts-expect-error: cannot add EUR to SEK
  add(sek, eur);
  // @ts-expect-error: cannot add SEK to EUR
  add(eur, sek);
  // @ts-expect-error: cannot subtract USD from EUR
  subtract(eur, usd);
  // @ts-expect-error: cannot compare SEK with USD
  compare(sek, usd);
  // @ts-expect-error: cannot take min of SEK and EUR
  min(sek, eur);
  // @ts-expect-error: cannot take max of EUR and SEK
  max(eur, sek);
  // @ts-expect-error: the result of SEK + SEK is SEK, not EUR
  const wrong: Money<'EUR'> = add(sek, sek2);

  // Currency only known at runtime (string): compiles, checked at runtime instead.
  add(loaded, sek);
  add(sek, loaded);
  add(loaded, loaded);

  void wrong;
}
