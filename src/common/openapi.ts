import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';

const PROBLEM_JSON = 'application/problem+json';

/** An error, as RFC 9457 problem details. Some carry extra members that help resolve them. */
export class ProblemDetails {
  @ApiProperty({ example: 'about:blank' })
  type: string;
  @ApiProperty({ example: 'Conflict' })
  title: string;
  @ApiProperty({ example: 409 })
  status: number;
  /** What went wrong, for a person. */
  @ApiProperty()
  detail: string;
  /** The request path. */
  @ApiPropertyOptional()
  instance?: string;
}

export class FieldErrorDetails {
  /** The field, parameter or header, e.g. `appearances[2].quote`. */
  @ApiProperty()
  field: string;
  @ApiProperty({ type: [String] })
  messages: string[];
}

/** 400 and 422: `errors` names every field at fault. */
export class ValidationProblemDetails extends ProblemDetails {
  @ApiProperty({ type: [FieldErrorDetails] })
  errors: FieldErrorDetails[];
}

/** A 409 about a duplicate: `existingId` names the record that exists. */
export class DuplicateProblemDetails extends ProblemDetails {
  @ApiPropertyOptional({ format: 'uuid' })
  existingId?: string;
}

/** 412: the record changed since the ETag given in If-Match. */
export class StaleEtagProblemDetails extends ProblemDetails {
  /** The ETag the record has now. */
  @ApiProperty()
  currentEtag: string;
}

type ProblemType = typeof ProblemDetails;
export type ProblemSpec = string | [ProblemType, string];

/**
 * The problems a route answers beyond those every route may (400, 401/403, 404, 413,
 * 503, added to the document by `completeDocument`): status → why, or [schema, why].
 */
export function ApiProblems(problems: Record<number, ProblemSpec>) {
  const entries = Object.entries(problems).map(([status, spec]) => {
    const [type, description] = typeof spec === 'string' ? [Number(status) === 422 ? ValidationProblemDetails : ProblemDetails, spec] : spec;
    return { status: Number(status), type, description };
  });
  return applyDecorators(
    ApiExtraModels(...new Set(entries.map((entry) => entry.type))),
    ...entries.map(({ status, type, description }) =>
      ApiResponse({ status, description, content: { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(type) } } } }),
    ),
  );
}

/** Problems any route may answer, by when they apply. */
const GENERAL_PROBLEMS: { status: number; applies: (op: { secured: boolean; path: string; body: boolean }) => boolean; description: string }[] = [
  { status: 400, applies: () => true, description: 'Malformed request: a field, parameter or header is invalid, missing or not one this route takes (`errors` names each).' },
  { status: 401, applies: (op) => op.secured, description: 'No credentials, or invalid, expired or revoked ones.' },
  { status: 403, applies: (op) => op.secured, description: 'The credentials do not allow this (role, or API key scope).' },
  { status: 404, applies: (op) => op.path.includes('{'), description: 'No such record.' },
  { status: 413, applies: (op) => op.body, description: 'The body is larger than BODY_LIMIT bytes.' },
  { status: 503, applies: () => true, description: 'The database is unavailable or saturated, or the service is shutting down: retry after `Retry-After` seconds.' },
];

type Operation = {
  security?: unknown[];
  requestBody?: unknown;
  responses: Record<string, { description?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
};

/** Schemas the completed document refers to: pass as `extraModels` when creating it. */
export const PROBLEM_MODELS = [ProblemDetails, ValidationProblemDetails];

/** Paths whose errors are not problem+json but a protocol's own (TAXII's error messages). */
export interface ErrorFormat {
  pathPrefix: string;
  mediaType: string;
  schema: Function;
}

/**
 * What Nest's document leaves out and typed clients and linters need: every operation's
 * error responses with their problem schema (or their protocol's), `security: []` on public routes, a server.
 */
export function completeDocument(document: OpenAPIObject, server: string, errorFormats: ErrorFormat[] = []): OpenAPIObject {
  document.servers = [{ url: server }];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (!operation?.responses) continue;
      operation.security ??= [];
      const shape = { secured: operation.security.length > 0, path, body: operation.requestBody !== undefined };
      for (const { status, applies, description } of GENERAL_PROBLEMS) {
        if (applies(shape)) operation.responses[status] ??= { description };
      }
      const format = errorFormats.find((f) => path.startsWith(f.pathPrefix));
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400) continue;
        const schema = format?.schema ?? (Number(status) === 400 || Number(status) === 422 ? ValidationProblemDetails : ProblemDetails);
        const mediaType = format?.mediaType ?? PROBLEM_JSON;
        // Nest writes declared errors in the operation's success media type (or application/json); they are sent as `mediaType`.
        const declared = response.content && Object.values(response.content)[0];
        response.content = { [mediaType]: declared ?? { schema: { $ref: getSchemaPath(schema) } } };
        if (Number(status) === 503 || Number(status) === 429) response.headers = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } };
      }
    }
  }
  return document;
}
