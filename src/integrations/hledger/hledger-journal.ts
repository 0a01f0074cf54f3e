/**
 * The journal in hledger's journal format (https://hledger.org/journal.html), as an independent check of
 * q2c's books: `hledger -f FILE balance` must give q2c's trial balance account by account, and
 * `hledger -f FILE check --strict` must accept the file (every account and the commodity declared,
 * every transaction balanced).
 *
 *   commodity 1000.00 SEK
 *   account 1510 Kundfordringar
 *
 *   2026-03-05 (A2026-1) Invoice 1001
 *       1510 Kundfordringar       1250.00 SEK
 *       3001 Försäljning …       -1000.00 SEK
 *
 * The code is series + fiscal year + number; amounts are exact decimal strings from bigint minor units.
 * Account names are "<number> <name>" with what hledger reads specially taken out: ':' (sub-accounts),
 * runs of spaces (two spaces end an account name), ';' (comments) and control characters.
 */

export interface HledgerPosting {
  account: string;
  /** Debit positive, credit negative, in minor units of the commodity. */
  amountMinor: bigint;
}

export interface HledgerTransaction {
  /** 'YYYY-MM-DD' */
  date: string;
  code: string;
  description: string;
  postings: readonly HledgerPosting[];
}

export interface HledgerJournal {
  commodity: string;
  exponent: number;
  /** Account number → name (every account a posting uses must be here). */
  accounts: ReadonlyMap<string, string> | readonly { account: string; name: string }[];
  transactions: Iterable<HledgerTransaction> | AsyncIterable<HledgerTransaction>;
  /** A first comment line (what the file is, when it was made). */
  comment?: string;
}

// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u001f\u007f]/g, ' ');

/** The hledger account name of a numbered account: "1510 Kundfordringar". */
export function hledgerAccountName(account: string, name: string): string {
  const n = clean(name).replace(/[:;]/g, ' ').replace(/\s+/g, ' ').trim();
  return n === '' ? account : `${account} ${n}`;
}

export function hledgerAmount(minor: bigint, exponent: number, commodity: string): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const integer = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${integer}${exponent > 0 ? `.${fraction}` : ''} ${commodity}`;
}

function checkCommodity(c: string): void {
  if (!/^[A-Z]{3}$/.test(c)) throw new Error(`hledger: commodity '${c}' is not a three-letter currency code`);
}

/** Writes the journal as text chunks (one per transaction, after a header with the declarations). */
export async function writeHledgerJournal(j: HledgerJournal, emit: (chunk: string) => void | Promise<void>): Promise<{ transactions: number; postings: number }> {
  checkCommodity(j.commodity);
  const names = new Map<string, string>();
  const list = j.accounts instanceof Map ? [...j.accounts].map(([account, name]) => ({ account, name })) : (j.accounts as readonly { account: string; name: string }[]);
  for (const a of list) names.set(a.account, hledgerAccountName(a.account, a.name));
  const head: string[] = [];
  if (j.comment !== undefined) head.push(`; ${clean(j.comment)}`);
  head.push(`commodity ${hledgerAmount(1000n * 10n ** BigInt(j.exponent), j.exponent, j.commodity)}`, '');
  for (const account of [...names.keys()].sort()) head.push(`account ${names.get(account)}`);
  head.push('');
  await emit(head.join('\n') + '\n');
  let transactions = 0;
  let postings = 0;
  for await (const t of j.transactions) {
    const code = clean(t.code).replace(/[()]/g, '').trim();
    const lines = [`${t.date}${code === '' ? '' : ` (${code})`} ${clean(t.description).replace(/;/g, ',').trim()}`.trimEnd()];
    let sum = 0n;
    for (const p of t.postings) {
      const name = names.get(p.account);
      if (name === undefined) throw new Error(`hledger: account ${p.account} (transaction ${t.code}) is not declared`);
      lines.push(`    ${name}  ${hledgerAmount(p.amountMinor, j.exponent, j.commodity)}`);
      sum += p.amountMinor;
      postings++;
    }
    if (sum !== 0n) throw new Error(`hledger: transaction ${t.code} does not balance`);
    await emit(lines.join('\n') + '\n\n');
    transactions++;
  }
  return { transactions, postings };
}

export async function hledgerJournalText(j: HledgerJournal): Promise<string> {
  const parts: string[] = [];
  await writeHledgerJournal(j, (c) => {
    parts.push(c);
  });
  return parts.join('');
}
