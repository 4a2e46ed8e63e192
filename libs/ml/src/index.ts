export * from './features';
export * from './forest';
export * from './onnx';
export * from './scoring';
export * from './drift';
export * from './metrics';
export * from './explain';
