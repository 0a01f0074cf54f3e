/**
 * Time-ordered prefixed ids: `cus_` + 10 chars of millisecond time + 16 random chars, in lowercase
 * Crockford base32. Lists paginate by id, so ids sort in creation order; within one millisecond the
 * random part is incremented (monotonic), so order holds inside a burst too.
 */
import { randomBytes } from 'node:crypto';
import { ID_PREFIXES, type Id, type IdKind } from '../../core/shared/ids.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_CHARS = 16;

export interface IdGenerator {
  next<K extends IdKind>(kind: K): Id<K>;
}

function encodeTime(ms: number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

export function createIdGenerator(now: () => number = Date.now): IdGenerator {
  let lastMs = -1;
  let lastRandom: number[] = [];
  return {
    next<K extends IdKind>(kind: K): Id<K> {
      const ms = now();
      if (ms <= lastMs) {
        // increment the previous random part (base 32, carry to the left)
        let i = RANDOM_CHARS - 1;
        while (i >= 0 && lastRandom[i] === 31) {
          lastRandom[i] = 0;
          i--;
        }
        if (i < 0) throw new Error('id space for this millisecond exhausted');
        lastRandom[i] = (lastRandom[i] ?? 0) + 1;
      } else {
        lastMs = ms;
        const bytes = randomBytes(RANDOM_CHARS);
        // the top bit stays clear so increments have room before they overflow
        lastRandom = Array.from(bytes, (b, i) => (i === 0 ? b % 16 : b % 32));
      }
      const body = encodeTime(lastMs) + lastRandom.map((d) => ALPHABET[d]).join('');
      return `${ID_PREFIXES[kind]}_${body}` as Id<K>;
    },
  };
}
