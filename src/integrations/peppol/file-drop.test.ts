import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asId } from '../../core/shared/ids.js';
import type { EInvoiceToSend } from '../../app/invoicing/transmission.js';
import { FileDropTransmitter } from './file-drop.js';

const root = mkdtempSync(join(tmpdir(), 'q2c-file-drop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const doc = (number: string, xml: string): EInvoiceToSend => ({
  invoiceId: asId('invoice', 'inv_1'),
  number,
  xml,
  receiver: { scheme: '0007', id: '5560360793' },
});

describe('FileDropTransmitter', () => {
  it('writes <dir>/<number>.xml, creating the folder, and returns the path as the transmission id', async () => {
    const dir = join(root, 'out', 'peppol');
    const t = new FileDropTransmitter(dir);
    const res = await t.send(doc('INV-1001', '<Invoice>å</Invoice>'));
    expect(res.transmissionId).toBe(join(dir, 'INV-1001.xml'));
    expect(readFileSync(res.transmissionId, 'utf8')).toBe('<Invoice>å</Invoice>');
    expect(readdirSync(dir)).toEqual(['INV-1001.xml']); // no temporary file left behind
  });

  it('replaces the file on a resend, atomically, and keeps other invoices', async () => {
    const dir = join(root, 'resend');
    const t = new FileDropTransmitter(dir);
    await t.send(doc('INV-1', '<a/>'));
    await t.send(doc('INV-2', '<b/>'));
    const again = await t.send(doc('INV-1', '<a2/>'));
    expect(readFileSync(again.transmissionId, 'utf8')).toBe('<a2/>');
    expect(readdirSync(dir).sort()).toEqual(['INV-1.xml', 'INV-2.xml']);
  });

  it('refuses a number that is not a plain file name', async () => {
    const t = new FileDropTransmitter(join(root, 'safe'));
    await expect(t.send(doc('../escape', '<x/>'))).rejects.toThrow(/cannot be used as a file name/);
    await expect(t.send(doc('a/b', '<x/>'))).rejects.toThrow(/cannot be used as a file name/);
    await expect(t.send(doc('', '<x/>'))).rejects.toThrow(/cannot be used as a file name/);
  });
});
