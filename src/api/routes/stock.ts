/** Warehouses, stock levels and movements. */
import type { AppDeps } from '../../app/shared/env.js';
import type { Api } from '../http.js';

export function stockRoutes(_app: Api, _deps: AppDeps): void {
  // Routes are added here.
}
