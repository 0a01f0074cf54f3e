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
