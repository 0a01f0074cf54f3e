/**
 * Pricing engine benchmark: one 1,000-line quote priced repeatedly.
 *
 * The quote mixes graduated and volume tiered list prices, flat prices, a customer-group price
 * list, customer prices for some products, percent and amount line discounts, optional lines,
 * three VAT rates and a quote-level discount. Pure computation: no database, so there is no
 * raw-database baseline to compare with.
 *
 * Run alone with `npx tsx bench/pricing.bench.ts`, or with every benchmark via `npm run bench`.
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { decimal4 } from '../src/core/money/quantity.js';
import type { Percent } from '../src/core/money/quantity.js';
import { priceQuote } from '../src/core/pricing/engine.js';
import type { PricedQuote, PricingContext, PricingLineInput, QuoteDiscount } from '../src/core/pricing/engine.js';
import type { CustomerPrice, PriceListPrice } from '../src/core/pricing/price-lists.js';
import type { PriceTier } from '../src/core/pricing/tiers.js';
import type { TaxClass, VatCategory } from '../src/core/tax/vat.js';
import { forceGc, load, machine, percentile, summary } from './support.js';

export const LINES = 1_000;
export const PRODUCTS = 300;
export const WARMUP = 30;
export const RUNS = 200;

const VAT: readonly { taxClass: TaxClass; rate: Percent; category: VatCategory }[] = [
  { taxClass: 'standard', rate: decimal4('25'), category: 'S' },
  { taxClass: 'reduced_12', rate: decimal4('12'), category: 'S' },
  { taxClass: 'reduced_6', rate: decimal4('6'), category: 'S' },
];

function tiersFor(p: number): PriceTier[] {
  const top = BigInt(10_000 + (p % 50) * 137); // 100.00 … 167.13
  return [
    { upTo: decimal4('10'), unitPriceMinor: top },
    { upTo: decimal4('50'), unitPriceMinor: (top * 9n) / 10n },
    { upTo: decimal4('100'), unitPriceMinor: (top * 8n) / 10n },
    { upTo: null, unitPriceMinor: (top * 7n) / 10n },
  ];
}

/** Deterministic test data: every third product graduated, every third volume, the rest flat. */
export function buildQuote(): { ctx: PricingContext; lines: PricingLineInput[]; discount: QuoteDiscount } {
  const listPrices: PriceListPrice[] = [];
  const customerPrices: CustomerPrice[] = [];
  for (let p = 0; p < PRODUCTS; p++) {
    const productId = `prd_${p}`;
    const base = { productId, currency: 'SEK', customerGroup: null, validTo: null } as const;
    // an expired entry and the current one, so resolution has to look at dates
    listPrices.push({ ...base, priceListId: 'pl_2025', validFrom: '2025-01-01', validTo: '2025-12-31', unitPriceMinor: 9_000n });
    if (p % 3 === 0) listPrices.push({ ...base, priceListId: 'pl_2026', validFrom: '2026-01-01', tiers: { mode: 'graduated', tiers: tiersFor(p) } });
    else if (p % 3 === 1) listPrices.push({ ...base, priceListId: 'pl_2026', validFrom: '2026-01-01', tiers: { mode: 'volume', tiers: tiersFor(p) } });
    else listPrices.push({ ...base, priceListId: 'pl_2026', validFrom: '2026-01-01', unitPriceMinor: BigInt(5_000 + p * 11) });
    // a wholesale group price for every tenth product
    if (p % 10 === 0) {
      listPrices.push({ ...base, priceListId: 'pl_wholesale', customerGroup: 'wholesale', validFrom: '2026-01-01', unitPriceMinor: BigInt(4_500 + p * 10) });
    }
    // customer prices for every fifth product (some beat the list, some do not), and for another customer
    if (p % 5 === 0) {
      customerPrices.push({ customerPriceId: `cp_${p}`, customerId: 'cus_bench', productId, currency: 'SEK', validFrom: '2026-06-01', validTo: null, unitPriceMinor: BigInt(4_000 + (p % 7) * 2_000) });
    }
    customerPrices.push({ customerPriceId: `cpx_${p}`, customerId: 'cus_other', productId, currency: 'SEK', validFrom: null, validTo: null, unitPriceMinor: 1n });
  }

  const lines: PricingLineInput[] = [];
  for (let i = 0; i < LINES; i++) {
    const vat = VAT[i % VAT.length]!;
    const qty = decimal4(`${1 + ((i * 7) % 120)}${i % 4 === 0 ? '.5' : ''}`);
    lines.push({
      lineKey: `L${i + 1}`,
      productId: i % 50 === 49 ? null : `prd_${(i * 13) % PRODUCTS}`,
      description: `Line ${i + 1}`,
      quantity: qty,
      unit: 'pcs',
      taxClass: vat.taxClass,
      vatRate: vat.rate,
      vatCategory: vat.category,
      ...(i % 50 === 49 ? { unitPriceMinor: 12_345n } : {}),
      ...(i % 3 === 0 ? { discount: { kind: 'percent' as const, percent: decimal4(`${(i % 20) + 0.5}`) } } : {}),
      ...(i % 7 === 0 ? { discount: { kind: 'amount' as const, amountMinor: 500n } } : {}),
      ...(i % 25 === 0 ? { optional: true, selected: i % 50 === 0 } : {}),
      unitCostMinor: i % 4 === 3 ? null : 3_000n + BigInt(i % 17) * 100n,
    });
  }
  const ctx: PricingContext = {
    currency: 'SEK',
    date: '2026-12-04',
    customerId: 'cus_bench',
    customerGroup: 'wholesale',
    listPrices,
    customerPrices,
  };
  return { ctx, lines, discount: { kind: 'percent', percent: decimal4('3') } };
}

