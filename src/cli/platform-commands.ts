/**
 * `q2c tenants create|list`: the companies of this installation (platform administration). Each tenant
 * has its own settings, number series, accounts and keys; creating one prints its first admin API key
 * once (only its hash is stored).
 */
import type { Command } from 'commander';
import { createTenant } from '../app/platform/tenants.js';
import type { CliContext, CliWired } from './context.js';

export function registerPlatformCommands<W extends CliWired>(program: Command, ctx: CliContext<W>): void {
  const tenants = program.command('tenants').description('the companies of this installation (platform administration)');
  tenants
    .command('create')
    .description("create a company with its own settings, series, accounts and keys; prints its first admin API key once")
    .requiredOption('--name <name>', 'the company name')
    .option('--id <id>', 'the tenant id, ten_ + lowercase letters, digits and _ (default: from the name)')
    .option('--org-number <nr>', 'organisation number, e.g. 556677-8899')
    .option('--vat-number <nr>', 'VAT number, e.g. SE556677889901')
    .option('--country <cc>', 'ISO 3166 country code', 'SE')
    .option('--currency <ccy>', 'the base (functional) currency of its books', 'SEK')
    .action(async (o: { name: string; id?: string; orgNumber?: string; vatNumber?: string; country: string; currency: string }) =>
      ctx.withParam(async () => {
        const w = await ctx.wire();
        try {
          const { tenant, key, keyRecord } = await createTenant(w.deps.db, w.deps, {
            name: o.name, id: o.id, orgNumber: o.orgNumber, vatNumber: o.vatNumber, country: o.country, currency: o.currency,
          }, 'cli');
          if (ctx.json()) ctx.out(JSON.stringify({ id: tenant.id, name: tenant.name, base_currency: tenant.baseCurrency, api_key: key, api_key_id: keyRecord.id }));
          else {
            ctx.out(`Created tenant ${tenant.id} (${tenant.name}, books in ${tenant.baseCurrency})`);
            ctx.out(`Admin API key (shown once): ${key}`);
          }
        } finally {
          await w.close();
        }
      }),
    );
  tenants
    .command('list')
    .description('the tenants of this installation')
    .action(async () =>
      ctx.withParam(async () => {
        const w = await ctx.wire();
        try {
          const list = await w.deps.db.platform.listTenants();
          if (ctx.json()) ctx.out(JSON.stringify(list.map((t) => ({ id: t.id, name: t.name, base_currency: t.baseCurrency, country: t.country }))));
          else for (const t of list) ctx.out(`${t.id}\t${t.name}\t${t.baseCurrency}\t${t.country}`);
        } finally {
          await w.close();
        }
      }),
    );
}
