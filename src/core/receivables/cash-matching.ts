/**
 * Cash application: which open invoices a bank line pays, with a score and the reasons, and whether
 * it is safe to apply it without a person looking (issue 6).
 *
 * Pure and deterministic. The caller builds an OpenItemIndex from the open items it loaded (for a
 * statement: the items whose references or numbers appear in it, and the open items of the customers
 * its payers may be) and the payer accounts learned from earlier confirmed matches; matchBatch then
 * proposes allocations line by line, taking what each line uses off the index's open amounts so a
 * later line in the same batch never claims the same money twice.
 *
 * Rules, strongest first (score 0-100; auto-applied at or above the tenant's threshold, default 90,
 * only when the best proposal is unique — no other proposal within AMBIGUITY_MARGIN of it):
 *  1. payment_reference (99): a reference in the line, structured or in the text, that passes its
 *     check (Luhn for OCR, mod 97 for RF) and equals an open invoice's payment reference. The invoice
 *     gets min(amount, open); a short payment within tolerance is settled with a write-off; what is
 *     beyond the open amount stays on the payment as customer credit. Several valid references: their
 *     invoices in the order written, each up to its open amount.
 *  2. invoice_number (92 when the amount equals the open amount of the invoices named, or their sum;
 *     70 otherwise): invoice numbers (YYYY-NNNNN) in the text.
 *  3. amount_and_customer: the payer is identified by a learned payer account (strong) or by name
 *     (similarity of normalised names ≥ NAME_MATCH; if two customers are that close, the name
 *     identifies neither): one open item with exactly the amount (90 with a learned account, 75 by
 *     name); else a unique subset of up to maxSubsetSize items that sums to the amount exactly
 *     (86 / 70); else one item within tolerance (80 / 65).
 *  4. reference_typo (60, never auto): a digit string one edit (substitution, adjacent swap,
 *     dropped or added digit) away from an open invoice's OCR reference, failing the check digit.
 *  5. amount_only (40, never auto): exactly one open item in the whole index with exactly the amount.
 * Nothing else matches: the line is left unmatched for a person (or becomes customer credit when the
 * payer is known).
 */
import { isLuhnValid } from './ocr.js';
import { extractReferenceTokens } from './matching.js';
import { isRfValid } from './rf.js';

export interface OpenInvoice {
  invoiceId: string;
  customerId: string;
  invoiceNumber: string;
  /** As issued: OCR digits or an RF reference in electronic form. */
  paymentReference: string;
  currency: string;
  openMinor: bigint;
}

export interface BankLineInput {
  id: string;
  currency: string;
  /** Money in, > 0 (outgoing lines are not matched against receivables). */
  amountMinor: bigint;
  payerName: string | null;
  payerAccount: string | null;
  /** References marked structured by the bank (BgMax code 2, camt CdtrRefInf). */
  structuredReferences: readonly string[];
  /** Everything the payer wrote (unstructured references, messages), joined. */
  text: string | null;
}

export interface MatchPolicy {
  /** Auto-apply at or above this score (0-100). */
  autoThreshold: number;
  /** A short payment by at most this many minor units … */
  toleranceMinor: bigint;
  /** … or at most this many basis points of the open amount (the larger of the two) is written off. */
  toleranceBasisPoints: bigint;
  maxSubsetSize: number;
  /** Nodes the subset search may visit per line before giving up (bounds time). */
  subsetNodeBudget: number;
}

export const DEFAULT_MATCH_POLICY: MatchPolicy = {
  autoThreshold: 90,
  toleranceMinor: 1000n,
  toleranceBasisPoints: 0n,
  maxSubsetSize: 5,
  subsetNodeBudget: 20_000,
};

/** Two proposals closer than this are a tie: neither is auto-applied. */
export const AMBIGUITY_MARGIN = 5;
/** Name similarity (0-1, Dice over character bigrams of normalised names) that identifies a customer. */
export const NAME_MATCH = 0.8;

