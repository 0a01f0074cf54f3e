/**
 * Users, sessions and password resets of one tenant (inside its transactions), and the cross-tenant
 * look-ups that come before a tenant is known (login by e-mail, a session cookie, a reset token),
 * which the platform repository exposes.
 */
import type { Selectable } from 'kysely';
import type { PasswordResetRecord, PasswordResetRepo, SessionRecord, SessionRepo, UserRecord, UserRepo } from '../../app/ports.js';
import { DomainError } from '../../core/shared/errors.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { PasswordResetsTable, SessionsTable, UsersTable } from '../schema.js';
import { guardInsert, type Executor } from './shared.js';

export function userFromRow(r: Selectable<UsersTable>): UserRecord {
  return {
    tenantId: asId('tenant', r.tenant_id),
    id: asId('user', r.id),
    email: r.email,
    name: r.name,
    role: r.role,
    passwordHash: r.password_hash,
    platformAdmin: r.platform_admin,
    active: r.active,
    totpSecretEnc: r.totp_secret_enc,
    totpEnabledAt: r.totp_enabled_at,
    totpLastStep: r.totp_last_step,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    passwordChangedAt: r.password_changed_at,
  };
}

export function sessionFromRow(r: Selectable<SessionsTable>): SessionRecord {
  return {
    tenantId: asId('tenant', r.tenant_id),
    id: asId('session', r.id),
    userId: asId('user', r.user_id),
    tokenHash: r.token_hash,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

export function passwordResetFromRow(r: Selectable<PasswordResetsTable>): PasswordResetRecord {
  return {
    tenantId: asId('tenant', r.tenant_id),
    id: asId('passwordReset', r.id),
    userId: asId('user', r.user_id),
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
  };
}

export function userRepo(db: Executor, tenantId: TenantId): UserRepo {
  const byId = (id: string) => db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
  return {
    async insert(u) {
      try {
        await guardInsert(`user ${u.id}`, () =>
          db
            .insertInto('users')
            .values({
              tenant_id: tenantId, id: u.id, email: u.email, name: u.name, role: u.role, password_hash: u.passwordHash,
              platform_admin: u.platformAdmin, active: u.active, totp_secret_enc: u.totpSecretEnc, totp_enabled_at: u.totpEnabledAt,
              totp_last_step: u.totpLastStep, created_at: u.createdAt, updated_at: u.updatedAt, password_changed_at: u.passwordChangedAt,
            })
            .execute(),
        );
      } catch (error) {
        if (error instanceof DomainError && error.code === 'conflict' && error.message.includes('users_tenant_id_email_key')) {
          throw new DomainError('conflict', 'A user with this e-mail address already exists', 'email');
        }
        throw error;
      }
    },
    async get(id) {
      const r = await byId(id).executeTakeFirst();
      return r && userFromRow(r);
    },
    async getForUpdate(id) {
      const r = await byId(id).forUpdate().executeTakeFirst();
      return r && userFromRow(r);
    },
    async list() {
      const rows = await db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('id').execute();
      return rows.map(userFromRow);
    },
    async lockActiveAdmins() {
      const rows = await db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('role', '=', 'admin')
        .where('active', '=', true)
        .orderBy('id')
        .forUpdate()
        .execute();
      return rows.map((r) => asId('user', r.id));
    },
    async update(id, patch, at) {
      await db
        .updateTable('users')
        .set({
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          updated_at: at,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    async setPassword(id, passwordHash, at) {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, password_changed_at: at, updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    async setTotp(id, secretEnc, enabledAt, at) {
      await db
        .updateTable('users')
        .set({ totp_secret_enc: secretEnc, totp_enabled_at: enabledAt, ...(secretEnc === null ? { totp_last_step: null } : {}), updated_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    async useTotpStep(id, step) {
      // one UPDATE decides, so two requests racing with the same code cannot both pass
      const r = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}

export function sessionRepo(db: Executor, tenantId: TenantId): SessionRepo {
  return {
    async insert(s) {
      await guardInsert(`session ${s.id}`, () =>
        db
          .insertInto('sessions')
          .values({
            tenant_id: tenantId, id: s.id, user_id: s.userId, token_hash: s.tokenHash, created_at: s.createdAt, last_seen_at: s.lastSeenAt,
            expires_at: s.expiresAt, revoked_at: s.revokedAt, ip: s.ip, user_agent: s.userAgent,
          })
          .execute(),
      );
    },
    async revoke(id, at) {
      const r = await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
    async revokeAllOf(userId, at, keep) {
      let q = db.updateTable('sessions').set({ revoked_at: at }).where('tenant_id', '=', tenantId).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (keep !== undefined) q = q.where('id', '<>', keep);
      const rows = await q.returning('id').execute();
      return rows.length;
    },
    async listOpenOf(userId) {
      const rows = await db
        .selectFrom('sessions')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .orderBy('id')
        .execute();
      return rows.map(sessionFromRow);
    },
  };
}

export function passwordResetRepo(db: Executor, tenantId: TenantId): PasswordResetRepo {
  return {
    async insert(r) {
      await guardInsert(`password reset ${r.id}`, () =>
        db
          .insertInto('password_resets')
          .values({ tenant_id: tenantId, id: r.id, user_id: r.userId, created_at: r.createdAt, expires_at: r.expiresAt, used_at: r.usedAt })
          .execute(),
      );
    },
    async markUsed(id, at) {
      const r = await db
        .updateTable('password_resets')
        .set({ used_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('used_at', 'is', null)
        .returning('id')
        .executeTakeFirst();
      return r !== undefined;
    },
  };
}

/** The cross-tenant look-ups (part of the platform repository). */
export function userPlatformLookups(db: Executor) {
  return {
    async findUsersByEmail(email: string): Promise<UserRecord[]> {
      // across tenants on purpose: the e-mail arrives before the tenant is known
      const rows = await db.selectFrom('users').selectAll().where('email', '=', email).orderBy('tenant_id').limit(50).execute();
      return rows.map(userFromRow);
    },
    async findSessionByTokenHash(tokenHash: string): Promise<{ session: SessionRecord; user: UserRecord } | undefined> {
      const session = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (!session) return undefined;
      // the user as it is now: a role change or a deactivation takes effect on the next request
      const user = await db.selectFrom('users').selectAll().where('tenant_id', '=', session.tenant_id).where('id', '=', session.user_id).executeTakeFirst();
      return user && { session: sessionFromRow(session), user: userFromRow(user) };
    },
    async touchSession(tenantId: TenantId, id: string, at: Date): Promise<void> {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('last_seen_at', '<', new Date(at.getTime() - 60_000))
        .execute();
    },
    async findPasswordReset(id: string): Promise<PasswordResetRecord | undefined> {
      const r = await db.selectFrom('password_resets').selectAll().where('id', '=', id).orderBy('tenant_id').limit(1).executeTakeFirst();
      return r && passwordResetFromRow(r);
    },
  };
}
