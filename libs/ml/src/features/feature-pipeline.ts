import { CompiledFeature, compileFeature } from './feature-encoders';
import { featureMatrix, FeatureMatrix } from './feature-matrix';
import { FEATURE_SPEC_VERSION, FeatureRecipe, FeatureSpec, featureNames, FlowRecord } from './feature-spec';
import { fitFeatureSpec } from './fit-feature-spec';
import { NETWORK_EVENT_FEATURES } from './network-event-features';

export class FeatureSpecError extends Error {
  override readonly name = 'FeatureSpecError';
}

/** Turns flow records into the model's float32 matrix, exactly as described by a fitted FeatureSpec. */
export class FeaturePipeline {
  readonly featureNames: readonly string[];
  readonly width: number;
  private readonly compiled: readonly CompiledFeature[];

  private constructor(readonly spec: FeatureSpec) {
    this.compiled = spec.features.map(compileFeature);
    this.featureNames = featureNames(spec);
    this.width = this.featureNames.length;
  }

  /** Fits the recipes (default: the NetworkEvent v1 flow features) on training records. */
  static fit(records: readonly FlowRecord[], recipes: readonly FeatureRecipe[] = NETWORK_EVENT_FEATURES): FeaturePipeline {
    return new FeaturePipeline(fitFeatureSpec(records, recipes));
  }

  /** Rebuilds the pipeline a model was trained with, e.g. from model.json or the ONNX metadata. */
  static fromSpec(spec: FeatureSpec): FeaturePipeline {
    assertFeatureSpec(spec);
    return new FeaturePipeline(spec);
  }

  transform(records: readonly FlowRecord[]): FeatureMatrix {
    const out = new Float32Array(records.length * this.width);
    this.transformInto(records, out, 0);
    return featureMatrix(out, this.width);
  }

  /** Writes rows starting at `firstRow` of a caller-owned buffer, for scoring loops that reuse one matrix. */
  transformInto(records: readonly FlowRecord[], out: Float32Array, firstRow: number): void {
    if ((firstRow + records.length) * this.width > out.length) throw new RangeError('output buffer too small for the records');
    const compiled = this.compiled;
    let offset = firstRow * this.width;
    for (let r = 0; r < records.length; r++) {
      const record = records[r];
      for (let f = 0; f < compiled.length; f++) {
        compiled[f].write(record, out, offset);
        offset += compiled[f].width;
      }
    }
  }

  toJSON(): FeatureSpec {
    return this.spec;
  }
}

const KINDS = new Set(['numeric', 'ratio', 'hour-of-day', 'one-hot', 'ordinal']);

function assertFeatureSpec(spec: FeatureSpec): void {
  if (spec?.version !== FEATURE_SPEC_VERSION) throw new FeatureSpecError(`unsupported feature spec version ${String(spec?.version)}`);
  if (!Array.isArray(spec.features) || spec.features.length === 0) throw new FeatureSpecError('feature spec has no features');
  for (const feature of spec.features) {
    if (!KINDS.has(feature.kind)) throw new FeatureSpecError(`unknown feature kind '${String(feature.kind)}'`);
    if ((feature.kind === 'one-hot' || feature.kind === 'ordinal') && !Array.isArray(feature.vocabulary)) {
      throw new FeatureSpecError(`feature '${feature.name}' has no vocabulary: categorical features must be fitted`);
    }
    if ((feature.kind === 'numeric' || feature.kind === 'ratio' || feature.kind === 'hour-of-day') && !Number.isFinite(feature.fill)) {
      throw new FeatureSpecError(`feature '${feature.name}' has no finite fill value`);
    }
  }
}