export type MatchRule = 'payment_reference' | 'invoice_number' | 'amount_and_customer' | 'subset_sum' | 'reference_typo' | 'amount_only';

export interface ProposedAllocation {
  invoiceId: string;
  invoiceNumber: string;
  amountMinor: bigint;
  /** Short payment settled within tolerance (posted as a write-off when applied). */
  writeOffMinor: bigint;
}

export interface MatchProposal {
  rule: MatchRule;
  score: number;
  customerId: string;
  allocations: ProposedAllocation[];
  /** What remains of the line after the allocations: customer credit when applied. */
  unallocatedMinor: bigint;
  reasons: string[];
}

export interface LineDecision {
  lineId: string;
  decision: 'auto' | 'review' | 'unmatched';
  best: MatchProposal | null;
  proposals: MatchProposal[];
  /** The customer the payer is, when known even without an invoice (learned account or a unique name). */
  payerCustomerId: string | null;
}

// ------------------------------------------------------------------ names

const COMPANY_FORMS = new Set(['ab', 'aktiebolag', 'handelsbolag', 'kommanditbolag', 'hb', 'kb', 'publ', 'oy', 'oyj', 'as', 'asa', 'aps', 'gmbh', 'ltd', 'limited', 'inc', 'llc', 'bv', 'nv', 'sa', 'sarl', 'ek', 'ekonomisk', 'forening', 'och', 'co', 'and']);

/** Lower case, diacritics folded (å→a, ö→o), punctuation dropped, company forms removed. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((w) => w !== '' && !COMPANY_FORMS.has(w))
    .join(' ');
}

function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const t = ` ${s} `;
  for (let i = 0; i < t.length - 1; i++) {
    const g = t.slice(i, i + 2);
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

function dice(bx: ReadonlyMap<string, number>, by: ReadonlyMap<string, number>): number {
  let common = 0;
  let total = 0;
  for (const [g, n] of bx) {
    common += Math.min(n, by.get(g) ?? 0);
    total += n;
  }
  for (const n of by.values()) total += n;
  return total === 0 ? 0 : (2 * common) / total;
}

/** Dice coefficient over character bigrams of the normalised names, 0-1. */
export function nameSimilarity(a: string, b: string): number {
  const x = normaliseName(a);
  const y = normaliseName(b);
  if (x === '' || y === '') return 0;
  if (x === y) return 1;
  return dice(bigrams(x), bigrams(y));
}

// ------------------------------------------------------------------ index

export class OpenItemIndex {
  private readonly byId = new Map<string, OpenInvoice>();
  private readonly byReference = new Map<string, OpenInvoice>();
  private readonly byNumber = new Map<string, OpenInvoice>();
  private readonly byCustomer = new Map<string, OpenInvoice[]>();
  private readonly byAmount = new Map<string, OpenInvoice[]>();

  private readonly names: { id: string; normalised: string; grams: Map<string, number> }[];
  /** bigram → indexes into `names` that contain it, so a payer name is compared only with names sharing enough bigrams. */
  private readonly postings = new Map<string, number[]>();

  constructor(
    items: readonly OpenInvoice[],
    customers: readonly { id: string; name: string }[],
    /** Payer account → customer, learned from confirmed matches. */
    private readonly knownAccounts: ReadonlyMap<string, string>,
  ) {
    this.names = customers
      .map((c) => ({ id: c.id, normalised: normaliseName(c.name) }))
      .filter((c) => c.normalised !== '')
      .map((c) => ({ ...c, grams: bigrams(c.normalised) }));
    this.names.forEach((c, k) => {
      for (const g of c.grams.keys()) {
        const list = this.postings.get(g);
        if (list) list.push(k);
        else this.postings.set(g, [k]);
      }
    });
    for (const item of items) {
      const it = { ...item };
      this.byId.set(it.invoiceId, it);
      this.byReference.set(it.paymentReference.replace(/\s+/g, '').toUpperCase(), it);
      this.byNumber.set(it.invoiceNumber, it);
      const list = this.byCustomer.get(it.customerId) ?? [];
      list.push(it);
      this.byCustomer.set(it.customerId, list);
      const key = `${it.currency}:${it.openMinor}`;
      const same = this.byAmount.get(key) ?? [];
      same.push(it);
      this.byAmount.set(key, same);
    }
  }

