import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { jsonTextDeeperThan, MAX_BODY_DEPTH } from '../domain/nesting.js';
import { badInput } from '../errors.js';
import { MAX_RECORD_ID_LENGTH, MAX_RECORDS_PER_CALL } from '../records/records.service.js';
import type { Services } from '../services.js';
import { sendRestError } from './errors.js';
import type { RestApi, RouteSpec } from './rest-api.js';

/**
 * Records over REST, thin over the RecordsService methods GraphQL's `ingestRecords` and
 * `deleteRecords` call. The body is a JSON array, `{ "records": [...] }`, or NDJSON (one JSON
 * object a line, `application/x-ndjson`).
 */

export const NDJSON = 'application/x-ndjson';

const record = z.record(z.string(), z.unknown()).meta({
  description: `A record: \`owner\` (the end user it belongs to), \`at\` (ISO date or epoch ms; default now), an optional \`id\` (a string of at most ${MAX_RECORD_ID_LENGTH} characters or an integer: sent again for the same owner and dataset, it is not stored twice; ids are per owner), and any other fields.`,
});
const recordList = z.array(record).max(MAX_RECORDS_PER_CALL);
export const ingestBody = z.union([recordList, z.object({ records: recordList })]);

const datasetParams = z.object({ dataset: z.string().min(1).max(64) });

export const recordRouteSpecs = {
  ingest: {
    method: 'post',
    path: '/api/platform/v1/datasets/:dataset/records',
    summary: `Store records (at most ${MAX_RECORDS_PER_CALL} a call). Retry-safe for records that carry an \`id\`: sent again, they count as duplicates and are not stored twice.`,
    tag: 'Records',
    auth: 'apiKey',
    params: datasetParams,
    body: ingestBody,
    extraBodyTypes: [NDJSON],
    success: {
      status: 200,
      description: 'How many records were stored now, and how many were already stored (same `id`, same owner, same dataset).',
      schema: z.object({ inserted: z.number().int(), duplicates: z.number().int() }),
    },
  },
  erase: {
    method: 'delete',
    path: '/api/platform/v1/datasets/:dataset/records',
    summary: "Erase an owner's records in this dataset (an end user's erasure request). Needs data access to all of that owner's records.",
    tag: 'Records',
    auth: 'apiKey',
    params: datasetParams,
    query: z.object({ owner: z.string().min(1).max(200) }),
    success: { status: 200, description: 'How many records were erased.', schema: z.object({ deleted: z.number().int() }) },
  },
} satisfies Record<string, RouteSpec>;

/** Reads an NDJSON body (already read as text) into a list of values; blank lines are skipped. */
function parseNdjson(text: string): unknown[] {
  const values: unknown[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    // Measured on the text, before JSON.parse: nothing may walk a stack-breaking value.
    if (jsonTextDeeperThan(line, MAX_BODY_DEPTH)) throw badInput(`line ${index + 1}: nested deeper than ${MAX_BODY_DEPTH} levels.`);
    try {
      values.push(JSON.parse(line));
    } catch {
      throw badInput(`line ${index + 1}: not a JSON value.`);
    }
  });
  return values;
}

const ndjsonText = express.text({ type: NDJSON, limit: '2mb' });

/** For NDJSON bodies, replaces the text with the list of its lines' values before validation. */
function ndjsonBody(req: Request, res: Response, next: NextFunction): void {
  if (!req.is(NDJSON)) return next();
  ndjsonText(req, res, (error?: unknown) => {
    if (error) return next(error);
    try {
      req.body = parseNdjson(typeof req.body === 'string' ? req.body : '');
      next();
    } catch (parseError) {
      sendRestError(res, parseError, () => undefined);
    }
  });
}

/** Registers the record routes. */
export function recordRoutes(api: RestApi, services: Services): void {
  api.route(
    recordRouteSpecs.ingest,
    async ({ viewer, params, body }) => services.records.ingest(viewer, params.dataset, Array.isArray(body) ? body : body.records),
    ndjsonBody,
  );
  api.route(recordRouteSpecs.erase, async ({ viewer, params, query }) => ({
    deleted: await services.records.eraseOwner(viewer, query.owner, params.dataset),
  }));
}
