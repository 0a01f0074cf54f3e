/** Sends one webhook delivery: a JSON POST with a timeout; any answer is reported, a network error thrown. */
import type { WebhookSender } from '../../app/webhooks/dispatch.js';

export function httpWebhookSender(options: { timeoutMs?: number; userAgent?: string } = {}): WebhookSender {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async send(url, headers, body) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': options.userAgent ?? 'q2c-webhooks/1', ...headers },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      // the body is not needed; reading a little frees the connection
      const text = (await res.text()).slice(0, 500);
      return { status: res.status, body: text };
    },
  };
}
