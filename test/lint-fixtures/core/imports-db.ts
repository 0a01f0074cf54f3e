// Deliberately wrong: core must not import the database adapter.
import { openDb } from '../../../src/db/connection.js';

export const wrong = openDb;
