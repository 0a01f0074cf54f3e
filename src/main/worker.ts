/**
 * The outbox worker: polls the outbox and delivers due events (app/outbox/dispatch.ts). One run at a
 * time per process; a full batch is followed at once by the next, otherwise it waits for the interval.
 * Several processes may run it against one PostgreSQL database (claims skip each other's rows).
 */
import type { Kysely } from 'kysely';
import { dispatchOutbox, type OutboxDispatchDeps, type OutboxLog } from '../app/outbox/dispatch.js';
import type { AppDeps } from '../app/shared/env.js';
import { outboxDispatchDb } from '../db/repositories/outbox-dispatch.js';
import type { DB } from '../db/schema.js';
import { createMailer } from '../integrations/email/mailer.js';
import { quoteSentEmailHandler } from '../integrations/email/quote-email.js';
import { quoteChangesRequestedEmailHandler } from '../integrations/email/quote-changes-email.js';
import { orderEmailHandlers } from '../integrations/email/order-email.js';
import { deliveryEmailHandlers } from '../integrations/email/delivery-email.js';
import { invoiceEmailHandlers } from '../integrations/email/invoice-email.js';
import { reminderSentEmailHandler } from '../integrations/email/reminder-email.js';
import { passwordResetEmailHandler } from '../integrations/email/password-reset-email.js';
import type { EInvoiceTransmitter } from '../app/invoicing/transmission.js';
import type { MailConfig } from './mail-config.js';
import { deliverWebhooks, fanOutWebhooks, type WebhookDeliveryDeps } from '../app/webhooks/dispatch.js';
import { webhookDispatchStore } from '../db/repositories/webhooks.js';
import { httpWebhookSender } from '../integrations/webhooks/http-sender.js';
import { signWebhook } from '../integrations/webhooks/signature.js';

export const OUTBOX_BATCH_SIZE = 50;
export const WEBHOOK_BATCH_SIZE = 50;

/** What the webhook delivery loop needs: the cross-tenant store, an HTTP sender and the signer. */
export function webhookDeliveryDeps(deps: { kysely: Kysely<DB>; app: AppDeps }, log?: OutboxLog): WebhookDeliveryDeps {
  return {
    store: webhookDispatchStore(deps.kysely),
    sender: httpWebhookSender(),
    clock: deps.app.clock,
    sign: signWebhook,
    ...(log ? { log } : {}),
  };
}

export interface OutboxWorker {
  stop(): Promise<void>;
}

/** The dispatcher's dependencies with every handler this build has. */
export function outboxDispatchDeps(
  deps: { kysely: Kysely<DB>; app: AppDeps; transmitter?: EInvoiceTransmitter | undefined },
  mailer: ReturnType<typeof createMailer>,
  log?: OutboxLog,
  /** Where customers reach the portal; without it e-mails carry no portal link. */
  publicUrl?: string,
): OutboxDispatchDeps {
  return {
    ...outboxDispatchDb(deps.kysely),
    clock: deps.app.clock,
    handlers: [
      quoteSentEmailHandler({
        db: deps.app.db,
        mailer,
        ...(publicUrl ? { portal: { app: deps.app, publicUrl } } : {}),
        ...(log ? { log } : {}),
      }),
      quoteChangesRequestedEmailHandler({ db: deps.app.db, mailer, ...(log ? { log } : {}) }),
      ...orderEmailHandlers({
        db: deps.app.db,
        mailer,
        ...(publicUrl ? { portal: { app: deps.app, publicUrl } } : {}),
        ...(log ? { log } : {}),
      }),
      ...deliveryEmailHandlers({
        app: deps.app,
        mailer,
        ...(publicUrl ? { publicUrl } : {}),
        ...(log ? { log } : {}),
      }),
      ...invoiceEmailHandlers({
        app: deps.app,
        mailer,
        ...(deps.transmitter ? { transmitter: deps.transmitter } : {}),
        ...(log ? { log } : {}),
      }),
      reminderSentEmailHandler({ app: deps.app, mailer, ...(log ? { log } : {}) }),
      // without a PUBLIC_URL (tests that need no links) the reset link points at localhost, as loadMailConfig's default does
      passwordResetEmailHandler({ app: deps.app, mailer, publicUrl: publicUrl ?? 'http://localhost:3000', ...(log ? { log } : {}) }),
    ],
    fanOut: async (event) => {
      await fanOutWebhooks(webhookDispatchStore(deps.kysely), deps.app.clock, event);
    },
    ...(log ? { log } : {}),
  };
}

/**
 * `deps.transmitter`: where sent e-invoices go; when the key is absent it comes from the environment
 * (Q2C_PEPPOL_DROP_DIR, as wire() reads it), so a caller that does not pass it still honours the setting.
 */
export function startOutboxWorker(
  deps: { kysely: Kysely<DB>; app: AppDeps; transmitter?: EInvoiceTransmitter | undefined },
  config: Pick<MailConfig, 'smtpUrl' | 'fromAddress' | 'emlDir' | 'pollIntervalMs'> & { publicUrl?: string },
  log: OutboxLog,
): OutboxWorker {
  const mailer = createMailer({ smtpUrl: config.smtpUrl, fromAddress: config.fromAddress, emlDir: config.emlDir });
  const transmitter = deps.transmitter;
  const dispatch = outboxDispatchDeps({ ...deps, transmitter }, mailer, log, config.publicUrl);
  const webhooks = webhookDeliveryDeps(deps, log);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick();
    }, ms);
  };
  const tick = async () => {
    let again = false;
    try {
      const { published, failed } = await dispatchOutbox(dispatch, OUTBOX_BATCH_SIZE);
      if (published + failed > 0) log.info({ published, failed }, 'outbox dispatched');
      again = published + failed === OUTBOX_BATCH_SIZE;
    } catch (error) {
      // e.g. the database is unreachable: log and try again at the next tick
      log.error({ err: error }, 'outbox dispatch failed');
    }
    try {
      const { delivered, failed } = await deliverWebhooks(webhooks, WEBHOOK_BATCH_SIZE);
      if (delivered + failed > 0) log.info({ delivered, failed }, 'webhooks delivered');
      again ||= delivered + failed === WEBHOOK_BATCH_SIZE;
    } catch (error) {
      log.error({ err: error }, 'webhook delivery failed');
    }
    schedule(again ? 0 : config.pollIntervalMs);
  };

  log.info(
    { via: config.smtpUrl ? 'smtp' : 'eml', emlDir: config.smtpUrl ? undefined : config.emlDir, einvoiceTransmitter: transmitter !== undefined },
    'outbox worker started',
  );
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      mailer.close();
    },
  };
}
