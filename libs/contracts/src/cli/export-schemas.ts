import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { exportJsonSchemas } from '../json-schema';

/** `npm run schemas`: writes docs/schemas/*.json from the zod contracts. */
const outDir = resolve(process.argv[2] ?? 'docs/schemas');
mkdirSync(outDir, { recursive: true });
for (const [file, schema] of Object.entries(exportJsonSchemas())) {
  writeFileSync(join(outDir, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${join(outDir, file)}`);
}
