import { localDateInZone } from '../../core/shared/dates.js';
import type { Clock } from '../ports.js';

export const BUSINESS_TIME_ZONE = 'Europe/Stockholm';

export const systemClock = (timeZone = BUSINESS_TIME_ZONE): Clock => ({
  now: () => new Date(),
  today: () => localDateInZone(new Date(), timeZone),
});

/** A clock pinned to one instant (tests, demo replays). */
export const fixedClock = (instant: Date, timeZone = BUSINESS_TIME_ZONE): Clock => ({
  now: () => new Date(instant.getTime()),
  today: () => localDateInZone(instant, timeZone),
});

/** A clock tests can move: `set` or `advance` it between requests (session expiry, TOTP steps, reset links). */
export interface SettableClock extends Clock {
  set(instant: Date): void;
  advance(ms: number): void;
}

export const settableClock = (start: Date, timeZone = BUSINESS_TIME_ZONE): SettableClock => {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    today: () => localDateInZone(new Date(at), timeZone),
    set: (instant) => {
      at = instant.getTime();
    },
    advance: (ms) => {
      at += ms;
    },
  };
};