export default async function run(): Promise<void> {
  const { ctx, lines, discount } = buildQuote();
  const sample = priceQuote(ctx, lines, discount);
  const sources = { manual: 0, list: 0, customer: 0, components: 0 };
  for (const l of sample.lines) sources[l.priceSource] += 1;

  for (let i = 0; i < WARMUP; i++) priceQuote(ctx, lines, discount);

  const gc = forceGc();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  // holds the latest result so the work cannot be optimised away
  const hold: { quote: PricedQuote | undefined } = { quote: undefined };
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    hold.quote = priceQuote(ctx, lines, discount);
    times.push(performance.now() - t0);
  }
  const heapAfterRuns = process.memoryUsage().heapUsed;
  gc?.();
  const heapAfterGc = process.memoryUsage().heapUsed;

  // retained size of one priced quote: gc, price once and keep it, gc again
  let retained: number | null = null;
  if (gc !== undefined) {
    hold.quote = undefined;
    gc();
    const before = process.memoryUsage().heapUsed;
    hold.quote = priceQuote(ctx, lines, discount);
    gc();
    retained = process.memoryUsage().heapUsed - before;
  }

  const loadAfter = load();
  const s = summary(times);
  const m = machine();
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log('pricing: priceQuote on one quote');
  console.log(`  machine        ${m}`);
  console.log(`  load           ${loadAfter}`);
  console.log(
    `  quote          ${LINES} lines (${sources.list} list/tier, ${sources.customer} customer price, ${sources.manual} manual), ${PRODUCTS} products, ${ctx.listPrices.length} list entries, ${ctx.customerPrices.length} customer prices`,
  );
  console.log(`  totals         net ${sample.totals.net.minor} öre, VAT ${sample.totals.vat.minor} öre, trail steps ${sample.lines.reduce((a, l) => a + l.trail.length, 0)}`);
  console.log(`  runs           ${RUNS} measured after ${WARMUP} warm-up`);
  console.log(`  per quote      median ${s.median.toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms, min ${s.min.toFixed(2)} ms, max ${s.max.toFixed(2)} ms`);
  console.log(`  throughput     ${Math.round((LINES / s.median) * 1000).toLocaleString('en-US')} lines/s (at the median)`);
  console.log(
    `  heapUsed       +${mb(heapAfterRuns - heapBefore)} over the ${RUNS} runs (garbage included), ${mb(heapAfterGc - heapBefore)} after GC` +
      (retained === null ? ' (GC not available)' : `; one priced quote retains ${mb(retained)}`),
  );
  if (hold.quote === undefined) throw new Error('nothing priced');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run();
}
