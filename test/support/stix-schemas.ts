import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';

/** The OASIS STIX 2.1 JSON schemas, kept beside the repository (../shared/specs), not in it. */
const SCHEMAS = fileURLToPath(new URL('../../../shared/specs/stix2.1-json-schemas/', import.meta.url));
export const haveSchemas = existsSync(join(SCHEMAS, 'schemas')) && existsSync(join(SCHEMAS, 'interop'));
if (!haveSchemas) console.warn(`STIX validation tests SKIPPED: the OASIS STIX 2.1 JSON schemas are not at ${SCHEMAS} (../shared/specs/stix2.1-json-schemas).`);

export const BASE = 'http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/';
export type StixObject = Record<string, unknown> & { type: string; id: string; created?: string; modified?: string };

/**
 * Every schema file of both sets, each under the $id its path gives: upstream's
 * interop/course-of-action.json declares interop/campaign.json's $id, and its relative
 * references resolve the same either way.
 */
export function validator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
  // A CommonJS module whose default export TypeScript sees as a namespace.
  (ajvFormats as unknown as { default: (ajv: Ajv2020) => void }).default(ajv);
  for (const set of ['schemas', 'interop']) {
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []));
    for (const file of walk(join(SCHEMAS, set))) ajv.addSchema({ ...JSON.parse(readFileSync(file, 'utf8')), $id: BASE + file.slice(SCHEMAS.length) });
  }
  return ajv;
}


const OWN_SCHEMA_FOLDER: Record<string, string> = { identity: 'sdos', grouping: 'sdos', note: 'sdos', opinion: 'sdos', report: 'sdos' };

/** Each object checked against its own schema and the interop profile's (identity has none there); what they refuse, and the schema missing for a type. */
export function schemaErrors(ajv: ReturnType<typeof validator>, objects: StixObject[]): string[] {
  const errors: string[] = [];
  for (const object of objects) {
    const { id } = object;
    const own = ajv.getSchema(`${BASE}schemas/${OWN_SCHEMA_FOLDER[object.type] ?? 'common'}/${object.type}.json`);
    if (!own) errors.push(`${object.id}: no schema for ${object.type}`);
    for (const set of ['schemas', 'interop']) {
      const validate = set === 'schemas' ? own : ajv.getSchema(`${BASE}interop/${object.type}.json`);
      if (validate && !validate(object)) errors.push(`${id} against ${set}: ${ajv.errorsText(validate.errors)}`);
    }
  }
  return errors;
}
