/** The customer portal for orders: see the order and its confirmation PDF, confirm it, or ask for changes. */
import type { AppDeps } from '../../app/shared/env.js';
import type { Api } from '../http.js';

export function orderPortalRoutes(_app: Api, _deps: AppDeps): void {
  // Routes are added here.
}
