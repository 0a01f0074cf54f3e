/** The seller (the tenant as it is now) and the buyer (the customer) as every document prints them: pure mapping. */
import type { CustomerRecord, TenantRecord } from '../../app/ports.js';
import type { DocumentBuyer, DocumentSeller } from './order-document.js';

export function sellerParty(seller: TenantRecord): DocumentSeller {
  return {
    name: seller.name,
    orgNumber: seller.orgNumber,
    vatNumber: seller.vatNumber,
    addressLine1: seller.addressLine1,
    addressLine2: seller.addressLine2,
    postalCode: seller.postalCode,
    city: seller.city,
    country: seller.country,
    email: seller.email,
    phone: seller.phone,
    bankgiro: seller.bankgiro,
    fSkatt: seller.fSkatt,
    logoPng: seller.logoPng,
  };
}

export function buyerParty(buyer: CustomerRecord): DocumentBuyer {
  return {
    name: buyer.name,
    orgNumber: buyer.orgNumber,
    vatNumber: buyer.vatNumber,
    addressLine1: buyer.addressLine1,
    addressLine2: buyer.addressLine2,
    postalCode: buyer.postalCode,
    city: buyer.city,
    country: buyer.country,
  };
}
