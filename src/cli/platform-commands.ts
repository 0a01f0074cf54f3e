/**
 * `q2c tenants create|list`: the companies of this installation (platform administration). Each tenant
 * has its own settings, number series, accounts and keys; creating one prints its first admin API key
 * once (only its hash is stored).
 */
import type { Command } from 'commander';
import { createApiKey } from '../app/platform/api-keys.js';
import { defaultTenant, ensureTenant } from '../app/platform/tenants.js';
import { parseCurrency } from '../core/money/currency.js';
import { invalid } from '../core/shared/errors.js';
import { asId } from '../core/shared/ids.js';
import type { CliContext, CliWired } from './context.js';

const TENANT_ID = /^ten_[a-z0-9_]{1,40}$/;

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
        const name = o.name.trim();
        if (name === '' || name.length > 200) throw invalid('--name', 'must be 1-200 characters');
        const id = o.id ?? `ten_${name.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'company'}`;
        if (!TENANT_ID.test(id)) throw invalid('--id', 'must be ten_ followed by 1-40 lowercase letters, digits or _');
        if (!/^[A-Z]{2}$/.test(o.country)) throw invalid('--country', 'must be a two-letter ISO 3166 code such as SE');
        const currency = parseCurrency(o.currency, '--currency');
        const w = await ctx.wire();
        try {
          const { created } = await ensureTenant(
            w.deps.db,
            defaultTenant({ id: asId('tenant', id), name, orgNumber: o.orgNumber ?? null, vatNumber: o.vatNumber ?? null, country: o.country, baseCurrency: currency }),
          );
          if (!created) throw invalid('--id', `a tenant '${id}' already exists`);
          const { key, record } = await createApiKey(w.deps.db, w.deps, { tenantId: asId('tenant', id), name: 'admin (created with the tenant)', role: 'admin' });
          if (ctx.json()) ctx.out(JSON.stringify({ id, name, base_currency: currency, api_key: key, api_key_id: record.id }));
          else {
            ctx.out(`Created tenant ${id} (${name}, books in ${currency})`);
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
