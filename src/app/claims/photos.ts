/**
 * Photos of a claim, uploaded by the customer in the portal: PNG or JPEG, at most 5 MiB, checked by
 * the file's signature (as the company logo is), not by the declared type alone.
 */
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { ClaimPhotoRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { loadClaim, type ClaimId } from './shared.js';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
/** At most this many photos per claim. */
export const MAX_PHOTOS_PER_CLAIM = 10;
export const PHOTO_TYPES = ['image/png', 'image/jpeg'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes and checks a photo: base64, 1 byte to 5 MiB, and a signature matching the declared type. */
export function decodePhoto(contentType: string, dataBase64: string): { contentType: PhotoType; bytes: Buffer } {
  if (!(PHOTO_TYPES as readonly string[]).includes(contentType)) {
    throw invalid('content_type', `content_type must be one of ${PHOTO_TYPES.join(', ')}`);
  }
  const text = dataBase64.replace(/\s+/g, '');
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) throw invalid('data_base64', 'data_base64 must be base64');
  // Judge the size before decoding: 4 characters carry 3 bytes.
  if ((text.length / 4) * 3 - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0) > MAX_PHOTO_BYTES) {
    throw invalid('data_base64', `The photo must be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MiB`);
  }
  const bytes = Buffer.from(text, 'base64');
  const type = contentType as PhotoType;
  const matches = type === 'image/png' ? bytes.subarray(0, 8).equals(PNG) : bytes.subarray(0, 3).equals(JPEG);
  if (!matches) throw invalid('data_base64', `The photo is not a ${type === 'image/png' ? 'PNG' : 'JPEG'} image`);
  return { contentType: type, bytes };
}

/** Adds a photo to a claim of the given delivery (the customer's link names the delivery). */
export async function addClaimPhoto(
  s: Store,
  env: Env,
  claimId: ClaimId,
  deliveryId: string,
  input: { contentType: string; dataBase64: string },
): Promise<Omit<ClaimPhotoRecord, 'bytes'> & { size: number }> {
  const claim = await loadClaim(s, claimId, true);
  if (claim.deliveryId !== deliveryId) throw notFound('claim', claimId);
  if (claim.status !== 'open') throw new DomainError('claim_not_open', `Claim ${claim.number} is ${claim.status}; photos can only be added to an open claim`);
  const photo = decodePhoto(input.contentType, input.dataBase64);
  if ((await s.claims.listPhotos(claimId)).length >= MAX_PHOTOS_PER_CLAIM) {
    throw new DomainError('unprocessable', `A claim can have at most ${MAX_PHOTOS_PER_CLAIM} photos`);
  }
  const rec: ClaimPhotoRecord = { id: env.ids.next('claimPhoto'), claimId, contentType: photo.contentType, bytes: photo.bytes, createdAt: env.clock.now() };
  await s.claims.insertPhoto(rec);
  await recordChange(s, env, {
    action: 'claim.photo_added',
    entityType: 'claim',
    entityId: claimId,
    data: { photoId: rec.id, contentType: rec.contentType, bytes: rec.bytes.length },
  });
  return { id: rec.id, claimId, contentType: rec.contentType, createdAt: rec.createdAt, size: rec.bytes.length };
}
