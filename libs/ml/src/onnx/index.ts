export { exportOnnx, ONNX_INPUT, ONNX_OUTPUTS } from './export-onnx';
export type { OnnxExportMetadata } from './export-onnx';
export { exportLocalOutlierFactorOnnx } from './export-local-outlier-factor-onnx';
export { exportOneClassSvmOnnx } from './export-one-class-svm-onnx';
export { readOnnxMetadata, ONNX_METADATA_KEYS, ONNX_MODEL_FORMAT, ANOMALY_ALGORITHMS, OnnxMetadataError } from './onnx-metadata';
export type { OnnxModelMetadata, AnomalyAlgorithm } from './onnx-metadata';
export { readOnnxScaling } from './onnx-scaling';
