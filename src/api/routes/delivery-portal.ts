/** The customer portal for deliveries: confirm receipt or report a problem per line. */
import type { AppDeps } from '../../app/shared/env.js';
import type { Api } from '../http.js';

export function deliveryPortalRoutes(_app: Api, _deps: AppDeps): void {
  // Routes are added here.
}
