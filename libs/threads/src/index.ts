export * from './worker-pool';
export * from './thread-bytes';
