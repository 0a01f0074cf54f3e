/**
 * Outgoing e-mail through nodemailer: over SMTP when an SMTP URL is configured, otherwise written
 * as .eml files (RFC 5322, open them in any mail program) into a directory, so a fresh install
 * without a mail server loses nothing and shows what would have been sent.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments: MailAttachment[];
}

export interface SentMail {
  messageId: string;
  via: 'smtp' | 'eml';
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
  close(): void;
}

export interface MailerConfig {
  /** smtp://user:pass@host:port or smtps://…; unset = .eml files in emlDir. */
  smtpUrl?: string | undefined;
  fromAddress: string;
  emlDir: string;
}

/** Limits on what is sent (SMTP servers commonly refuse messages over 10–25 MB). */
const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const MAX_SUBJECT_LENGTH = 250;
/** Socket timeouts so a stuck SMTP server cannot hold the worker forever. */
const SMTP_TIMEOUT_MS = 30_000;

function check(message: MailMessage): void {
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(message.to)) throw new Error(`not an e-mail address: '${message.to.slice(0, 100)}'`);
  if (message.subject.length === 0 || message.subject.length > MAX_SUBJECT_LENGTH || /[\r\n]/.test(message.subject)) {
    throw new Error('the subject must be one line of 1 to 250 characters');
  }
  const bytes = message.attachments.reduce((n, a) => n + a.content.length, 0);
  if (bytes > MAX_ATTACHMENT_BYTES) throw new Error(`attachments of ${bytes} bytes exceed the limit of ${MAX_ATTACHMENT_BYTES}`);
}

const toNodemailer = (from: string, m: MailMessage) => ({
  from,
  to: m.to,
  subject: m.subject,
  text: m.text,
  ...(m.html === undefined ? {} : { html: m.html }),
  attachments: m.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
});

/** A file name from a Message-ID: "<abc@host>" → "abc_host". */
const safeName = (messageId: string): string => messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);

export function createMailer(config: MailerConfig): Mailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport({
      url: config.smtpUrl,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    });
    return {
      async send(message) {
        check(message);
        const info = await transport.sendMail(toNodemailer(config.fromAddress, message));
        const rejected = (info.rejected ?? []).map(String);
        if (rejected.length > 0) throw new Error(`the SMTP server rejected ${rejected.join(', ')}`);
        return { messageId: String(info.messageId), via: 'smtp' };
      },
      close: () => transport.close(),
    };
  }

  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  return {
    async send(message) {
      check(message);
      const info = await transport.sendMail(toNodemailer(config.fromAddress, message));
      if (!Buffer.isBuffer(info.message)) throw new Error('expected the message as a buffer');
      await mkdir(config.emlDir, { recursive: true });
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      // flag 'wx': never overwrite an earlier message
      await writeFile(join(config.emlDir, `${stamp}-${safeName(info.messageId)}.eml`), info.message, { flag: 'wx' });
      return { messageId: info.messageId, via: 'eml' };
    },
    close: () => transport.close(),
  };
}
