/**
 * The customer portal for deliveries: confirm receipt or report a problem per line (issue 4).
 *
 * Staff make the link with POST /v1/deliveries/{id}/portal-links (routes/claims.ts). The customer
 * (no API key: the token in the path is the credential):
 *   GET  /portal/deliveries/{token}                              the delivery (HTML; JSON with Accept: application/json)
 *   POST /portal/deliveries/{token}/confirm                      confirm receipt (review → accepted)
 *   POST /portal/deliveries/{token}/report                       report problems: one claim per line (review → disputed)
 *   POST /portal/deliveries/{token}/claims/{claimId}/photos      a photo of a claim: JSON {content_type, data_base64}
 * The report takes JSON {lines: [{delivery_line_no, reason, quantity, description}]} or one line as
 * the HTML form posts it (application/x-www-form-urlencoded, the same fields at the top level).
 * Answers are HTML or, with Accept: application/json, JSON. A wrong or revoked token is 404, an
 * expired one 410; a report after the review window is 409 review_window_closed. A refused report form
 * is shown again with the message next to its field. `?lang=sv|en` for the language. Pages are sent
 * with no-store, no-referrer and noindex, as the quote portal's. The claim photo upload is a small
 * script served at /portal/assets/claim-photos.js (the CSP allows no inline script).
 */
import { z } from 'zod';
import { PROBLEM_REASONS, type ProblemReason } from '../../core/claims/claims.js';
import { formatDecimal4, parseQuantity } from '../../core/money/quantity.js';
import { invalid } from '../../core/shared/errors.js';
import { asId, isId } from '../../core/shared/ids.js';
import { viewPortalDelivery, type PortalDeliveryView } from '../../app/claims/delivery-portal.js';
import { addClaimPhoto, MAX_PHOTO_BYTES } from '../../app/claims/photos.js';
import { confirmReceipt, reportProblems } from '../../app/claims/review.js';
import { MAX_TEXT_LENGTH } from '../../core/claims/claims.js';
import { documentPortalPath } from '../../app/portal/document-links.js';
import { portalLinkNotFound } from '../../app/portal/resolve-portal-link.js';
import type { ClaimRecord, DocumentLinkRecord, Store } from '../../app/ports.js';
import type { AppDeps, Env } from '../../app/shared/env.js';
import { formatQuantity, unitLabel } from '../../integrations/pdf/i18n.js';
import type { DocumentLanguage } from '../../integrations/pdf/quote-document.js';
import { type Api, errorResponses } from '../http.js';
import {
  fieldErrorHtml, type FieldError, html, inDocumentLink, invalidAttrs, keepLanguage, LangQuery, noticeHtml, pageLanguage, PORTAL_HEADERS, portalPage, portalStyle,
  rawHtml, requestedLanguage, scrollTable, sendPortalFailure,
} from '../portal-pages.js';
import { type PortalDocument, portalDocumentRoute, portalFormRoute, portalScope } from '../portal-routes.js';

// ------------------------------------------------------------------ HTML

const STYLE = portalStyle({ formMargin: '1rem', inputs: 'input[type=text],select,textarea', components: false });

