// Deliberately wrong: core must not import the application layer.
import type { Store } from '../../../src/app/ports.js';

export type Wrong = Store;
