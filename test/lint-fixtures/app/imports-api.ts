// Deliberately wrong: the application layer must not import the HTTP edge or the database.
import { buildServer } from '../../../src/api/server.js';
import { migrate } from '../../../src/db/migrate.js';

export const wrong = [buildServer, migrate];