const T = {
  sv: {
    delivery: 'Leverans',
    from: 'Från',
    to: 'Till',
    order: 'Order',
    deliveredOn: 'Levererad',
    deadline: 'Reklamera senast',
    lines: 'Levererade rader',
    description: 'Beskrivning',
    quantity: 'Antal',
    claimed: 'Reklamerat',
    confirmTitle: 'Bekräfta mottagandet',
    confirmText: 'Allt kom fram i gott skick.',
    confirmButton: 'Bekräfta mottagandet',
    reportTitle: (d: string) => `Rapportera ett problem: ${d}`,
    reason: 'Orsak',
    reasons: { damaged: 'Skadad', missing: 'Saknas', wrong_item: 'Fel vara', not_as_described: 'Inte som beskrivet', other: 'Annat' } as Record<ProblemReason, string>,
    what: 'Beskriv problemet',
    reportButton: 'Skicka reklamation',
    claims: 'Reklamationer',
    claim: 'Reklamation',
    status: { open: 'Under behandling', resolved: 'Åtgärdad', rejected: 'Avslagen' } as Record<ClaimRecord['status'], string>,
    rejected: 'Skäl',
    photo: 'Lägg till ett foto (PNG eller JPEG, högst 5 MiB)',
    photoButton: 'Ladda upp',
    statusHeading: 'Status',
    errors: {
      reason: 'Välj en orsak.',
      quantity: 'Ange ett antal större än 0, högst det som levererats och inte redan reklamerats.',
      description: 'Beskriv problemet.',
    } as Record<string, string>,
    review: {
      awaiting_review: '',
      accepted: 'Du har bekräftat mottagandet. Tack!',
      disputed: 'Du har rapporterat problem med leveransen. Vi återkommer.',
      deemed_accepted: 'Tiden för att reklamera leveransen har gått ut.',
    } as Record<string, string>,
    closed: 'Tiden för att rapportera problem har gått ut.',
    confirmed: 'Tack! Mottagandet är bekräftat.',
    reported: (n: string) => `Tack! Vi har tagit emot din reklamation (${n}).`,
  },
  en: {
    delivery: 'Delivery',
    from: 'From',
    to: 'To',
    order: 'Order',
    deliveredOn: 'Delivered',
    deadline: 'Report problems by',
    lines: 'Delivered lines',
    description: 'Description',
    quantity: 'Quantity',
    claimed: 'Claimed',
    confirmTitle: 'Confirm receipt',
    confirmText: 'Everything arrived in good condition.',
    confirmButton: 'Confirm receipt',
    reportTitle: (d: string) => `Report a problem: ${d}`,
    reason: 'Reason',
    reasons: { damaged: 'Damaged', missing: 'Missing', wrong_item: 'Wrong item', not_as_described: 'Not as described', other: 'Other' } as Record<ProblemReason, string>,
    what: 'Describe the problem',
    reportButton: 'Send report',
    claims: 'Claims',
    claim: 'Claim',
    status: { open: 'Being handled', resolved: 'Resolved', rejected: 'Rejected' } as Record<ClaimRecord['status'], string>,
    rejected: 'Reason',
    photo: 'Add a photo (PNG or JPEG, at most 5 MiB)',
    photoButton: 'Upload',
    statusHeading: 'Status',
    errors: {
      reason: 'Choose a reason.',
      quantity: 'Give a quantity above 0 and at most what was delivered and not already claimed.',
      description: 'Describe the problem.',
    } as Record<string, string>,
    review: {
      awaiting_review: '',
      accepted: 'You have confirmed receipt. Thank you!',
      disputed: 'You have reported problems with this delivery. We will get back to you.',
      deemed_accepted: 'The time to report problems with this delivery has passed.',
    } as Record<string, string>,
    closed: 'The time to report problems has passed.',
    confirmed: 'Thank you! Receipt is confirmed.',
    reported: (n: string) => `Thank you! We have received your report (${n}).`,
  },
} as const;

/**
 * Reads the chosen file, base64-encodes it and posts it as JSON (a form cannot send a file urlencoded).
 * Served as a file (GET /portal/assets/claim-photos.js): the CSP allows no inline script.
 */
const PHOTO_SCRIPT =
  "document.querySelectorAll('form.photo').forEach(function(f){f.addEventListener('submit',function(e){e.preventDefault();" +
  "var file=f.querySelector('input[type=file]').files[0];if(!file)return;var r=new FileReader();r.onload=function(){" +
  "var data=String(r.result).split(',')[1];fetch(f.action,{method:'POST',headers:{'content-type':'application/json',accept:'application/json'}," +
  "body:JSON.stringify({content_type:file.type,data_base64:data})}).then(function(res){return res.json().then(function(b){" +
  "f.querySelector('output').textContent=res.ok?'✓':(b.error&&b.error.message)||'Error';});});};r.readAsDataURL(file);});});";

/** A refused report: the field it names (reason, quantity or description), on the line it was posted for, and what was typed. */
interface RefusedReport {
  error: FieldError;
  lineNo: number | null;
  values: { reason?: string; quantity?: string; description?: string };
}

