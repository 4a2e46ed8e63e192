import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { counter } from './metric-factories';
import { MetricsController } from './metrics.controller';
import { labelMetricsWithService } from './registry';

@Module({ controllers: [MetricsController] })
class MetricsOnlyModule {}

describe('GET /metrics', () => {
  let app: INestApplication;
  let baseUrl: string;
  beforeAll(async () => {
    app = await NestFactory.create(MetricsOnlyModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });
  afterAll(() => app.close());

  it('serves registered metrics in the Prometheus text format, labelled with the service', async () => {
    labelMetricsWithService('ingest');
    counter('spec_scraped_events_total', 'Events for the scrape spec', ['topic']).inc({ topic: 'network.events' });

    const response = await fetch(`${baseUrl}/metrics`);

    expect(response.status).toBe(200);
    const contentType = response.headers.get('content-type') ?? '';
    expect(contentType.split(';')[0]).toBe('text/plain');
    expect(contentType).toContain('version=0.0.4');
    const body = await response.text();
    expect(body).toContain('# TYPE spec_scraped_events_total counter');
    expect(body).toContain('spec_scraped_events_total{topic="network.events",service="flowsentry-ingest"} 1');
  });
});
