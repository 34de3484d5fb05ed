import { TRPCError, type AnyProcedure, type AnyRouter } from '@trpc/server';
import type * as z from 'zod';
import { createCallerFactory, type Context, type ProcedureMeta } from '../trpc.js';

/**
 * The read-only REST door's transport (ADR 0006): each procedure of the router that carries
 * `meta.openapi` becomes a route of a table built once, and a request is matched, its path and
 * query turned into the procedure's input, and the procedure called through tRPC's server-side
 * caller. trpc-to-openapi documents the same routes (openapi.json, generated at dev time); it is
 * not loaded at run time, nor are a document generator or request-body parsers a GET never needs.
 *
 * The semantics are trpc-to-openapi's: paths match case-insensitively and ignore one trailing
 * slash, path parameters are the raw segment and win over a query parameter of the same name,
 * a repeated query parameter is an array, and one value of a field declared as an array is
 * wrapped in one. Query values are strings: a number, boolean, bigint or date field must say
 * `z.coerce` in its schema (trpc-to-openapi flipped that flag on the shared schema at run time;
 * here the route table refuses to build instead, so the schema, and openapi.json, say it).
 */
export type RestResult = { ok: true; data: unknown } | { ok: false; error: TRPCError; path: string | undefined };

type Route = { path: string; pattern: RegExp; arrays: readonly string[]; takesInput: boolean };

export function restAdapter(router: AnyRouter, prefix: string): (req: Request, ctx: Context) => Promise<RestResult> {
  const routes = routeTable(router);
  const createCaller = createCallerFactory(router);
  return async (req, ctx) => {
    const url = new URL(req.url);
    const path = normalizePath(url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname);
    // HEAD is GET without the body (RFC 9110 §9.3.2); Hono drops the body.
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const found = method === 'GET' ? match(routes, path) : undefined;
    if (!found) return { ok: false, error: new TRPCError({ code: 'NOT_FOUND', message: 'Not found' }), path: undefined };
    const { route, params } = found;
    try {
      const call = procedureOf(createCaller(ctx), route.path);
      return { ok: true, data: await call(route.takesInput ? { ...queryOf(url.searchParams, route.arrays), ...params } : undefined) };
    } catch (cause) {
      const error = cause instanceof TRPCError ? cause : new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
      return { ok: false, error, path: route.path };
    }
  };
}

/** The routes in the router's order, the first match wins (as in trpc-to-openapi's procedure cache). */
function routeTable(router: AnyRouter): Route[] {
  const routes: Route[] = [];
  for (const [path, procedure] of Object.entries(router._def.procedures as Record<string, AnyProcedure>)) {
    const openapi = (procedure._def.meta as ProcedureMeta | undefined)?.openapi;
    if (!openapi || openapi.enabled === false) continue;
    if (openapi.method !== 'GET' || procedure._def.type !== 'query') {
      throw new Error(`${path}: the public REST door is read-only, only GET queries can be routes (got ${openapi.method} ${procedure._def.type})`);
    }
    const template = normalizePath(openapi.path);
    const pattern = new RegExp(`^${template.replace(/\{(.+?)\}/g, (_, key: string) => `(?<${key}>[^/]+)`)}$`, 'i');
    const shapes = inputShapes(path, procedure._def.inputs as z.ZodType[]);
    routes.push({ path, pattern, takesInput: shapes !== undefined, arrays: arrayFields(path, shapes ?? []) });
  }
  return routes;
}

function match(routes: readonly Route[], path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (m) return { route, params: { ...m.groups } };
  }
  return undefined;
}

const normalizePath = (path: string) => `/${path.replace(/^\/|\/$/g, '')}`;

/** One value is a string, a repeated key an array; a field declared as an array always gets one. */
function queryOf(search: URLSearchParams, arrays: readonly string[]): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const values = search.getAll(key);
    query[key] = values.length === 1 && !arrays.includes(key) ? values[0]! : values;
  }
  return query;
}

function procedureOf(caller: object, path: string): (input: unknown) => Promise<unknown> {
  return path.split('.').reduce((node: unknown, key) => (node as Record<string, unknown>)[key], caller) as (input: unknown) => Promise<unknown>;
}

/** The object shapes a query route's input is made of; undefined when it takes no input at all. */
function inputShapes(path: string, inputs: z.ZodType[]): Record<string, z.ZodType>[] | undefined {
  const kinds = inputs.map((schema) => unwrapInput(schema).def.type);
  if (inputs.length === 0 || kinds.every((k) => k === 'void' || k === 'undefined' || k === 'never')) return undefined;
  return inputs.map((schema) => {
    const inner = unwrapInput(schema);
    if (inner.def.type !== 'object') throw new Error(`${path}: a REST route's input must be an object of path and query parameters`);
    return (inner as z.ZodObject).shape as Record<string, z.ZodType>;
  });
}

/** The fields declared as arrays; a field a query string cannot carry as declared stops the table. */
function arrayFields(path: string, shapes: Record<string, z.ZodType>[]): string[] {
  const arrays: string[] = [];
  for (const shape of shapes) {
    for (const [key, field] of Object.entries(shape)) {
      const inner = unwrap(field);
      const isArray = inner.def.type === 'array';
      if (isArray) arrays.push(key);
      const leaf = isArray ? unwrap((inner as z.ZodArray).element as z.ZodType) : inner;
      const kind = leaf.def.type;
      if (['number', 'boolean', 'bigint', 'date'].includes(kind) && !(leaf.def as { coerce?: boolean }).coerce) {
        throw new Error(`${path}: query field "${key}" is a ${kind}, which a query string only carries as text: declare it with z.coerce`);
      }
      if (kind === 'object') throw new Error(`${path}: query field "${key}" is an object, which a flat query string cannot carry`);
    }
  }
  return arrays;
}

/** A whole input may also be a pipe: its object is the side that is not a transform. */
function unwrapInput(schema: z.ZodType): z.ZodType {
  const s = unwrap(schema);
  if (s.def.type !== 'pipe') return s;
  const { in: from, out: to } = (s as z.ZodPipe<z.ZodType, z.ZodType>).def;
  return unwrapInput(to.def.type === 'transform' ? from : to);
}

/** Through optional, nullable, default and prefault wrappers (what trpc-to-openapi unwraps too). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (['optional', 'nullable', 'default', 'prefault'].includes(s.def.type)) s = (s as z.ZodOptional<z.ZodType>).def.innerType;
  return s;
}
