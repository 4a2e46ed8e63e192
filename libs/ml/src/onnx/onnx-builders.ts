import { onnx } from 'onnx-proto';

const { AttributeType } = onnx.AttributeProto;
const { DataType } = onnx.TensorProto;
const utf8 = new TextEncoder();

export function intsAttribute(name: string, ints: ArrayLike<number>): onnx.IAttributeProto {
  return { name, type: AttributeType.INTS, ints: Array.from(ints) };
}

export function floatsAttribute(name: string, floats: ArrayLike<number>): onnx.IAttributeProto {
  return { name, type: AttributeType.FLOATS, floats: Array.from(floats) };
}

export function intAttribute(name: string, i: number): onnx.IAttributeProto {
  return { name, type: AttributeType.INT, i };
}

export function stringAttribute(name: string, s: string): onnx.IAttributeProto {
  return { name, type: AttributeType.STRING, s: utf8.encode(s) };
}

export function stringsAttribute(name: string, strings: readonly string[]): onnx.IAttributeProto {
  const encoded = new Map<string, Uint8Array>();
  return {
    name,
    type: AttributeType.STRINGS,
    strings: strings.map((s) => encoded.get(s) ?? encoded.set(s, utf8.encode(s)).get(s)!),
  };
}

export function floatScalar(name: string, value: number): onnx.ITensorProto {
  return { name, dataType: DataType.FLOAT, dims: [], floatData: [value] };
}

export function int64Tensor(name: string, values: readonly number[], dims: readonly number[] = []): onnx.ITensorProto {
  return { name, dataType: DataType.INT64, dims: [...dims], int64Data: [...values] };
}

/** A tensor type with a symbolic batch dimension `N` followed by fixed dimensions. */
export function batchTensor(name: string, elemType: onnx.TensorProto.DataType, fixedDims: readonly number[]): onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: [{ dimParam: 'N' }, ...fixedDims.map((dimValue) => ({ dimValue }))] } } },
  };
}

/**
 * A float64 tensor stored as raw little-endian bytes: a large initializer (stored training rows,
 * support vectors) encodes and loads far faster than as a repeated double field.
 */
export function doubleTensor(name: string, dims: readonly number[], values: Float64Array): onnx.ITensorProto {
  const expected = dims.reduce((product, d) => product * d, 1);
  if (values.length !== expected) throw new RangeError(`tensor '${name}' has ${values.length} values for dims [${dims.join(', ')}]`);
  const rawData = new Uint8Array(values.length * 8);
  const view = new DataView(rawData.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat64(i * 8, values[i], true);
  return { name, dataType: DataType.DOUBLE, dims: [...dims], rawData };
}

export function doubleScalar(name: string, value: number): onnx.ITensorProto {
  return doubleTensor(name, [], Float64Array.of(value));
}
