export * from './entities';
export * from './migrations';
export * from './audit-settings';
export * from './data-source';
export * from './repositories/run-ledger';
export * from './repositories/processed-events';
export * from './repositories/ingestion-batches';
export * from './registry';
