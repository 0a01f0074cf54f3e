/** Mail configuration from the environment (beside config.ts): where the outbox worker sends e-mail. */
import { join } from 'node:path';
import type { MailerConfig } from '../integrations/email/mailer.js';

export interface MailConfig extends MailerConfig {
  /** Outbox poll interval in milliseconds (Q2C_OUTBOX_POLL_MS, default 2000). */
  pollIntervalMs: number;
  /** Where customers reach this server (PUBLIC_URL), for portal links in e-mails. */
  publicUrl: string;
}

const MAX_POLL_MS = 60 * 60 * 1000;

export function loadMailConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): MailConfig {
  const smtpUrl = env.SMTP_URL && env.SMTP_URL.trim() !== '' ? env.SMTP_URL.trim() : undefined;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) throw new Error(`SMTP_URL must start with smtp:// or smtps://, got '${smtpUrl.slice(0, 20)}…'`);
  const fromAddress = env.MAIL_FROM && env.MAIL_FROM.trim() !== '' ? env.MAIL_FROM.trim() : 'q2c@localhost';
  const pollIntervalMs = Number(env.Q2C_OUTBOX_POLL_MS ?? '2000');
  if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 100 || pollIntervalMs > MAX_POLL_MS) {
    throw new Error(`Q2C_OUTBOX_POLL_MS must be an integer from 100 to ${MAX_POLL_MS}, got '${env.Q2C_OUTBOX_POLL_MS}'`);
  }
  const publicUrl = env.PUBLIC_URL && env.PUBLIC_URL.trim() !== '' ? env.PUBLIC_URL.trim() : `http://localhost:${env.PORT ?? '3000'}`;
  if (!/^https?:\/\//.test(publicUrl)) throw new Error(`PUBLIC_URL must start with http:// or https://, got '${publicUrl.slice(0, 40)}'`);
  return { smtpUrl, fromAddress, emlDir: join(dataDir, 'outbox-mail'), pollIntervalMs, publicUrl };
}
