/** What the outbox e-mail handlers (quotes, orders, deliveries, claims) share. */
import { envFor, type AppDeps, type Env } from '../../app/shared/env.js';
import type { TenantId } from '../../core/shared/ids.js';
import type { MailAttachment, Mailer, SentMail } from './mailer.js';

/** Who the e-mail handlers act as (for portal links they make). */
export const mailerEnv = (app: AppDeps, tenantId: TenantId): Env => envFor(app, { tenantId, actorId: 'system:mailer' });

/** The full URL of a portal path under the worker's PUBLIC_URL (with or without a trailing slash). */
export const publicPortalUrl = (publicUrl: string, path: string): string => `${publicUrl.replace(/\/+$/, '')}${path}`;

/** The seller's name and, when it has one, e-mail address: the lines that end each e-mail. */
export const signature = (seller: { name: string; email: string | null }): string[] => [seller.name, ...(seller.email ? [seller.email] : [])];

export const pdfAttachment = (filename: string, content: Buffer): MailAttachment => ({ filename, content, contentType: 'application/pdf' });

/** Sends a plain-text e-mail with its attachments (none by default). */
export const sendEmail = (mailer: Mailer, to: string, content: { subject: string; text: string }, attachments: MailAttachment[] = []): Promise<SentMail> =>
  mailer.send({ to, subject: content.subject, text: content.text, attachments });

export const unexpectedPayload = (type: string, payload: unknown): Error =>
  new Error(`${type}: unexpected payload ${JSON.stringify(payload)?.slice(0, 200)}`);

/** The payload of a quote or order event: the document's id, number and version, and a comment if it has one. */
export function documentEventPayload(type: string, payload: unknown): { id: string; number: string; version: number; comment?: string } {
  if (typeof payload === 'object' && payload !== null) {
    const p = payload as Record<string, unknown>;
    if (typeof p.id === 'string' && typeof p.number === 'string' && typeof p.version === 'number') {
      return { id: p.id, number: p.number, version: p.version, ...(typeof p.comment === 'string' ? { comment: p.comment } : {}) };
    }
  }
  throw unexpectedPayload(type, payload);
}
