/**
 * A small Kysely dialect for PGlite (in-process WASM PostgreSQL).
 *
 * PGlite is one connection. The driver hands out that one connection guarded by a FIFO mutex: a
 * caller holds it from acquire to release, so a Kysely transaction owns it for its whole life and
 * every other caller's query waits its turn — it can never run inside someone else's transaction.
 *
 * Transactions go through `PGlite.transaction()` (never a raw BEGIN on the shared instance, which
 * would let any other query on the instance leak into the transaction): `beginTransaction` starts
 * `pglite.transaction(cb)` whose callback parks on a promise that commit resolves and rollback
 * rejects; while it is parked, the connection sends its queries to the callback's `tx`. PGlite then
 * COMMITs (or ROLLBACKs) when the callback settles, and a failed COMMIT (a deferred constraint
 * trigger, an aborted transaction) surfaces from `commitTransaction`.
 *
 * Parameterless queries go to `exec` (the simple query protocol, as node-postgres does), so a
 * migration script of many statements — plpgsql bodies in `$$` included — runs as one call.
 */
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import {
  TransactionAbortedError,
  type PGliteInterface,
  type QueryOptions,
  type Results,
  type Transaction,
} from '@electric-sql/pglite';

export interface PGliteDialectConfig {
  /** The instance, or a factory called once by `init()`. */
  pglite: PGliteInterface | (() => Promise<PGliteInterface>);
  /** Parsers/serializers passed with every query (overriding the instance's own). */
  queryOptions?: Pick<QueryOptions, 'parsers' | 'serializers'>;
  /** Close the instance when Kysely is destroyed. Default false: the instance belongs to the caller. */
  closeOnDestroy?: boolean;
}

export class PGliteDialect implements Dialect {
  readonly #config: PGliteDialectConfig;
  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#config);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's own signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

/** FIFO mutex: `lock()` resolves when the caller holds it; `unlock()` hands it to the next waiter. */
class Mutex {
  #locked = false;
  readonly #waiters: (() => void)[] = [];
  async lock(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  unlock(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}

class PGliteDriver implements Driver {
  readonly #config: PGliteDialectConfig;
  readonly #mutex = new Mutex();
  #pglite: PGliteInterface | undefined;
  #connection: PGliteConnection | undefined;

  constructor(config: PGliteDialectConfig) {
    this.#config = config;
  }

  async init(): Promise<void> {
    const p = this.#config.pglite;
    this.#pglite = typeof p === 'function' ? await p() : p;
    this.#connection = new PGliteConnection(this.#pglite, this.#config.queryOptions ?? {});
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    if (!this.#connection) {
      this.#mutex.unlock();
      throw new Error('PGlite driver is not initialised or has been destroyed');
    }
    return this.#connection;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    // A transaction left open (a caller that never committed) must not leak into the next holder.
    await (connection as PGliteConnection).abandonTransaction();
    this.#mutex.unlock();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PGliteConnection).begin(settings);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as PGliteConnection).rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }

  async destroy(): Promise<void> {
    // Wait for the current holder (if any) so we never close under a running query.
    await this.#mutex.lock();
    const pglite = this.#pglite;
    this.#connection = undefined;
    this.#pglite = undefined;
    this.#mutex.unlock();
    if (pglite && this.#config.closeOnDestroy && !pglite.closed) await pglite.close();
  }
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Thrown into the parked transaction callback so PGlite rolls back; never escapes this module. */
const ROLLBACK = Symbol('rollback');

interface OpenTransaction {
  tx: Transaction;
  finish: { resolve: () => void; reject: (reason: unknown) => void };
  done: Promise<void>;
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGliteInterface;
  readonly #options: QueryOptions;
  #open: OpenTransaction | undefined;

  constructor(pglite: PGliteInterface, options: QueryOptions) {
    this.#pglite = pglite;
    this.#options = options;
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (this.#open) throw new Error('PGlite connection already has an open transaction');
    let finish!: OpenTransaction['finish'];
    const finished = new Promise<void>((resolve, reject) => {
      finish = { resolve, reject };
    });
    let started!: (tx: Transaction) => void;
    const ready = new Promise<Transaction>((resolve) => {
      started = resolve;
    });
    const done = this.#pglite.transaction(async (tx) => {
      started(tx);
      await finished;
    });
    // BEGIN itself may fail; then the callback never runs and `done` rejects.
    const tx = await Promise.race([
      ready,
      done.then(() => {
        throw new Error('PGlite transaction ended before it started');
      }),
    ]);
    this.#open = { tx, finish, done };
    if (settings.isolationLevel || settings.accessMode) {
      let text = 'set transaction';
      if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
      if (settings.accessMode) text += ` ${settings.accessMode}`;
      await this.executeQuery(CompiledQuery.raw(text));
    }
  }

  async commit(): Promise<void> {
    const open = this.#take();
    open.finish.resolve();
    try {
      await open.done;
    } catch (error) {
      if (error instanceof TransactionAbortedError) throw new AbortedTransactionError();
      throw error;
    }
  }

  async rollback(): Promise<void> {
    const open = this.#open;
    // Kysely also calls rollback after a failed COMMIT; by then nothing is open.
    if (!open) return;
    this.#open = undefined;
    open.finish.reject(ROLLBACK);
    try {
      await open.done;
    } catch (error) {
      if (error !== ROLLBACK) throw error;
    }
  }

  async abandonTransaction(): Promise<void> {
    if (this.#open) await this.rollback();
  }

  #take(): OpenTransaction {
    const open = this.#open;
    if (!open) throw new Error('PGlite connection has no open transaction');
    this.#open = undefined;
    return open;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const target: Pick<Transaction, 'query' | 'exec'> = this.#open?.tx ?? this.#pglite;
    let result: Results<R> | undefined;
    if (compiledQuery.parameters.length === 0) {
      const results = (await target.exec(compiledQuery.sql, this.#options)) as Results<R>[];
      result = results[results.length - 1];
    } else {
      result = await target.query<R>(compiledQuery.sql, [...compiledQuery.parameters], this.#options);
    }
    if (!result) return { rows: [] };
    const command = result.command?.toUpperCase();
    const affects = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
    return {
      rows: result.rows,
      numAffectedRows: affects ? BigInt(result.rowCount ?? result.affectedRows ?? 0) : undefined,
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) throw new Error('chunkSize must be a positive integer');
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}