  open(id: string): bigint {
    return this.byId.get(id)?.openMinor ?? 0n;
  }

  /** Takes an applied amount off an item (a later line in the batch sees what is left). */
  reduce(id: string, amountMinor: bigint): void {
    const it = this.byId.get(id);
    if (!it) return;
    const oldKey = `${it.currency}:${it.openMinor}`;
    this.byAmount.set(oldKey, (this.byAmount.get(oldKey) ?? []).filter((x) => x !== it));
    it.openMinor -= amountMinor;
    const key = `${it.currency}:${it.openMinor}`;
    if (it.openMinor > 0n) this.byAmount.set(key, [...(this.byAmount.get(key) ?? []), it]);
  }

  reference(ref: string): OpenInvoice | undefined {
    const it = this.byReference.get(ref);
    return it && it.openMinor > 0n ? it : undefined;
  }

  number(n: string): OpenInvoice | undefined {
    const it = this.byNumber.get(n);
    return it && it.openMinor > 0n ? it : undefined;
  }

  customerItems(customerId: string, currency: string): OpenInvoice[] {
    return (this.byCustomer.get(customerId) ?? []).filter((i) => i.currency === currency && i.openMinor > 0n);
  }

  withAmount(currency: string, amountMinor: bigint): OpenInvoice[] {
    return (this.byAmount.get(`${currency}:${amountMinor}`) ?? []).filter((i) => i.openMinor > 0n);
  }

  accountCustomer(account: string | null): string | null {
    return account === null ? null : (this.knownAccounts.get(normaliseAccount(account)) ?? null);
  }

  /** The customer whose name the payer's is, if exactly one is that close. */
  nameCustomer(payerName: string | null): { id: string; similarity: number } | null {
    if (payerName === null) return null;
    const x = normaliseName(payerName);
    if (x === '') return null;
    const gx = bigrams(x);
    // Dice ≥ NAME_MATCH needs the shared bigrams to cover at least NAME_MATCH / 2 of the payer name's
    // (2c / (nx + ny) ≥ m ⇒ c ≥ m·nx / 2): only names passing that are compared in full.
    let nx = 0;
    const cover = new Map<number, number>();
    for (const [g, n] of gx) {
      nx += n;
      for (const k of this.postings.get(g) ?? []) cover.set(k, (cover.get(k) ?? 0) + n);
    }
    let best: { id: string; similarity: number } | null = null;
    let close = 0;
    for (const [k, covered] of cover) {
      if (covered < (NAME_MATCH * nx) / 2) continue;
      const c = this.names[k]!;
      const sim = c.normalised === x ? 1 : dice(gx, c.grams);
      if (sim >= NAME_MATCH) {
        close++;
        if (best === null || sim > best.similarity) best = { id: c.id, similarity: sim };
      }
    }
    return close === 1 ? best : null;
  }

  /**
   * Open items whose OCR reference is one edit away from `digits` (a digit changed, two adjacent
   * digits swapped, one dropped or one added): the neighbours of `digits` are generated and looked
   * up, about 25 × length lookups, whatever the number of open items.
   */
  nearReferences(digits: string): OpenInvoice[] {
    const out = new Set<OpenInvoice>();
    const look = (cand: string): void => {
      if (cand === digits) return;
      const it = this.reference(cand);
      if (it && /^\d+$/.test(it.paymentReference)) out.add(it);
    };
    for (let i = 0; i < digits.length; i++) {
      for (let d = 0; d <= 9; d++) look(digits.slice(0, i) + String(d) + digits.slice(i + 1));
      look(digits.slice(0, i) + digits.slice(i + 1));
      if (i + 1 < digits.length) look(digits.slice(0, i) + digits[i + 1]! + digits[i]! + digits.slice(i + 2));
    }
    for (let i = 0; i <= digits.length; i++) for (let d = 0; d <= 9; d++) look(digits.slice(0, i) + String(d) + digits.slice(i));
    return [...out];
  }
}

