export { isFailedConnection, isSmallFlow, SMALL_FLOW_BYTES } from './connection-outcome';
export { flowObservation } from './flow-observation';
export { rowFactory, SourceWindows, WINDOW_FEATURES_VERSION, windowFeatureColumns } from './source-windows';
export type { FlowObservation, WindowFeatures } from './source-windows';
export { WindowSnapshotError } from './window-snapshot';
export { BUCKETS_PER_WINDOW, MAX_WINDOW_MS, windowSpecs } from './window-spec';
export type { WindowSpec } from './window-spec';
