// `npm run openapi`: writes docs/openapi.json, the OpenAPI 3.1 document generated from the zod
// schemas the handlers validate with (functions/shared/openapi). `--check` only compares.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { liandongOpenApiDocument } from '../functions/openapi/registry';
import { writeOrCheck } from './support/generated-doc';

export const OPENAPI_FILE = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));

/** The document as written: two-space JSON and a final newline. */
export const renderOpenApi = (): string => {
  const pkg = JSON.parse(
    readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
  ) as { version: string };
  return `${JSON.stringify(liandongOpenApiDocument(pkg.version), null, 2)}\n`;
};

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const text = renderOpenApi();
  const document = JSON.parse(text) as { paths: Record<string, Record<string, unknown>> };
  const operations = Object.values(document.paths).reduce(
    (sum, item) => sum + Object.keys(item).length,
    0,
  );
  writeOrCheck(
    OPENAPI_FILE,
    text,
    'npm run openapi',
    `wrote docs/openapi.json (${operations} operations)`,
  );
}