function deliveryPage(
  token: string,
  v: PortalDeliveryView,
  lang: DocumentLanguage,
  asked: DocumentLanguage | undefined,
  message?: { text: string; error?: boolean },
  refused?: RefusedReport,
): string {
  const t = T[lang];
  const d = v.delivery;
  const base = documentPortalPath('delivery', token);
  const action = (what: string) => keepLanguage(`${base}/${what}`, asked);
  /** The refused field of this line ('reason' | 'quantity' | 'description'), if any. */
  const refusedField = (lineNo: number): string | undefined => {
    if (refused === undefined || refused.lineNo !== lineNo) return undefined;
    const field = /(?:^|\.)(reason|quantity|description)$/.exec(refused.error.param)?.[1];
    return field;
  };
  const title = `${t.delivery} ${d.number}`;
  const rows = v.lines.map(
    (l) =>
      html`<tr><td>${l.description}</td><td class="num">${formatQuantity(l.quantity, lang)} ${unitLabel(l.unit, lang)}</td><td class="num">${l.claimed.scaled > 0n ? formatQuantity(l.claimed, lang) : ''}</td></tr>`,
  );
  const reviewNote = d.reviewStatus ? t.review[d.reviewStatus] ?? '' : '';
  const notice = message
    ? noticeHtml(message)
    : reviewNote !== ''
      ? html`<p class="notice" role="status">${reviewNote}</p>`
      : !v.canReport && d.reviewStatus === 'awaiting_review'
        ? html`<p class="notice" role="status">${t.closed}</p>`
        : html``;
  const confirm = v.canConfirm
    ? html`<form method="post" action="${action('confirm')}"><h2>${t.confirmTitle}</h2><p>${t.confirmText}</p><button type="submit">${t.confirmButton}</button></form>`
    : html``;
  const reports = v.canReport
    ? v.lines
        .filter((l) => l.claimed.scaled < l.quantity.scaled)
        .map((l) => {
          const id = `l${l.lineNo}`;
          const field = refusedField(l.lineNo);
          const err = field === undefined || refused === undefined ? undefined : { ...refused.error, message: t.errors[field] ?? refused.error.message };
          const typed = field === undefined ? {} : (refused?.values ?? {});
          const options = PROBLEM_REASONS.map((r) => html`<option value="${r}"${rawHtml(typed.reason === r ? ' selected' : '')}>${t.reasons[r]}</option>`);
          const open = formatDecimal4({ scaled: l.quantity.scaled - l.claimed.scaled });
          return html`<form method="post" action="${action('report')}"><h2>${t.reportTitle(l.description)}</h2>
<input type="hidden" name="delivery_line_no" value="${l.lineNo}">
<label for="${id}-reason">${t.reason}</label><select id="${id}-reason" name="reason" required${invalidAttrs(`${id}-reason`, err, field === 'reason')}>${options}</select>${fieldErrorHtml(`${id}-reason`, err, field === 'reason')}
<label for="${id}-quantity">${t.quantity}</label><input type="text" inputmode="decimal" id="${id}-quantity" name="quantity" value="${typed.quantity ?? open}" required${invalidAttrs(`${id}-quantity`, err, field === 'quantity')}>${fieldErrorHtml(`${id}-quantity`, err, field === 'quantity')}
<label for="${id}-description">${t.what}</label><textarea id="${id}-description" name="description" rows="3" required maxlength="${MAX_TEXT_LENGTH}"${invalidAttrs(`${id}-description`, err, field === 'description')}>${typed.description ?? ''}</textarea>${fieldErrorHtml(`${id}-description`, err, field === 'description')}
<button type="submit">${t.reportButton}</button></form>`;
        })
    : [];
  const claims =
    v.claims.length === 0
      ? html``
      : html`<h2>${t.claims}</h2>${scrollTable(t.claims, html`<table><thead><tr><th scope="col">${t.claim}</th><th scope="col">${t.description}</th><th scope="col">${t.reason}</th><th scope="col" class="num">${t.quantity}</th><th scope="col">${t.statusHeading}</th></tr></thead><tbody>${v.claims.map(
          (c) => html`<tr><td>${c.number}</td><td>${c.description}</td><td>${t.reasons[c.reason]}</td><td class="num">${formatQuantity(c.quantity, lang)}</td><td>${t.status[c.status]}${
            c.rejectionReason ? html`<br>${t.rejected}: ${c.rejectionReason}` : html``
          }${
            c.status === 'open'
              ? html`<form class="photo" method="post" action="${base}/claims/${c.id}/photos"><label for="p-${c.id}">${t.photo}</label><input type="file" id="p-${c.id}" accept="image/png,image/jpeg"><button type="submit">${t.photoButton}</button> <output aria-live="polite"></output></form>`
              : html``
          }</td></tr>`,
        )}</tbody></table>`)}<script src="${PHOTO_SCRIPT_PATH}"></script>`;
  const body = html`<h1>${title}</h1>${notice}
<dl><dt>${t.from}</dt><dd>${v.seller.name}</dd><dt>${t.to}</dt><dd>${v.buyer.name}</dd><dt>${t.order}</dt><dd>${v.order.number}</dd><dt>${t.deliveredOn}</dt><dd>${d.deliveredOn ?? ''}</dd>${
    v.reviewDeadline ? html`<dt>${t.deadline}</dt><dd>${v.reviewDeadline}</dd>` : html``
  }</dl>
${scrollTable(t.lines, html`<table><caption>${t.lines}</caption><thead><tr><th scope="col">${t.description}</th><th scope="col" class="num">${t.quantity}</th><th scope="col" class="num">${t.claimed}</th></tr></thead><tbody>${rows}</tbody></table>`)}
${confirm}${reports}${claims}`;
  return portalPage(STYLE, lang, title, body, base);
}

