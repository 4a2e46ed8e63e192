import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJsonSchemas } from './json-schema';

describe('JSON Schema export', () => {
  it('matches the schemas committed under docs/schemas (run `npm run schemas` after changing a contract)', () => {
    for (const [file, schema] of Object.entries(exportJsonSchemas())) {
      const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'docs', 'schemas', file), 'utf8'));
      expect(committed).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('describes the NetworkEvent ranges a consumer needs to know', () => {
    const schema = exportJsonSchemas()['network-event.v1.json'] as { properties: Record<string, { minimum?: number; maximum?: number }>; required: string[] };
    expect(schema.properties.dst_port).toMatchObject({ minimum: 0, maximum: 65535 });
    expect(schema.required).toEqual(expect.arrayContaining(['ts', 'sensor_id', 'src_ip', 'dst_ip', 'protocol', 'bytes_in']));
    expect(schema.required).not.toContain('label');
  });
});
