export * from './layers';
export * from './object-keys';
export * from './checksum';
export * from './storage-settings';
export * from './object-store';
export * from './parquet';
export * from './silver';
export * from './model-object';
