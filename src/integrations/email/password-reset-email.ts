/**
 * The password reset and invitation e-mail: `user.password_reset_requested` (an internal event) → a
 * link `<PUBLIC_URL>/reset-password#token=…`. The token is never in the outbox: the handler recomputes
 * it from the reset id and the pepper. The token sits in the fragment, so it is not sent to the server
 * when the page loads nor kept in its access log. A reset that was used or has expired by the time the
 * worker gets to it is not mailed.
 */
import type { OutboxEventRow, OutboxHandler, OutboxLog } from '../../app/outbox/dispatch.js';
import { PASSWORD_RESET_REQUESTED } from '../../app/outbox/internal-events.js';
import { passwordResetToken, type PasswordResetEventPayload } from '../../app/platform/password-reset.js';
import type { AppDeps } from '../../app/shared/env.js';
import type { Mailer } from './mailer.js';
import { publicPortalUrl, sendEmail, unexpectedPayload } from './outbox-mail.js';

export interface PasswordResetEmailDeps {
  app: AppDeps;
  mailer: Mailer;
  /** Where users reach the web app (PUBLIC_URL). */
  publicUrl: string;
  log?: OutboxLog;
}

function payloadOf(event: OutboxEventRow): PasswordResetEventPayload {
  const p = event.payload as Partial<PasswordResetEventPayload> | null;
  if (typeof p?.reset_id !== 'string' || typeof p.email !== 'string' || (p.purpose !== 'reset' && p.purpose !== 'invitation') || typeof p.user_id !== 'string') {
    throw unexpectedPayload(PASSWORD_RESET_REQUESTED, event.payload);
  }
  return { reset_id: p.reset_id, user_id: p.user_id, email: p.email, purpose: p.purpose };
}

export function passwordResetEmailContent(input: { purpose: 'reset' | 'invitation'; link: string; companyName: string; validFor: string }): { subject: string; text: string } {
  if (input.purpose === 'invitation') {
    return {
      subject: `You are invited to q2c (${input.companyName})`,
      text: [
        'Hello,',
        '',
        `You have been given an account in q2c for ${input.companyName}. Choose your password here:`,
        input.link,
        '',
        `The link works once and for ${input.validFor}.`,
      ].join('\n'),
    };
  }
  return {
    subject: 'Reset your q2c password',
    text: [
      'Hello,',
      '',
      `Someone (hopefully you) asked to reset your q2c password for ${input.companyName}. Choose a new password here:`,
      input.link,
      '',
      `The link works once and for ${input.validFor}. If you did not ask for it, ignore this e-mail: your password stays as it is.`,
    ].join('\n'),
  };
}

export function passwordResetEmailHandler(deps: PasswordResetEmailDeps): OutboxHandler {
  return {
    eventType: PASSWORD_RESET_REQUESTED,
    async handle(event: OutboxEventRow) {
      const p = payloadOf(event);
      const context = { eventId: event.id, tenantId: event.tenantId, userId: p.user_id, resetId: p.reset_id };
      const reset = await deps.app.db.platform.findPasswordReset(p.reset_id);
      const now = deps.app.clock.now();
      if (!reset || reset.tenantId !== event.tenantId || reset.usedAt !== null || reset.expiresAt.getTime() <= now.getTime()) {
        deps.log?.info(context, 'password reset e-mail not sent: the link was used or has expired');
        return;
      }
      const tenant = await deps.app.db.transaction(event.tenantId, (s) => s.tenant.get());
      const link = publicPortalUrl(deps.publicUrl, `/reset-password#token=${passwordResetToken(deps.app.secrets.pepper, p.reset_id)}`);
      const minutes = Math.round((reset.expiresAt.getTime() - reset.createdAt.getTime()) / 60_000);
      const validFor = minutes >= 120 ? `${Math.round(minutes / 60)} hours` : `${minutes} minutes`;
      const sent = await sendEmail(deps.mailer, p.email, passwordResetEmailContent({ purpose: p.purpose, link, companyName: tenant?.name ?? event.tenantId, validFor }));
      // the link is a credential: logged without it
      deps.log?.info({ ...context, messageId: sent.messageId, via: sent.via }, `${p.purpose === 'invitation' ? 'invitation' : 'password reset'} e-mail sent`);
    },
  };
}
