/** Warehouses, stock levels and movements. */
import { z } from 'zod';
import { formatDecimal4, parseQuantity } from '../../core/money/quantity.js';
import { parseId } from '../../core/shared/ids.js';
import type { StockMovementRecord, WarehouseRecord } from '../../app/ports.js';
import {
  adjustStock,
  createWarehouse,
  getWarehouse,
  listStockLevels,
  listStockMovements,
  listWarehouses,
  receiveStock,
  type StockLevelView,
} from '../../app/stock/stock.js';
import type { AppDeps } from '../../app/shared/env.js';
import { command, read, sendStored } from '../command.js';
import { type Api, DecimalInput, errorResponses, IdempotencyHeaders, IdParams, optionalText, pageOf, pageQueryShape, pathId } from '../http.js';
import { listJson, listSchema } from '../serialize.js';

const Decimal = z.string().describe('Exact decimal as a string, e.g. "2.5"');
const Instant = z.iso.datetime();

export const WarehouseJson = z
  .object({
    object: z.literal('warehouse'),
    id: z.string(),
    code: z.string(),
    name: z.string(),
    is_default: z.boolean().describe('Orders reserve and deliveries ship from the default warehouse unless told otherwise'),
    created_at: Instant,
  })
  .meta({ id: 'Warehouse' });

export const warehouseJson = (w: WarehouseRecord): z.output<typeof WarehouseJson> => ({
  object: 'warehouse',
  id: w.id,
  code: w.code,
  name: w.name,
  is_default: w.isDefault,
  created_at: w.createdAt.toISOString(),
});

export const StockLevelJson = z
  .object({
    object: z.literal('stock_level'),
    warehouse_id: z.string(),
    product_id: z.string(),
    on_hand: Decimal,
    reserved: Decimal.describe('Promised to confirmed order lines, not yet shipped'),
    available: Decimal.describe('on_hand − reserved; negative when more is promised than is there'),
    updated_at: Instant,
  })
  .meta({ id: 'StockLevel' });

export const stockLevelJson = (l: StockLevelView): z.output<typeof StockLevelJson> => ({
  object: 'stock_level',
  warehouse_id: l.warehouseId,
  product_id: l.productId,
  on_hand: formatDecimal4(l.onHand),
  reserved: formatDecimal4(l.reserved),
  available: formatDecimal4(l.available),
  updated_at: l.updatedAt.toISOString(),
});

export const StockMovementJson = z
  .object({
    object: z.literal('stock_movement'),
    id: z.string(),
    warehouse_id: z.string(),
    product_id: z.string(),
    kind: z.enum(['receipt', 'adjustment', 'reserve', 'release', 'ship', 'return_restock', 'return_scrap', 'scrap']),
    quantity: Decimal.describe("The movement's quantity; an adjustment's is signed"),
    on_hand_delta: Decimal,
    reserved_delta: Decimal,
    reference: z.object({ type: z.string(), id: z.string() }).describe('The record it comes from (receipt, order line, delivery line, return, adjustment)'),
    reason: z.string().nullable(),
    created_at: Instant,
  })
  .meta({ id: 'StockMovement' });

export const stockMovementJson = (m: StockMovementRecord): z.output<typeof StockMovementJson> => ({
  object: 'stock_movement',
  id: m.id,
  warehouse_id: m.warehouseId,
  product_id: m.productId,
  kind: m.kind,
  quantity: formatDecimal4(m.quantity),
  on_hand_delta: formatDecimal4(m.onHandDelta),
  reserved_delta: formatDecimal4(m.reservedDelta),
  reference: { type: m.referenceType, id: m.referenceId },
  reason: m.reason,
  created_at: m.createdAt.toISOString(),
});

export const CreateWarehouseBody = z.strictObject({
  code: z.string().max(100).describe("1-32 characters of letters, digits, '_' and '-'; unique"),
  name: z.string().max(200),
});

export const ReceiptBody = z.strictObject({
  product_id: z.string().max(100).describe('A stock-tracked product'),
  warehouse_id: z.string().max(100).nullish().describe('The default warehouse when omitted'),
  quantity: z.union([DecimalInput, z.number()]).describe('Greater than 0'),
  reference: z
    .string()
    .regex(/^[0-9A-Za-z_-]{1,64}$/, { message: "must be 1-64 characters of letters, digits, '_' and '-'" })
    .nullish()
    .describe("The supplier's delivery note or purchase order number"),
  reason: optionalText(500),
});

