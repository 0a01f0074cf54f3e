/**
 * `q2c users create|list`: the people who sign in to a tenant. Created here (the operator) rather than
 * over the API when there is no admin yet, and the only way to flag a platform administrator. Without
 * --password-stdin a strong password is generated and printed once (only its hash is stored).
 */
import type { Command } from 'commander';
import { generatePassword } from '../app/platform/passwords.js';
import { createUserCommitted } from '../app/platform/users.js';
import { ROLES } from '../app/shared/permissions.js';
import { inTenantOf, type CliContext, type CliWired } from './context.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // one trailing newline (echo, a here-string) is not part of the password
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerUserCommands<W extends CliWired>(
  program: Command,
  ctx: CliContext<W>,
  /** Where --password-stdin reads from (process.stdin by default; tests hand in a string). */
  stdin: () => Promise<string> = readStdin,
): void {
  const inTenant = inTenantOf(ctx);
  const users = program.command('users').description("the people who sign in to a company's q2c");
  users
    .command('create')
    .description('create a user who signs in with e-mail and password (a generated password is printed once)')
    .requiredOption('--tenant <id>', 'the tenant (company) id')
    .requiredOption('--email <email>', 'the e-mail address to sign in with')
    .requiredOption('--name <name>', 'the name shown in the app and the audit log')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'viewer')
    .option('--admin', 'shorthand for --role admin')
    .option('--platform-admin', 'may also create and list tenants (platform administration)')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (o: { tenant: string; email: string; name: string; role: string; admin?: boolean; platformAdmin?: boolean; passwordStdin?: boolean }) =>
      inTenant(o.tenant, async (w, tenantId) => {
        const generated = o.passwordStdin === true ? undefined : generatePassword();
        const password = generated ?? (await stdin());
        const user = await createUserCommitted(w.deps.db, w.deps, tenantId, {
          email: o.email, name: o.name, role: o.admin === true ? 'admin' : o.role, password, platformAdmin: o.platformAdmin === true,
        });
        if (ctx.json()) {
          ctx.out(JSON.stringify({ id: user.id, tenant_id: user.tenantId, email: user.email, name: user.name, role: user.role, platform_admin: user.platformAdmin, ...(generated ? { password: generated } : {}) }));
        } else {
          ctx.out(`Created user ${user.id} (${user.email}, ${user.role}${user.platformAdmin ? ', platform admin' : ''}) in ${user.tenantId}`);
          if (generated) ctx.out(`Password (shown once): ${generated}`);
        }
      }),
    );
  users
    .command('list')
    .description("a company's users")
    .requiredOption('--tenant <id>', 'the tenant (company) id')
    .action(async (o: { tenant: string }) =>
      inTenant(o.tenant, async (w, tenantId) => {
        const list = await w.deps.db.transaction(tenantId, (s) => s.users.list());
        if (ctx.json()) {
          ctx.out(JSON.stringify(list.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, active: u.active, platform_admin: u.platformAdmin, totp_enabled: u.totpEnabledAt !== null }))));
        } else {
          for (const u of list) ctx.out(`${u.id}\t${u.email}\t${u.name}\t${u.role}\t${u.active ? 'active' : 'inactive'}${u.platformAdmin ? '\tplatform admin' : ''}${u.totpEnabledAt !== null ? '\t2fa' : ''}`);
        }
      }),
    );
}