export const normaliseAccount = (a: string): string => a.replace(/[\s-]/g, '').toUpperCase();

// ------------------------------------------------------------------ rules

function tolerance(open: bigint, policy: MatchPolicy): bigint {
  const pct = (open * policy.toleranceBasisPoints) / 10_000n;
  return pct > policy.toleranceMinor ? pct : policy.toleranceMinor;
}

/** Allocates `amount` over `items` in order, each up to its open amount; a last short item within tolerance is written off. */
function allocateInOrder(items: readonly OpenInvoice[], amount: bigint, policy: MatchPolicy): { allocations: ProposedAllocation[]; rest: bigint } {
  const allocations: ProposedAllocation[] = [];
  let rest = amount;
  for (const it of items) {
    if (rest <= 0n) break;
    const take = rest < it.openMinor ? rest : it.openMinor;
    const short = it.openMinor - take;
    const writeOff = short > 0n && short <= tolerance(it.openMinor, policy) ? short : 0n;
    allocations.push({ invoiceId: it.invoiceId, invoiceNumber: it.invoiceNumber, amountMinor: take, writeOffMinor: writeOff });
    rest -= take;
  }
  return { allocations, rest };
}

const fmt = (minor: bigint): string => {
  const neg = minor < 0n;
  const a = neg ? -minor : minor;
  return `${neg ? '-' : ''}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
};

function describeAmounts(line: BankLineInput, allocations: readonly ProposedAllocation[], rest: bigint): string {
  const parts = allocations.map((a) => `${a.invoiceNumber} ${fmt(a.amountMinor)}${a.writeOffMinor > 0n ? ` (short ${fmt(a.writeOffMinor)} within tolerance, written off)` : ''}`);
  return `pays ${fmt(line.amountMinor)} ${line.currency}: ${parts.join(', ')}${rest > 0n ? `; ${fmt(rest)} left as customer credit` : ''}`;
}

function referenceProposal(line: BankLineInput, index: OpenItemIndex, policy: MatchPolicy): MatchProposal | null {
  const refs: { ref: string; source: string }[] = [];
  for (const s of line.structuredReferences) {
    const r = s.replace(/\s+/g, '').toUpperCase();
    if ((/^\d+$/.test(r) && isLuhnValid(r)) || isRfValid(r)) refs.push({ ref: r, source: 'structured reference' });
  }
  for (const s of line.structuredReferences) for (const t of extractReferenceTokens(s).ocrCandidates) refs.push({ ref: t, source: 'structured reference' });
  if (line.text) for (const t of extractReferenceTokens(line.text).ocrCandidates) refs.push({ ref: t, source: 'text' });
  const items: OpenInvoice[] = [];
  const reasons: string[] = [];
  for (const { ref, source } of refs) {
    const it = index.reference(ref);
    if (!it || it.currency !== line.currency || items.includes(it)) continue;
    items.push(it);
    reasons.push(`${/^RF/.test(ref) ? 'RF' : 'OCR'} reference ${ref} (${source}, check digits valid) is invoice ${it.invoiceNumber}'s`);
  }
  if (items.length === 0) return null;
  const customers = new Set(items.map((i) => i.customerId));
  if (customers.size > 1) {
    return { rule: 'payment_reference', score: 70, customerId: items[0]!.customerId, ...alloc(items), reasons: [...reasons, 'the references belong to different customers'] };
  }
  return { rule: 'payment_reference', score: 99, customerId: items[0]!.customerId, ...alloc(items), reasons };

  function alloc(its: OpenInvoice[]): { allocations: ProposedAllocation[]; unallocatedMinor: bigint } {
    const { allocations, rest } = allocateInOrder(its, line.amountMinor, policy);
    reasons.push(describeAmounts(line, allocations, rest));
    return { allocations, unallocatedMinor: rest };
  }
}

