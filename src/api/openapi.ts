/**
 * Tidies the generated OpenAPI document: Zod's registry yields an input and an output component for
 * every named schema, so the input copies nobody references are dropped; and a body that may be
 * omitted (schema `X | null`, for actions such as send or confirm) is marked optional.
 */
import type { SwaggerTransformObject } from '@fastify/swagger';
import { jsonSchemaTransformObject } from 'fastify-type-provider-zod';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function optionalBodies(paths: Json): void {
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const op of Object.values(item)) {
      if (!isObject(op) || !isObject(op['requestBody'])) continue;
      const body = op['requestBody'];
      const content = isObject(body['content']) ? body['content'] : {};
      const json = content['application/json'];
      if (!isObject(json) || !isObject(json['schema'])) continue;
      const anyOf = json['schema']['anyOf'];
      if (!Array.isArray(anyOf)) continue;
      const rest = anyOf.filter((s) => !(isObject(s) && s['type'] === 'null'));
      if (rest.length === anyOf.length || rest.length !== 1) continue;
      json['schema'] = rest[0];
      body['required'] = false;
    }
  }
}

export const transformOpenApiObject: SwaggerTransformObject = (documentObject) => {
  const doc = jsonSchemaTransformObject(documentObject) as Json;
  if (isObject(doc['paths'])) optionalBodies(doc['paths']);
  const components = isObject(doc['components']) ? doc['components'] : undefined;
  const schemas = components && isObject(components['schemas']) ? components['schemas'] : undefined;
  if (schemas) {
    // Drop unreferenced *Input components until a fixed point (one may be referenced only by another).
    for (;;) {
      const text = JSON.stringify(doc);
      const unused = Object.keys(schemas).filter((name) => name.endsWith('Input') && !text.includes(`"#/components/schemas/${name}"`));
      if (unused.length === 0) break;
      for (const name of unused) delete schemas[name];
    }
  }
  return doc as ReturnType<SwaggerTransformObject>;
};
