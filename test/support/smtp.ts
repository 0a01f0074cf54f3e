/** E-mail in tests: a real SMTP server in the test process, and reading the MIME messages it received. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { createMailer, type Mailer } from '../../src/integrations/email/mailer.js';

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

export interface TestSmtpServer {
  port: number;
  /** Every message accepted, in order (tests may empty it). */
  messages: ReceivedMail[];
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 (random port) that keeps every message it accepts in `messages`. */
export async function startSmtp(messages: ReceivedMail[] = []): Promise<TestSmtpServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * For a test file: an SMTP server (started in beforeAll, closed in afterAll) and a mailer that sends
 * to it from `fromAddress`. `smtp.messages` is what the server received.
 */
export function useSmtpMailer(fromAddress: string): { smtp: { messages: ReceivedMail[] }; mailer: Mailer } {
  const messages: ReceivedMail[] = [];
  let server: TestSmtpServer | undefined;
  let real: Mailer | undefined;
  beforeAll(async () => {
    server = await startSmtp(messages);
    real = createMailer({ smtpUrl: `smtp://127.0.0.1:${server.port}`, fromAddress, emlDir: '/nonexistent' });
  });
  afterAll(async () => {
    real?.close();
    await server?.close();
  });
  const mailer: Mailer = {
    send: (message) => {
      if (real === undefined) throw new Error('the test mailer is used before beforeAll started it');
      return real.send(message);
    },
    close: () => real?.close(),
  };
  return { smtp: { messages }, mailer };
}

/** The decoded body (base64 or quoted-printable) of the MIME part with this content type. */
export function mimePart(raw: string, contentType: string): { headers: string; content: Buffer } {
  const parts = raw.split(/\r?\n--/);
  const p = parts.find((x) => new RegExp(`^Content-Type: ${contentType}`, 'mi').test(x));
  if (!p) throw new Error(`no ${contentType} part`);
  const split = p.search(/\r?\n\r?\n/);
  const headers = p.slice(0, split);
  const body = p.slice(split).trim();
  if (/Content-Transfer-Encoding: base64/i.test(headers)) return { headers, content: Buffer.from(body.replace(/\s+/g, ''), 'base64') };
  // quoted-printable
  const qp = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return { headers, content: Buffer.from(qp, 'latin1') };
}