function invoiceNumberProposal(line: BankLineInput, index: OpenItemIndex, policy: MatchPolicy): MatchProposal | null {
  if (!line.text && line.structuredReferences.length === 0) return null;
  const text = [line.text ?? '', ...line.structuredReferences].join(' ');
  const items: OpenInvoice[] = [];
  for (const n of extractReferenceTokens(text).invoiceNumberCandidates) {
    const it = index.number(n);
    if (it && it.currency === line.currency && !items.includes(it)) items.push(it);
  }
  if (items.length === 0) return null;
  const customers = new Set(items.map((i) => i.customerId));
  const total = items.reduce((a, i) => a + i.openMinor, 0n);
  const { allocations, rest } = allocateInOrder(items, line.amountMinor, policy);
  const exact = total === line.amountMinor;
  const withinTolerance = !exact && line.amountMinor < total && total - line.amountMinor <= tolerance(total, policy) && items.length === 1;
  const reasons = [
    `invoice number${items.length > 1 ? 's' : ''} ${items.map((i) => i.invoiceNumber).join(', ')} in the payer's text`,
    exact
      ? `the amount equals the open amount${items.length > 1 ? ' of them together' : ''} (${fmt(total)})`
      : withinTolerance
        ? `the amount is ${fmt(total - line.amountMinor)} short of the open ${fmt(total)}, within tolerance`
        : `the amount ${fmt(line.amountMinor)} differs from the open ${fmt(total)}`,
    describeAmounts(line, allocations, rest),
  ];
  const score = customers.size > 1 ? 60 : exact ? 92 : withinTolerance ? 88 : 70;
  return { rule: 'invoice_number', score, customerId: items[0]!.customerId, allocations, unallocatedMinor: rest, reasons };
}

