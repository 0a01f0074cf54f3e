/** Claims: problems the customer reported on deliveries, and how they are put right. */
import type { AppDeps } from '../../app/shared/env.js';
import type { Api } from '../http.js';

export function claimRoutes(_app: Api, _deps: AppDeps): void {
  // Routes are added here.
}
