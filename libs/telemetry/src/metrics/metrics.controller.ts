import { Controller, Get, Header } from '@nestjs/common';
import { metricsRegistry } from './registry';

/** Prometheus scrape endpoint; the registry sets the exposition format's content type. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', metricsRegistry.contentType)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return metricsRegistry.metrics();
  }
}
