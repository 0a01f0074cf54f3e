import { z } from 'zod';
import { BILLING_GROUPINGS, getCompany, PAYMENT_REFERENCE_KINDS, updateCompany } from '../../app/settings/company.js';
import { OCR_CONTROL_LEVELS, OCR_MAX_LENGTH, OCR_MIN_LENGTH } from '../../core/receivables/ocr.js';
import type { CompanyPatch, TenantRecord } from '../../app/ports.js';
import type { AppDeps } from '../../app/shared/env.js';
import { invalid } from '../../core/shared/errors.js';
import { command, read, sendStored } from '../command.js';
import { AddressJson, addressJson } from '../serialize.js';
import { listNumberSeries, SERIES_DOCUMENTS, vatReference } from '../../app/settings/reference.js';
import { TAX_CLASSES, VAT_CATEGORIES } from '../../core/tax/vat.js';
import { type Api, errorResponses, IdempotencyHeaders, optionalText } from '../http.js';

const CompanyJson = z
  .object({
    object: z.literal('company'),
    id: z.string(),
    name: z.string(),
    org_number: z.string().nullable(),
    vat_number: z.string().nullable(),
    base_currency: z.string(),
    country: z.string(),
    address: AddressJson,
    email: z.string().nullable(),
    phone: z.string().nullable(),
    bankgiro: z.string().nullable(),
    iban: z.string().nullable(),
    bic: z.string().nullable(),
    f_skatt: z.boolean(),
    has_logo: z.boolean(),
    credit_hold_overdue_days: z
      .number()
      .int()
      .nullable()
      .describe('Confirming an order puts it on hold when the customer has an invoice overdue by more than this many days; null = no such check'),
    allow_negative_stock: z.boolean().describe('Whether shipping may take stock below zero'),
    review_window_days: z.number().int().describe('Days the customer has to review a delivery before it is deemed accepted'),
    payment_reference_kind: z.enum(PAYMENT_REFERENCE_KINDS).describe('The payment reference invoices get at issue: a Swedish OCR number or an ISO 11649 RF creditor reference'),
    ocr_control: z.enum(OCR_CONTROL_LEVELS).describe("The tenant's Bankgirot OCR control level"),
    ocr_lengths: z.array(z.number().int()).nullable().describe("The agreed total OCR lengths for hard_fixed_length; null for the other levels"),
    billing_grouping: z
      .enum(BILLING_GROUPINGS)
      .describe('What a billing run makes by default: one invoice per order, or one per customer (currency, payment terms) over its confirmed orders'),
  })
  .meta({ id: 'Company' });

const companyJson = (t: TenantRecord): z.output<typeof CompanyJson> => ({
  object: 'company',
  id: t.id,
  name: t.name,
  org_number: t.orgNumber,
  vat_number: t.vatNumber,
  base_currency: t.baseCurrency,
  country: t.country,
  address: addressJson(t),
  email: t.email,
  phone: t.phone,
  bankgiro: t.bankgiro,
  iban: t.iban,
  bic: t.bic,
  f_skatt: t.fSkatt,
  has_logo: t.logoPng !== null,
  credit_hold_overdue_days: t.creditHoldOverdueDays,
  allow_negative_stock: t.allowNegativeStock,
  review_window_days: t.reviewWindowDays,
  payment_reference_kind: t.paymentReferenceKind,
  ocr_control: t.ocrControl,
  ocr_lengths: t.ocrLengths,
  billing_grouping: t.billingGrouping ?? 'per_order',
});

const CompanyPatchBody = z.strictObject({
  name: z.string().min(1).max(200).optional(),
  org_number: optionalText(40),
  vat_number: optionalText(40),
  address: z
    .strictObject({ line1: optionalText(200), line2: optionalText(200), postal_code: optionalText(20), city: optionalText(100) })
    .optional(),
  email: z.email().max(254).nullish(),
  phone: optionalText(40),
  bankgiro: optionalText(20),
  iban: optionalText(40),
  bic: optionalText(11),
  f_skatt: z.boolean().optional(),
  logo: z.string().max(400_000).nullable().optional().describe('PNG or JPEG, base64, at most 256 KiB; null removes it'),
  credit_hold_overdue_days: z.number().int().min(0).max(3650).nullable().optional().describe('null turns the overdue-invoice credit check off'),
  allow_negative_stock: z.boolean().optional(),
  review_window_days: z.number().int().min(0).max(365).optional(),
  payment_reference_kind: z.enum(PAYMENT_REFERENCE_KINDS).optional().describe('ocr or rf; applies to invoices issued from now on'),
  ocr_control: z
    .enum(OCR_CONTROL_LEVELS)
    .optional()
    .describe('soft, hard, hard_variable_length (default: length digit + Luhn) or hard_fixed_length (needs ocr_lengths); another level than hard_fixed_length clears ocr_lengths'),
  ocr_lengths: z
    .array(z.number().int().min(OCR_MIN_LENGTH).max(OCR_MAX_LENGTH))
    .min(1)
    .max(2)
    .nullable()
    .optional()
    .describe(`One or two total OCR lengths (${OCR_MIN_LENGTH}-${OCR_MAX_LENGTH}, at least one ≥ 10), required with hard_fixed_length`),
  billing_grouping: z
    .enum(BILLING_GROUPINGS)
    .optional()
    .describe('per_order (default) or per_customer: how billing runs group invoices unless a run says group_by'),
});

