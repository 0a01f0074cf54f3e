/** What the command modules get from the program: wiring, output and the tenant lookup. */
import type { AppDeps } from '../app/shared/env.js';
import type { TenantId } from '../core/shared/ids.js';

export interface CliContext<W> {
  wire(): Promise<W>;
  out(line: string): void;
  json(): boolean;
  /** Runs work, turning a domain error into one line naming its field. */
  withParam<T>(work: () => Promise<T>): Promise<T>;
  cliTenant(w: W, id: string): Promise<TenantId>;
}

export type CliWired = { deps: AppDeps; close(): Promise<void> };

/** Runs work with the wiring open and the tenant resolved, closing the wiring after. */
export function inTenantOf<W extends CliWired>(ctx: CliContext<W>) {
  return async <T>(tenant: string, work: (w: W, tenantId: TenantId) => Promise<T>): Promise<T> =>
    ctx.withParam(async () => {
      const w = await ctx.wire();
      try {
        return await work(w, await ctx.cliTenant(w, tenant));
      } finally {
        await w.close();
      }
    });
}
