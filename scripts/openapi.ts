// `npm run openapi`: writes docs/openapi.json, the OpenAPI 3.1 document generated from the zod
// schemas the handlers validate with (functions/shared/openapi). `--check` only compares.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { liandongOpenApiDocument } from '../functions/openapi/registry';

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
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(OPENAPI_FILE, 'utf8');
    } catch {
      // missing: out of date
    }
    if (current !== text) {
      console.error('docs/openapi.json is out of date: run npm run openapi');
      process.exit(1);
    }
    console.log('docs/openapi.json is up to date');
  } else {
    writeFileSync(OPENAPI_FILE, text);
    const document = JSON.parse(text) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(document.paths).reduce(
      (sum, item) => sum + Object.keys(item).length,
      0,
    );
    console.log(`wrote docs/openapi.json (${operations} operations)`);
  }
}
