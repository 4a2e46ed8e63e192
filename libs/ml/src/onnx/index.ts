export { exportOnnx, ONNX_INPUT, ONNX_OUTPUTS } from './export-onnx';
export type { OnnxExportMetadata } from './export-onnx';
export { readOnnxMetadata, ONNX_METADATA_KEYS, ONNX_MODEL_FORMAT, OnnxMetadataError } from './onnx-metadata';
export type { OnnxModelMetadata } from './onnx-metadata';
