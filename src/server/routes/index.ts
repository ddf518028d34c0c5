import { z } from 'zod';
import { openApiDocument } from '../openapi.js';
import { defineRoute, json, type Route } from '../route.js';
import { analysesRoute, resultRoute, resultsRoute, tableCsvRoute } from './analysis-routes.js';
import { customerByQueryRoute, customerRoute, customersRoute, segmentsRoute } from './customer-routes.js';
import { exportScoresRoute, whatIfRoute } from './scoring-routes.js';
import { healthRoute, homeRoute, statusPageRoute, statusRoute, versionsRoute } from './workspace-routes.js';
import { addChangeRoute, changesRoute, eraseRoute, importJobRoute, removeChangeRoute, startImportRoute } from './write-routes.js';

const openApiRoute = defineRoute({
  method: 'GET',
  path: '/openapi.json',
  operationId: 'openApi',
  summary: 'This document: the OpenAPI 3.1 description of every endpoint, generated from the route table the server answers with.',
  tag: 'workspace',
  access: 'read',
  query: z.strictObject({}),
  params: z.strictObject({}),
  responses: [{ status: 200, description: 'The OpenAPI document.' }],
  handle: async () => json(openApiDocument(ROUTES)),
});

/** Every endpoint: the router answers from this table and /openapi.json documents it. */
export const ROUTES: readonly Route[] = [
  healthRoute,
  statusRoute,
  versionsRoute,
  analysesRoute,
  resultsRoute,
  resultRoute,
  tableCsvRoute,
  customersRoute,
  customerRoute,
  customerByQueryRoute,
  segmentsRoute,
  whatIfRoute,
  exportScoresRoute,
  changesRoute,
  addChangeRoute,
  removeChangeRoute,
  startImportRoute,
  importJobRoute,
  eraseRoute,
  openApiRoute,
  homeRoute,
  statusPageRoute,
];