// ------------------------------------------------------------------ JSON

const PortalClaimJson = z.object({
  id: z.string(),
  number: z.string(),
  delivery_line_no: z.number().int(),
  reason: z.enum(PROBLEM_REASONS),
  quantity: z.string(),
  description: z.string(),
  status: z.enum(['open', 'resolved', 'rejected']),
  rejection_reason: z.string().nullable(),
  photos_url: z.string().describe('POST a photo here while the claim is open'),
});

const PortalDeliveryJson = z
  .object({
    object: z.literal('portal_delivery'),
    number: z.string(),
    order_number: z.string(),
    language: z.enum(['sv', 'en']),
    seller: z.object({ name: z.string(), email: z.string().nullable() }),
    customer: z.object({ name: z.string() }),
    status: z.string(),
    review_status: z.enum(['awaiting_review', 'accepted', 'disputed', 'deemed_accepted']).nullable(),
    delivered_on: z.iso.date().nullable(),
    review_deadline: z.iso.date().nullable().describe('The last day problems can be reported'),
    can_confirm: z.boolean(),
    can_report: z.boolean(),
    lines: z.array(
      z.object({ line_no: z.number().int(), description: z.string(), quantity: z.string(), unit: z.string(), claimed: z.string() }),
    ),
    claims: z.array(PortalClaimJson),
  })
  .meta({ id: 'PortalDelivery' });

const portalClaimJson = (token: string, c: ClaimRecord): z.output<typeof PortalClaimJson> => ({
  id: c.id,
  number: c.number,
  delivery_line_no: c.deliveryLineNo,
  reason: c.reason,
  quantity: formatDecimal4(c.quantity),
  description: c.description,
  status: c.status,
  rejection_reason: c.rejectionReason,
  photos_url: `${documentPortalPath('delivery', token)}/claims/${c.id}/photos`,
});

function portalDeliveryJson(token: string, v: PortalDeliveryView, lang: DocumentLanguage): z.output<typeof PortalDeliveryJson> {
  return {
    object: 'portal_delivery',
    number: v.delivery.number,
    order_number: v.order.number,
    language: lang,
    seller: { name: v.seller.name, email: v.seller.email },
    customer: { name: v.buyer.name },
    status: v.delivery.status,
    review_status: v.delivery.reviewStatus,
    delivered_on: v.delivery.deliveredOn,
    review_deadline: v.reviewDeadline,
    can_confirm: v.canConfirm,
    can_report: v.canReport,
    lines: v.lines.map((l) => ({
      line_no: l.lineNo,
      description: l.description,
      quantity: formatDecimal4(l.quantity),
      unit: l.unit,
      claimed: formatDecimal4(l.claimed),
    })),
    claims: v.claims.map((c) => portalClaimJson(token, c)),
  };
}

// ------------------------------------------------------------------ request parsing

