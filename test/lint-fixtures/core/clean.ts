// Allowed: core importing core.
import { DomainError } from '../../../src/core/shared/errors.js';

export const ok = DomainError;