function toPatch(b: z.output<typeof CompanyPatchBody>): CompanyPatch {
  const p: CompanyPatch = {};
  if (b.name !== undefined) p.name = b.name;
  if (b.org_number !== undefined) p.orgNumber = b.org_number;
  if (b.vat_number !== undefined) p.vatNumber = b.vat_number;
  if (b.address?.line1 !== undefined) p.addressLine1 = b.address.line1;
  if (b.address?.line2 !== undefined) p.addressLine2 = b.address.line2;
  if (b.address?.postal_code !== undefined) p.postalCode = b.address.postal_code;
  if (b.address?.city !== undefined) p.city = b.address.city;
  if (b.email !== undefined) p.email = b.email;
  if (b.phone !== undefined) p.phone = b.phone;
  if (b.bankgiro !== undefined) p.bankgiro = b.bankgiro;
  if (b.iban !== undefined) p.iban = b.iban;
  if (b.bic !== undefined) p.bic = b.bic;
  if (b.f_skatt !== undefined) p.fSkatt = b.f_skatt;
  if (b.credit_hold_overdue_days !== undefined) p.creditHoldOverdueDays = b.credit_hold_overdue_days;
  if (b.allow_negative_stock !== undefined) p.allowNegativeStock = b.allow_negative_stock;
  if (b.review_window_days !== undefined) p.reviewWindowDays = b.review_window_days;
  if (b.payment_reference_kind !== undefined) p.paymentReferenceKind = b.payment_reference_kind;
  if (b.ocr_control !== undefined) p.ocrControl = b.ocr_control;
  if (b.ocr_lengths !== undefined) p.ocrLengths = b.ocr_lengths;
  if (b.billing_grouping !== undefined) p.billingGrouping = b.billing_grouping;
  if (b.logo !== undefined) {
    if (b.logo === null) p.logoPng = null;
    else {
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b.logo)) throw invalid('logo', 'logo must be base64');
      p.logoPng = Buffer.from(b.logo, 'base64');
    }
  }
  return p;
}

const NumberSeriesJson = z
  .object({
    object: z.literal('number_series'),
    key: z.string().describe('The counter, e.g. "INV-2026" (the prefix and the year it numbers)'),
    prefix: z.string(),
    year: z.number().int().nullable(),
    document: z.enum(SERIES_DOCUMENTS).describe('What the series numbers'),
    gapless: z.boolean().describe('Numbered without gaps by law (invoices, credit notes, vouchers)'),
    next_value: z.string().describe('The sequence number the next document gets (a decimal string)'),
    next_number: z.string().describe('That document number as it is printed, e.g. "2026-00042"'),
  })
  .meta({ id: 'NumberSeries' });

const VatRateJson = z
  .object({
    object: z.literal('vat_rate'),
    tax_class: z.enum(TAX_CLASSES),
    rate: z.string().describe('Percent, e.g. "25"'),
    category: z.enum(VAT_CATEGORIES).describe('UNCL5305 category code'),
    valid_from: z.iso.date(),
    valid_to: z.iso.date().nullable().describe('Inclusive; null = until further notice'),
  })
  .meta({ id: 'VatRate' });

export function settingsRoutes(app: Api, deps: AppDeps): void {
  app.get(
    '/v1/settings/number-series',
    {
      schema: {
        tags: ['settings'],
        summary: 'The number series and the number each gives next (read only: invoices, credit notes and vouchers are numbered without gaps)',
        response: { 200: z.object({ object: z.literal('list'), data: z.array(NumberSeriesJson) }), ...errorResponses },
      },
    },
    async (req) =>
      read(req, deps, async (s) => ({
        object: 'list' as const,
        data: (await listNumberSeries(s)).map((x) => ({
          object: 'number_series' as const, key: x.key, prefix: x.prefix, year: x.year, document: x.document, gapless: x.gapless,
          next_value: x.nextValue.toString(), next_number: x.nextNumber,
        })),
      })),
  );

  app.get(
    '/v1/settings/vat-rates',
    {
      schema: {
        tags: ['settings'],
        summary: 'The VAT classes and Swedish rates the system applies (by tax point date), and the VAT categories it uses',
        response: {
          200: z.object({ object: z.literal('list'), data: z.array(VatRateJson), categories: z.array(z.enum(VAT_CATEGORIES)) }),
          ...errorResponses,
        },
      },
    },
    async (req) =>
      read(req, deps, async () => {
        const v = vatReference();
        return {
          object: 'list' as const,
          data: v.rates.map((r) => ({ object: 'vat_rate' as const, tax_class: r.taxClass, rate: r.rate, category: r.category, valid_from: r.validFrom, valid_to: r.validTo })),
          categories: [...v.categories],
        };
      }),
  );


  app.get(
    '/v1/settings/company',
    { schema: { tags: ['settings'], summary: 'The company details printed on documents', response: { 200: CompanyJson, ...errorResponses } } },
    async (req) => read(req, deps, async (s) => companyJson(await getCompany(s))),
  );

  app.patch(
    '/v1/settings/company',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change the company details and logo (admin); documents made from now on use them',
        headers: IdempotencyHeaders,
        body: CompanyPatchBody,
        response: { 200: CompanyJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const patch = toPatch(req.body);
      const res = await command(req, deps, 200, async (s, env) => companyJson(await updateCompany(s, env, patch)));
      return sendStored(reply, res);
    },
  );
}
