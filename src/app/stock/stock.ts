/**
 * Warehouses and stock: create and list warehouses (the first becomes the default), receive goods,
 * correct counts (signed adjustments with a reason), and read levels and the movement ledger.
 */
import { subD, type Decimal4, type Quantity } from '../../core/money/quantity.js';
import { DomainError, invalid, notFound } from '../../core/shared/errors.js';
import type { Id, ProductId } from '../../core/shared/ids.js';
import type { Page, PageResult, StockFilter, StockLevelRecord, StockMovementRecord, Store, WarehouseRecord } from '../ports.js';
import type { Env } from '../shared/env.js';
import { recordChange } from '../shared/record.js';
import { applyStockMovement, requireStockProduct, requireWarehouse, stockPolicy } from './ledger.js';

const WAREHOUSE_CODE = /^[A-Za-z0-9_-]{1,32}$/;

export interface CreateWarehouseInput {
  code: string;
  name: string;
}

export async function createWarehouse(s: Store, env: Env, input: CreateWarehouseInput): Promise<WarehouseRecord> {
  if (!WAREHOUSE_CODE.test(input.code)) throw invalid('code', "code must be 1-32 characters of letters, digits, '_' and '-'");
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) throw invalid('name', 'name must be 1-200 characters');
  const existing = await s.stock.listWarehouses();
  if (existing.some((w) => w.code === input.code)) throw new DomainError('conflict', `A warehouse with code '${input.code}' already exists`, 'code');
  const w: WarehouseRecord = {
    id: env.ids.next('warehouse'),
    code: input.code,
    name,
    isDefault: !existing.some((x) => x.isDefault),
    createdAt: env.clock.now(),
  };
  await s.stock.insertWarehouse(w);
  await recordChange(s, env, { action: 'warehouse.created', entityType: 'warehouse', entityId: w.id, data: { code: w.code, name: w.name, isDefault: w.isDefault } });
  return w;
}

export const listWarehouses = (s: Store): Promise<WarehouseRecord[]> => s.stock.listWarehouses();

export async function getWarehouse(s: Store, id: Id<'warehouse'>): Promise<WarehouseRecord> {
  const w = await s.stock.getWarehouse(id);
  if (!w) throw notFound('warehouse', id);
  return w;
}

export interface ReceiveStockInput {
  productId: ProductId;
  /** Default warehouse when omitted. */
  warehouseId?: Id<'warehouse'> | null | undefined;
  quantity: Quantity;
  /** The supplier's delivery note or purchase order number; the movement id when omitted. */
  reference?: string | null | undefined;
  reason?: string | null | undefined;
}

/** Books goods received into a warehouse ('receipt': on hand +q). */
export async function receiveStock(s: Store, env: Env, input: ReceiveStockInput): Promise<StockMovementRecord> {
  await requireStockProduct(s, input.productId, 'product_id');
  const warehouse = await requireWarehouse(s, input.warehouseId, 'warehouse_id');
  const id = env.ids.next('stockMovement');
  const plan = await applyStockMovement(
    s,
    env,
    await stockPolicy(s),
    {
      kind: 'receipt',
      warehouseId: warehouse.id,
      productId: input.productId,
      quantity: input.quantity,
      reference: { type: 'receipt', id: input.reference ?? id },
      ...(input.reason === null || input.reason === undefined ? {} : { reason: input.reason }),
    },
    id,
  );
  const m = toRecord(plan, id, env.clock.now());
  await recordChange(s, env, { action: 'stock.received', entityType: 'stock_movement', entityId: id, data: movementData(m) });
  return m;
}

export interface AdjustStockInput {
  productId: ProductId;
  warehouseId?: Id<'warehouse'> | null | undefined;
  /** Signed correction of on hand (−2: two fewer than recorded); a decimal string is accepted. */
  quantity: Decimal4 | string;
  reason: string;
}

/** Corrects the on-hand figure after a count ('adjustment', signed, reason required). */
export async function adjustStock(s: Store, env: Env, input: AdjustStockInput): Promise<StockMovementRecord> {
  await requireStockProduct(s, input.productId, 'product_id');
  const warehouse = await requireWarehouse(s, input.warehouseId, 'warehouse_id');
  const id = env.ids.next('stockMovement');
  const plan = await applyStockMovement(
    s,
    env,
    await stockPolicy(s),
    // validated by the core model: quantity ≠ 0 and reason required, errors naming the field
    { kind: 'adjustment', warehouseId: warehouse.id, productId: input.productId, quantity: input.quantity as Decimal4, reference: { type: 'adjustment', id }, reason: input.reason },
    id,
  );
  const m = toRecord(plan, id, env.clock.now());
  await recordChange(s, env, { action: 'stock.adjusted', entityType: 'stock_movement', entityId: id, data: movementData(m) });
  return m;
}

function toRecord(plan: Awaited<ReturnType<typeof applyStockMovement>>, id: Id<'stockMovement'>, at: Date): StockMovementRecord {
  return {
    id,
    warehouseId: plan.movement.warehouseId as Id<'warehouse'>,
    productId: plan.movement.productId,
    kind: plan.movement.kind,
    quantity: plan.movement.quantity,
    onHandDelta: plan.effect.onHand,
    reservedDelta: plan.effect.reserved,
    referenceType: plan.movement.reference.type,
    referenceId: plan.movement.reference.id,
    reason: plan.movement.reason ?? null,
    createdAt: at,
  };
}

const movementData = (m: StockMovementRecord) => ({
  warehouseId: m.warehouseId,
  productId: m.productId,
  kind: m.kind,
  onHandDelta: m.onHandDelta.scaled.toString(),
  reference: `${m.referenceType}:${m.referenceId}`,
});

export interface StockLevelView extends StockLevelRecord {
  available: Decimal4;
}

export async function listStockLevels(s: Store, filter: StockFilter): Promise<StockLevelView[]> {
  if (filter.warehouseId !== undefined && !(await s.stock.getWarehouse(filter.warehouseId))) throw notFound('warehouse', filter.warehouseId, 'warehouse_id');
  const levels = await s.stock.listLevels(filter);
  return levels.map((l) => ({ ...l, available: subD(l.onHand, l.reserved) }));
}

export const listStockMovements = (s: Store, page: Page, filter: StockFilter): Promise<PageResult<StockMovementRecord>> =>
  s.stock.listMovements(page, filter);