export const AdjustmentBody = z.strictObject({
  product_id: z.string().max(100).describe('A stock-tracked product'),
  warehouse_id: z.string().max(100).nullish().describe('The default warehouse when omitted'),
  quantity: z.union([DecimalInput, z.number()]).describe('Signed correction of on hand: "-2" when two fewer were counted; not 0'),
  reason: z.string().max(500).describe('Why the count differs (required)'),
});

const StockQuery = z.strictObject({
  product_id: z.string().max(100).optional(),
  warehouse_id: z.string().max(100).optional(),
});

const MovementQuery = z.strictObject({ ...pageQueryShape, ...StockQuery.shape });

function filterOf(q: { product_id?: string | undefined; warehouse_id?: string | undefined }) {
  return {
    productId: q.product_id === undefined ? undefined : parseId('product', q.product_id, 'product_id'),
    warehouseId: q.warehouse_id === undefined ? undefined : parseId('warehouse', q.warehouse_id, 'warehouse_id'),
  };
}

const optionalWarehouse = (v: string | null | undefined) => (v === null || v === undefined ? null : parseId('warehouse', v, 'warehouse_id'));

export function stockRoutes(app: Api, deps: AppDeps): void {
  app.post(
    '/v1/warehouses',
    {
      schema: {
        tags: ['stock'],
        summary: 'Create a warehouse; the first one becomes the default',
        headers: IdempotencyHeaders,
        body: CreateWarehouseBody,
        response: { 201: WarehouseJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const input = { code: req.body.code, name: req.body.name };
      const res = await command(req, deps, 201, async (s, env) => warehouseJson(await createWarehouse(s, env, input)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/warehouses',
    { schema: { tags: ['stock'], summary: 'List warehouses (oldest first)', response: { 200: listSchema(WarehouseJson), ...errorResponses } } },
    async (req) => read(req, deps, async (s) => listJson({ data: await listWarehouses(s), hasMore: false }, warehouseJson)),
  );

  app.get(
    '/v1/warehouses/:id',
    { schema: { tags: ['stock'], summary: 'Get a warehouse', params: IdParams, response: { 200: WarehouseJson, ...errorResponses } } },
    async (req) => {
      const id = pathId('warehouse', req.params.id, 'warehouse');
      return read(req, deps, async (s) => warehouseJson(await getWarehouse(s, id)));
    },
  );

  app.get(
    '/v1/stock',
    {
      schema: {
        tags: ['stock'],
        summary: 'Stock levels (on hand, reserved, available) per warehouse and product',
        querystring: StockQuery,
        response: { 200: listSchema(StockLevelJson), ...errorResponses },
      },
    },
    async (req) => {
      const filter = filterOf(req.query);
      return read(req, deps, async (s) => listJson({ data: await listStockLevels(s, filter), hasMore: false }, stockLevelJson));
    },
  );

  app.post(
    '/v1/stock/receipts',
    {
      schema: {
        tags: ['stock'],
        summary: 'Receive goods into a warehouse (on hand increases)',
        headers: IdempotencyHeaders,
        body: ReceiptBody,
        response: { 201: StockMovementJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input = {
        productId: parseId('product', b.product_id, 'product_id'),
        warehouseId: optionalWarehouse(b.warehouse_id),
        quantity: parseQuantity(b.quantity, 'quantity'),
        reference: b.reference ?? null,
        reason: b.reason ?? null,
      };
      const res = await command(req, deps, 201, async (s, env) => stockMovementJson(await receiveStock(s, env, input)));
      return sendStored(reply, res);
    },
  );

  app.post(
    '/v1/stock/adjustments',
    {
      schema: {
        tags: ['stock'],
        summary: 'Correct on hand after a count (signed quantity, reason required)',
        headers: IdempotencyHeaders,
        body: AdjustmentBody,
        response: { 201: StockMovementJson, ...errorResponses },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const input = {
        productId: parseId('product', b.product_id, 'product_id'),
        warehouseId: optionalWarehouse(b.warehouse_id),
        quantity: typeof b.quantity === 'number' ? String(b.quantity) : b.quantity,
        reason: b.reason,
      };
      const res = await command(req, deps, 201, async (s, env) => stockMovementJson(await adjustStock(s, env, input)));
      return sendStored(reply, res);
    },
  );

  app.get(
    '/v1/stock/movements',
    {
      schema: {
        tags: ['stock'],
        summary: 'The stock movement ledger (oldest first), optionally for one product and/or warehouse',
        querystring: MovementQuery,
        response: { 200: listSchema(StockMovementJson), ...errorResponses },
      },
    },
    async (req) => {
      const page = pageOf('stockMovement', req.query);
      const filter = filterOf(req.query);
      return read(req, deps, async (s) => listJson(await listStockMovements(s, page, filter), stockMovementJson));
    },
  );
}