/** Subsets of `items` (up to maxSize) summing to `target`; stops at 2 found or when the node budget runs out. */
function subsetsSumming(items: readonly OpenInvoice[], target: bigint, maxSize: number, budget: number): { found: OpenInvoice[][]; exhausted: boolean } {
  const sorted = [...items].sort((a, b) => (a.openMinor > b.openMinor ? -1 : a.openMinor < b.openMinor ? 1 : a.invoiceNumber < b.invoiceNumber ? -1 : 1));
  // suffix sums for pruning
  const suffix: bigint[] = new Array<bigint>(sorted.length + 1).fill(0n);
  for (let i = sorted.length - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + sorted[i]!.openMinor;
  const found: OpenInvoice[][] = [];
  let nodes = 0;
  const pick: OpenInvoice[] = [];
  const walk = (start: number, remaining: bigint): void => {
    if (found.length >= 2 || nodes++ > budget) return;
    if (remaining === 0n) {
      if (pick.length >= 2) found.push([...pick]);
      return;
    }
    if (pick.length >= maxSize || remaining < 0n || suffix[start]! < remaining) return;
    for (let i = start; i < sorted.length; i++) {
      const it = sorted[i]!;
      if (it.openMinor > remaining) continue;
      pick.push(it);
      walk(i + 1, remaining - it.openMinor);
      pick.pop();
      if (found.length >= 2) return;
    }
  };
  walk(0, target);
  return { found, exhausted: nodes > budget };
}

function customerProposals(line: BankLineInput, index: OpenItemIndex, policy: MatchPolicy, customerId: string, how: 'account' | 'name', similarity: number): MatchProposal[] {
  const strong = how === 'account';
  const who = strong ? `payer account ${line.payerAccount} is this customer's (learned from earlier matches)` : `payer name '${line.payerName}' matches the customer's name (similarity ${similarity.toFixed(2)})`;
  const items = index.customerItems(customerId, line.currency);
  if (items.length === 0) return [];
  const exact = items.filter((i) => i.openMinor === line.amountMinor);
  if (exact.length >= 1) {
    const unique = exact.length === 1;
    return exact.map((it) => ({
      rule: 'amount_and_customer' as const,
      score: unique ? (strong ? 90 : 75) : strong ? 70 : 55,
      customerId,
      allocations: [{ invoiceId: it.invoiceId, invoiceNumber: it.invoiceNumber, amountMinor: line.amountMinor, writeOffMinor: 0n }],
      unallocatedMinor: 0n,
      reasons: [who, `invoice ${it.invoiceNumber} is open with exactly ${fmt(line.amountMinor)}${unique ? ', the only one of the customer\'s' : `, as ${exact.length} of the customer's invoices are`}`],
    }));
  }
  const { found, exhausted } = subsetsSumming(items, line.amountMinor, policy.maxSubsetSize, policy.subsetNodeBudget);
  if (found.length > 0) {
    const unique = found.length === 1 && !exhausted;
    return found.map((set) => ({
      rule: 'subset_sum' as const,
      score: unique ? (strong ? 86 : 70) : 50,
      customerId,
      allocations: set.map((it) => ({ invoiceId: it.invoiceId, invoiceNumber: it.invoiceNumber, amountMinor: it.openMinor, writeOffMinor: 0n })),
      unallocatedMinor: 0n,
      reasons: [who, `open invoices ${set.map((i) => `${i.invoiceNumber} (${fmt(i.openMinor)})`).join(' + ')} add up to exactly ${fmt(line.amountMinor)}${unique ? '; no other combination does' : '; other combinations do too'}`],
    }));
  }
  const near = items.filter((i) => i.openMinor > line.amountMinor && i.openMinor - line.amountMinor <= tolerance(i.openMinor, policy));
  if (near.length === 1) {
    const it = near[0]!;
    return [
      {
        rule: 'amount_and_customer',
        score: strong ? 80 : 65,
        customerId,
        allocations: [{ invoiceId: it.invoiceId, invoiceNumber: it.invoiceNumber, amountMinor: line.amountMinor, writeOffMinor: it.openMinor - line.amountMinor }],
        unallocatedMinor: 0n,
        reasons: [who, `invoice ${it.invoiceNumber} is open with ${fmt(it.openMinor)}, ${fmt(it.openMinor - line.amountMinor)} more than paid, within tolerance (a fee or rounding)`],
      },
    ];
  }
  return [];
}

function typoProposals(line: BankLineInput, index: OpenItemIndex, payerCustomerId: string | null): MatchProposal[] {
  const texts = [...line.structuredReferences, line.text ?? ''];
  const out: MatchProposal[] = [];
  const seen = new Set<string>();
  for (const t of texts) {
    for (const run of t.matchAll(/\d[\d \u00a0]{3,30}\d/g)) {
      const digits = run[0].replace(/[ \u00a0]/g, '');
      if (isLuhnValid(digits)) continue; // a valid reference is the reference rule's, whether open or not
      for (const it of index.nearReferences(digits)) {
        if (seen.has(it.invoiceId) || it.currency !== line.currency) continue;
        seen.add(it.invoiceId);
        const take = line.amountMinor < it.openMinor ? line.amountMinor : it.openMinor;
        // never auto-applied; ranked by how much else agrees, so it leads the suggestions when it should
        const amountAgrees = it.openMinor === line.amountMinor;
        const payerAgrees = payerCustomerId === it.customerId;
        out.push({
          rule: 'reference_typo',
          score: amountAgrees ? (payerAgrees ? 85 : 75) : payerAgrees ? 70 : 60,
          customerId: it.customerId,
          allocations: [{ invoiceId: it.invoiceId, invoiceNumber: it.invoiceNumber, amountMinor: take, writeOffMinor: 0n }],
          unallocatedMinor: line.amountMinor - take,
          reasons: [
            `reference ${digits} fails its check digit; it is one digit away from invoice ${it.invoiceNumber}'s reference ${it.paymentReference}`,
            it.openMinor === line.amountMinor ? 'the amount equals the open amount' : `open ${fmt(it.openMinor)}, paid ${fmt(line.amountMinor)}`,
          ],
        });
      }
    }
  }
  return out;
}

/** Proposals for one line, best first, and the decision. Does not change the index. */
export function proposeForLine(line: BankLineInput, index: OpenItemIndex, policy: MatchPolicy = DEFAULT_MATCH_POLICY): LineDecision {
  const accountCustomer = index.accountCustomer(line.payerAccount);
  const named = accountCustomer === null ? index.nameCustomer(line.payerName) : null;
  const payerCustomerId = accountCustomer ?? named?.id ?? null;
  if (line.amountMinor <= 0n) return { lineId: line.id, decision: 'unmatched', best: null, proposals: [], payerCustomerId };
  const proposals: MatchProposal[] = [];
  const typos = typoProposals(line, index, payerCustomerId);
  const ref = referenceProposal(line, index, policy);
  if (ref) proposals.push(ref);
  const num = invoiceNumberProposal(line, index, policy);
  if (num && !(ref && sameAllocations(ref, num))) proposals.push(num);
  if (proposals.length === 0 || proposals.every((p) => p.score < policy.autoThreshold)) {
    if (accountCustomer !== null) proposals.push(...customerProposals(line, index, policy, accountCustomer, 'account', 1));
    else if (named) proposals.push(...customerProposals(line, index, policy, named.id, 'name', named.similarity));
    if (proposals.length === 0) {
      const same = index.withAmount(line.currency, line.amountMinor);
      if (same.length === 1) {
        const it = same[0]!;
        proposals.push({
          rule: 'amount_only',
          score: 40,
          customerId: it.customerId,
          allocations: [{ invoiceId: it.invoiceId, invoiceNumber: it.invoiceNumber, amountMinor: line.amountMinor, writeOffMinor: 0n }],
          unallocatedMinor: 0n,
          reasons: [`no reference and an unknown payer; invoice ${it.invoiceNumber} is the only open item of exactly ${fmt(line.amountMinor)}`],
        });
      }
    }
  }
  proposals.push(...typos);
  proposals.sort((a, b) => b.score - a.score || (a.allocations[0]?.invoiceNumber ?? '').localeCompare(b.allocations[0]?.invoiceNumber ?? ''));
  const best = proposals[0] ?? null;
  if (best === null) return { lineId: line.id, decision: 'unmatched', best: null, proposals, payerCustomerId };
  const runnerUp = proposals.find((p) => p !== best && !sameAllocations(p, best));
  const unique = runnerUp === undefined || best.score - runnerUp.score >= AMBIGUITY_MARGIN;
  // a reference that fails its check digit means the payer meant some invoice and got it wrong: a person decides
  const typo = proposals.some((p) => p.rule === 'reference_typo');
  const auto = unique && !typo && best.score >= policy.autoThreshold && best.rule !== 'amount_only';
  return { lineId: line.id, decision: auto ? 'auto' : 'review', best, proposals, payerCustomerId };
}

function sameAllocations(a: MatchProposal, b: MatchProposal): boolean {
  const key = (p: MatchProposal) => p.allocations.map((x) => x.invoiceId).sort().join(',');
  return key(a) === key(b);
}

/**
 * Decides a batch in order. Auto-applied allocations are taken off the index at once, so a later
 * line cannot use money an earlier one took; suggestions for review do not reserve anything.
 */
export function matchBatch(lines: readonly BankLineInput[], index: OpenItemIndex, policy: MatchPolicy = DEFAULT_MATCH_POLICY): LineDecision[] {
  const out: LineDecision[] = [];
  for (const line of lines) {
    const d = proposeForLine(line, index, policy);
    if (d.decision === 'auto' && d.best) {
      for (const a of d.best.allocations) index.reduce(a.invoiceId, a.amountMinor + a.writeOffMinor);
    }
    out.push(d);
  }
  return out;
}
