import { z } from 'zod';
import { quoteDocumentData } from '../../app/quotes/quote-document.js';
import type { AppDeps } from '../../app/shared/env.js';
import { languageFor, toQuoteDocument } from '../../integrations/pdf/quote-mapping.js';
import { renderQuotePdf } from '../../integrations/pdf/quote-pdf.js';
import { read } from '../command.js';
import { type Api, errorResponses, IdParams, pathId } from '../http.js';

const PdfQuery = z.strictObject({
  lang: z.enum(['sv', 'en']).optional().describe("Document language; defaults to the customer's (Swedish for Swedish customers)"),
});

export function quotePdfRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/quotes/:id/pdf',
    {
      schema: {
        tags: ['quotes'],
        summary: 'The quote version as a PDF document (Swedish or English)',
        params: IdParams,
        querystring: PdfQuery,
        produces: ['application/pdf'],
        response: { 200: z.any().describe('application/pdf'), ...errorResponses },
      },
    },
    async (req, reply) => {
      const id = pathId('quote', req.params.id, 'quote');
      const data = await read(req, deps, (s) => quoteDocumentData(s, id));
      const language = req.query.lang ?? languageFor(data.buyer.country);
      const pdf = await renderQuotePdf(toQuoteDocument(data, language));
      const name = `${data.quote.number}-v${data.quote.version}.pdf`;
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${name}"`)
        .send(pdf);
    },
  );
}
