/** The language of a customer's documents: Swedish for Swedish customers, English otherwise (as invoices). */
export const invoiceLanguageOf = (country: string): 'sv' | 'en' => (country === 'SE' ? 'sv' : 'en');
