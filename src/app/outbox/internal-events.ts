/**
 * Outbox events that exist only to make the worker do something (send a password reset e-mail). They
 * are not part of the public event stream: GET /v1/events does not list them and webhooks never
 * receive them, whatever an endpoint subscribes to ('*' included).
 */
export const PASSWORD_RESET_REQUESTED = 'user.password_reset_requested';

export const INTERNAL_EVENT_TYPES: readonly string[] = [PASSWORD_RESET_REQUESTED];

export const isInternalEventType = (type: string): boolean => INTERNAL_EVENT_TYPES.includes(type);
