/**
 * runCommand's contract, against an in-memory fake of the ports it touches: replay, mismatch,
 * in-progress, errors stored or released, and the guard that lets only one execution commit.
 */
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../core/shared/errors.js';
import { asId } from '../../core/shared/ids.js';
import type { Database, IdempotencyBegin, Store } from '../ports.js';
import { runCommand, type CommandOptions } from './run.js';

interface Row { hash: string; status: 'in_progress' | 'completed'; response?: { status: number; body: unknown } }

function fakeDb() {
  const rows = new Map<string, Row>();
  let committedWork = 0;
  const idempotency = {
    async begin(key: string, hash: string): Promise<IdempotencyBegin> {
      const row = rows.get(key);
      if (!row) {
        rows.set(key, { hash, status: 'in_progress' });
        return { kind: 'started' };
      }
      if (row.hash !== hash) return { kind: 'mismatch' };
      if (row.status === 'completed') return { kind: 'replay', ...row.response! };
      return { kind: 'in_progress' };
    },
    async complete(key: string, status: number, body: unknown) {
      const row = rows.get(key);
      if (!row || row.status !== 'in_progress') return false;
      row.status = 'completed';
      row.response = { status, body };
      return true;
    },
    async release(key: string) {
      if (rows.get(key)?.status === 'in_progress') rows.delete(key);
    },
  };
  const store = { idempotency } as unknown as Store;
  const db = {
    async transaction<T>(_t: unknown, fn: (s: Store) => Promise<T>) {
      const result = await fn(store);
      committedWork++;
      return result;
    },
    store: () => store,
  } as unknown as Database;
  return { db, rows, committed: () => committedWork };
}

const tenant = asId('tenant', 'ten_t');
const opts = (key: string | undefined, hash = 'h1', role?: string): CommandOptions<string> => ({
  actor: role === undefined ? {} : { role },
  permission: 'quotes.write',
  idempotencyKey: key,
  requestHash: hash,
  toResponse: (r) => ({ status: 201, body: { r } }),
  // like the API's: transient codes are not stored
  errorToResponse: (e) =>
    e instanceof DomainError && e.code !== 'idempotency_request_in_progress' ? { status: 409, body: { code: e.code } } : undefined,
});

describe('runCommand', () => {
  it('refuses an actor without the permission before claiming the key or running anything', async () => {
    const f = fakeDb();
    let runs = 0;
    const work = async () => `run ${++runs}`;
    await expect(runCommand(f.db, tenant, work, opts('k', 'h1', 'viewer'))).rejects.toMatchObject({ code: 'forbidden' });
    expect(runs).toBe(0);
    expect(f.rows.size).toBe(0);
    expect(f.committed()).toBe(0);
    expect(await runCommand(f.db, tenant, work, opts('k', 'h1', 'sales'))).toEqual({ status: 201, body: { r: 'run 1' } });
  });

  it('replays the first response for the same key and request, without running the work again', async () => {
    const f = fakeDb();
    let runs = 0;
    const work = async () => `run ${++runs}`;
    expect(await runCommand(f.db, tenant, work, opts('k'))).toEqual({ status: 201, body: { r: 'run 1' } });
    expect(await runCommand(f.db, tenant, work, opts('k'))).toEqual({ status: 201, body: { r: 'run 1' } });
    expect(runs).toBe(1);
  });

  it('refuses the same key with another request, and a key still in progress', async () => {
    const f = fakeDb();
    await runCommand(f.db, tenant, async () => 'x', opts('k'));
    await expect(runCommand(f.db, tenant, async () => 'y', opts('k', 'h2'))).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    f.rows.set('busy', { hash: 'h1', status: 'in_progress' });
    await expect(runCommand(f.db, tenant, async () => 'y', opts('busy'))).rejects.toMatchObject({ code: 'idempotency_request_in_progress' });
  });

  it('stores a domain error for replay, but releases the key after an unexpected failure', async () => {
    const f = fakeDb();
    const failing = async (): Promise<string> => { throw new DomainError('quote_not_sent', 'no'); };
    expect(await runCommand(f.db, tenant, failing, opts('e'))).toEqual({ status: 409, body: { code: 'quote_not_sent' } });
    expect(await runCommand(f.db, tenant, async () => 'ok', opts('e'))).toEqual({ status: 409, body: { code: 'quote_not_sent' } });
    await expect(runCommand(f.db, tenant, async () => { throw new Error('crash'); }, opts('c'))).rejects.toThrow('crash');
    expect(f.rows.has('c')).toBe(false);
    expect(await runCommand(f.db, tenant, async () => 'second try', opts('c'))).toEqual({ status: 201, body: { r: 'second try' } });
  });

  it('rolls back its work when another execution completed the key first', async () => {
    const f = fakeDb();
    const work = async () => {
      // while we work, a taker of our (stale) claim completes the key
      const row = f.rows.get('s')!;
      row.status = 'completed';
      row.response = { status: 201, body: { r: 'taker' } };
      return 'original';
    };
    await expect(runCommand(f.db, tenant, work, opts('s'))).rejects.toMatchObject({ code: 'idempotency_request_in_progress' });
    expect(f.committed()).toBe(0);
    expect(await runCommand(f.db, tenant, async () => 'again', opts('s'))).toEqual({ status: 201, body: { r: 'taker' } });
  });

  it('runs without a key in one transaction', async () => {
    const f = fakeDb();
    expect(await runCommand(f.db, tenant, async () => 'plain', opts(undefined))).toEqual({ status: 201, body: { r: 'plain' } });
    expect(f.committed()).toBe(1);
  });
});
