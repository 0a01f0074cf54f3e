/**
 * An e-invoice transmitter that drops each document into a folder as `<number>.xml`, for an access
 * point (or an operator) that picks files up from there. The file appears atomically: it is written
 * to a temporary name in the same folder, flushed, and renamed, so a reader never sees half a file.
 * Sending the same invoice number again replaces the file (the document of an issued invoice does
 * not change). The transmission id is the file's path.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { EInvoiceToSend, EInvoiceTransmitter } from '../../app/invoicing/transmission.js';

/** Invoice numbers become file names: letters, digits, '-', '_' and '.' only, never a path. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export class FileDropTransmitter implements EInvoiceTransmitter {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async send(doc: EInvoiceToSend): Promise<{ transmissionId: string }> {
    if (!SAFE_NAME.test(doc.number) || doc.number.includes('..')) {
      throw new Error(`file-drop: invoice number '${doc.number}' cannot be used as a file name`);
    }
    await mkdir(this.dir, { recursive: true });
    const target = join(this.dir, `${doc.number}.xml`);
    const temp = join(this.dir, `.${doc.number}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const fh = await open(temp, 'wx');
      try {
        await fh.writeFile(doc.xml, 'utf8');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, target);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    return { transmissionId: target };
  }
}