/** A 5 MiB photo as base64 (4/3) plus the JSON around it. */
const MAX_PHOTO_BODY_BYTES = Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4096;

const PhotoParams = z.object({ token: z.string().max(100), claimId: z.string().max(100) });

const PortalLineIn = z.object({
  delivery_line_no: z.union([z.number(), z.string().max(20)]),
  reason: z.string().max(50),
  quantity: z.union([z.number(), z.string().max(64)]),
  description: z.string().max(MAX_TEXT_LENGTH + 2000),
});

const ReportBody = z
  .object({
    lines: z.array(PortalLineIn).min(1).max(500).optional(),
    delivery_line_no: z.union([z.number(), z.string().max(20)]).optional(),
    reason: z.string().max(50).optional(),
    quantity: z.union([z.number(), z.string().max(64)]).optional(),
    description: z.string().max(MAX_TEXT_LENGTH + 2000).optional(),
  })
  .describe('JSON {lines: [...]}, or one line as the HTML form posts it (the fields at the top level)');

const PhotoBody = z.strictObject({
  content_type: z.string().max(100).describe('image/png or image/jpeg'),
  data_base64: z.string().max(MAX_PHOTO_BODY_BYTES).describe('The image, base64; at most 5 MiB decoded'),
});

type ReportLineIn = z.output<typeof PortalLineIn>;

function reportOf(body: z.output<typeof ReportBody>) {
  const lines: ReportLineIn[] =
    body.lines ??
    [{ delivery_line_no: body.delivery_line_no ?? '', reason: body.reason ?? '', quantity: body.quantity ?? '', description: body.description ?? '' }];
  return {
    lines: lines.map((l, i) => {
      const no = typeof l.delivery_line_no === 'number' ? l.delivery_line_no : /^\d{1,6}$/.test(l.delivery_line_no) ? Number(l.delivery_line_no) : NaN;
      if (!Number.isSafeInteger(no)) throw invalid(`lines.${i}.delivery_line_no`, `lines.${i}.delivery_line_no must be a line number`);
      return { deliveryLineNo: no, reason: l.reason, quantity: parseQuantity(l.quantity, `lines.${i}.quantity`), description: l.description };
    }),
  };
}

// ------------------------------------------------------------------ running portal requests

/** Runs `fn` in the token's tenant, as the link; wrong or revoked token → 404, expired → 410. */
const inDeliveryPortal = <T>(deps: AppDeps, token: string, fn: (s: Store, env: Env, link: DocumentLinkRecord) => Promise<T>): Promise<T> =>
  inDocumentLink(deps, 'delivery', token, fn);

/** Where the photo script is served (a file: the CSP allows no inline script). */
const PHOTO_SCRIPT_PATH = '/portal/assets/claim-photos.js';
const deliveryIdOf = (link: DocumentLinkRecord) => asId('delivery', link.subjectId);

const DELIVERY: PortalDocument<PortalDeliveryView, RefusedReport> = { style: STYLE, json: portalDeliveryJson, page: deliveryPage };

// ------------------------------------------------------------------ routes

