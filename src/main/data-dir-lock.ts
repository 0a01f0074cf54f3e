/**
 * The embedded database (PGlite) is one process's: two processes opening the same data directory
 * would each write their own view and corrupt it. The first q2c process takes a lock file holding its
 * pid; a second one (say `q2c api-keys create` while `npm start` runs) is refused with a clear
 * message. A lock left by a process that no longer runs is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'q2c.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dir: string): () => void {
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(
          `the embedded database in ${dir} is in use by another q2c process (pid ${pid}); ` +
            'stop it first (the embedded database serves one process), or set DATABASE_URL to use PostgreSQL',
          { cause: error },
        );
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new Error(`could not lock the embedded database in ${dir}`);
}
