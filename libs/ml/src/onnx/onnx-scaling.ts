import { onnx } from 'onnx-proto';
import { StandardScaling } from '../preprocessing/standard-scaling';

/**
 * The standardisation a distance or kernel model applies before anything else (the `scaling_mean` and
 * `scaling_scale` initializers preparedInput writes), read back from exported bytes; null for a model
 * that reads its columns as given (every isolation forest). It lets a consumer holding only the .onnx
 * measure a row in the units the model measures it in.
 */
export function readOnnxScaling(bytes: Uint8Array): StandardScaling | null {
  const initializers = onnx.ModelProto.decode(bytes).graph?.initializer ?? [];
  const mean = initializers.find((t) => t.name === 'scaling_mean');
  const scale = initializers.find((t) => t.name === 'scaling_scale');
  if (!mean || !scale) return null;
  return { mean: doublesOf(mean), scale: doublesOf(scale) };
}

function doublesOf(tensor: onnx.ITensorProto): Float64Array {
  if (tensor.dataType !== onnx.TensorProto.DataType.DOUBLE) throw new RangeError(`initializer '${tensor.name}' is not a double tensor`);
  if (tensor.rawData && tensor.rawData.length > 0) {
    const view = new DataView(tensor.rawData.buffer, tensor.rawData.byteOffset, tensor.rawData.byteLength);
    return Float64Array.from({ length: tensor.rawData.byteLength / 8 }, (_, i) => view.getFloat64(i * 8, true));
  }
  return Float64Array.from(tensor.doubleData ?? []);
}