export function deliveryPortalRoutes(app: Api, deps: AppDeps): void {
  portalScope(app, (portal) => {
    portal.get(
      PHOTO_SCRIPT_PATH,
      {
        schema: {
          tags: ['portal'],
          security: [],
          summary: 'The script of the delivery portal that uploads a claim photo (the page works without it, but for photos)',
          produces: ['text/javascript'],
          response: { 200: z.string().describe('text/javascript') },
        },
      },
      async (_req, reply) => reply.headers({ 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).type('text/javascript; charset=utf-8').send(PHOTO_SCRIPT),
    );
    const ViewResponse = PortalDeliveryJson.or(z.string().describe('text/html'));

    portalDocumentRoute(portal, DELIVERY, {
      path: '/portal/deliveries/:token',
      summary: 'The delivery behind a portal link: what was delivered, forms to confirm receipt or report a problem per line',
      description: 'HTML, or JSON with Accept: application/json. No API key: the token is the credential. 404 for a wrong or revoked token, 410 after its last day.',
      response: ViewResponse,
      load: (token) =>
        inDeliveryPortal(deps, token, async (s, env, link) => {
          await s.documentLinks.touch(link.id, env.clock.now());
          return viewPortalDelivery(s, env, deliveryIdOf(link));
        }),
    });

    portalFormRoute(portal, DELIVERY, {
      path: '/portal/deliveries/:token/confirm',
      summary: 'Confirm receipt: the delivery arrived as it should (review → accepted)',
      response: { 200: ViewResponse },
      run: (_req, token) =>
        inDeliveryPortal(deps, token, async (s, env, link) => {
          await confirmReceipt(s, env, deliveryIdOf(link));
          return { view: await viewPortalDelivery(s, env, deliveryIdOf(link)) };
        }),
      json: (r, token, lang) => portalDeliveryJson(token, r.view, lang),
      message: (_r, lang) => T[lang].confirmed,
    });

    portalFormRoute(portal, DELIVERY, {
      path: '/portal/deliveries/:token/report',
      summary: 'Report problems: per delivery line a reason, quantity and description; one claim per line (review → disputed)',
      description: `Reasons: ${PROBLEM_REASONS.join(', ')}. After the review window: 409 review_window_closed. Events claim.reported.`,
      body: ReportBody,
      response: {
        201: z.object({ object: z.literal('portal_claim_report'), claims: z.array(PortalClaimJson) }).or(z.string().describe('text/html')),
      },
      run: (_req, token, body) => {
        const report = reportOf(body);
        return inDeliveryPortal(deps, token, async (s, env, link) => {
          const made = await reportProblems(s, env, deliveryIdOf(link), report, 'customer');
          return { claims: made.claims, view: await viewPortalDelivery(s, env, deliveryIdOf(link)) };
        });
      },
      status: () => 201,
      json: (r, token) => ({ object: 'portal_claim_report' as const, claims: r.claims.map((c) => portalClaimJson(token, c)) }),
      message: (r, lang) => T[lang].reported(r.claims.map((c) => c.number).join(', ')),
      refused: async (req, token, fieldError, b) => {
        if (b.lines !== undefined) return undefined;
        const lineNo = typeof b.delivery_line_no === 'number' ? b.delivery_line_no : Number(b.delivery_line_no ?? NaN);
        const view = await inDeliveryPortal(deps, token, (s, env, link) => viewPortalDelivery(s, env, deliveryIdOf(link)));
        const values = { reason: b.reason, quantity: b.quantity === undefined ? undefined : String(b.quantity), description: b.description };
        const refused: RefusedReport = { error: fieldError, lineNo: Number.isSafeInteger(lineNo) ? lineNo : null, values };
        return deliveryPage(token, view, pageLanguage(req, view), requestedLanguage(req), undefined, refused);
      },
    });

    portal.post(
      '/portal/deliveries/:token/claims/:claimId/photos',
      {
        bodyLimit: MAX_PHOTO_BODY_BYTES + 1024,
        schema: {
          tags: ['portal'],
          security: [],
          querystring: LangQuery,
          params: PhotoParams,
          summary: 'Add a photo to an open claim of this delivery: JSON {content_type: image/png | image/jpeg, data_base64}, at most 5 MiB',
          description: 'The image is checked by its signature, not only its declared type.',
          body: PhotoBody,
          response: {
            201: z.object({ object: z.literal('claim_photo'), id: z.string(), claim_id: z.string(), content_type: z.string(), size: z.number().int(), created_at: z.iso.datetime() }),
            ...errorResponses,
          },
        },
      },
      async (req, reply) => {
        const { token, claimId } = req.params;
        try {
          const photo = await inDeliveryPortal(deps, token, async (s, env, link) => {
            if (!isId('claim', claimId)) throw portalLinkNotFound();
            return addClaimPhoto(s, env, claimId, link.subjectId, { contentType: req.body.content_type, dataBase64: req.body.data_base64 });
          });
          return reply
            .headers(PORTAL_HEADERS)
            .code(201)
            .send({
              object: 'claim_photo' as const,
              id: photo.id,
              claim_id: photo.claimId,
              content_type: photo.contentType,
              size: photo.size,
              created_at: photo.createdAt.toISOString(),
            });
        } catch (error) {
          return sendPortalFailure(req, reply, error, STYLE);
        }
      },
    );
  });
}
