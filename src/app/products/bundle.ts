/**
 * The rules a bundle's definition must meet. One level only: a component is never a bundle itself
 * and a bundle is never a component (so nothing nests and nothing can loop). Every component has
 * the bundle's tax class: a bundle is sold as one supply at one VAT rate, and products at other
 * rates are quoted as lines of their own.
 */
import { formatDecimal4 } from '../../core/money/quantity.js';
import { MAX_BUNDLE_COMPONENTS } from '../../core/pricing/engine.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { ProductId } from '../../core/shared/ids.js';
import type { TaxClass } from '../../core/tax/vat.js';
import type { ProductBundle, Store } from '../ports.js';

export async function checkBundle(s: Store, bundleId: ProductId, taxClass: TaxClass, bundle: ProductBundle): Promise<void> {
  const param = 'bundle.components';
  if (bundle.components.length === 0) throw invalid(param, 'a bundle needs at least one component');
  if (bundle.components.length > MAX_BUNDLE_COMPONENTS) throw invalid(param, `a bundle has at most ${MAX_BUNDLE_COMPONENTS} components`);
  const containing = await s.products.bundlesContaining(bundleId);
  if (containing.length > 0) {
    throw new DomainError('unprocessable', `This product is a component of bundle ${containing[0]}; bundles cannot be nested`, 'bundle');
  }
  const components = new Map((await s.products.getMany(bundle.components.map((c) => c.productId))).map((p) => [p.id as string, p]));
  const seen = new Set<string>();
  for (const [i, c] of bundle.components.entries()) {
    const cp = `${param}.${i}`;
    if (c.quantity.scaled <= 0n) throw invalid(`${cp}.quantity`, 'must be greater than 0');
    if (c.productId === bundleId) throw invalid(`${cp}.product_id`, 'a bundle cannot contain itself');
    if (seen.has(c.productId)) throw invalid(`${cp}.product_id`, `product ${c.productId} appears twice in the bundle`);
    seen.add(c.productId);
    const product = components.get(c.productId);
    if (!product) throw notFound('product', c.productId, `${cp}.product_id`);
    if (product.bundle !== null) {
      throw new DomainError('unprocessable', `Product ${product.sku} is a bundle itself; bundles cannot be nested`, `${cp}.product_id`);
    }
    if (product.taxClass !== taxClass) {
      throw new DomainError(
        'unprocessable',
        `Product ${product.sku} has tax class ${product.taxClass} but the bundle has ${taxClass}; a bundle's components share its VAT rate`,
        `${cp}.product_id`,
      );
    }
  }
}

/** A bundle as audit data (JSON-safe). */
export function bundleAudit(b: ProductBundle): { pricing: string; display: string; components: { productId: string; quantity: string }[] } {
  return {
    pricing: b.pricing,
    display: b.display,
    components: b.components.map((c) => ({ productId: c.productId, quantity: formatDecimal4(c.quantity) })),
  };
}
