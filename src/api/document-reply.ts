/**
 * Replies with a rendered invoice or credit note: the PDF inline, the Peppol UBL as an attachment.
 */
import type { FastifyReply } from 'fastify';

/** The PDF inline, named by the document's number, or `<draftPrefix>-draft-<id>.pdf` while it has none. */
export function sendDocumentPdf(
  reply: FastifyReply,
  doc: { id: string; status: string; number: string | null },
  draftPrefix: string,
  pdf: Buffer | Uint8Array,
): FastifyReply {
  const filename = doc.status === 'draft' || doc.number === null ? `${draftPrefix}-draft-${doc.id}.pdf` : `${doc.number}.pdf`;
  return reply.type('application/pdf').header('content-disposition', `inline; filename="${filename}"`).send(pdf);
}

/** The UBL XML as an attachment named `<number>.xml`. */
export function sendUblXml(reply: FastifyReply, xml: { number: string; text: string }): FastifyReply {
  return reply
    .type('application/xml; charset=utf-8')
    .header('content-disposition', `attachment; filename="${xml.number}.xml"`)
    .send(xml.text);
}
