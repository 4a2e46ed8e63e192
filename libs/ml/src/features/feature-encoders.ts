import { applyTransform, readField, readHourOfDay, readNumber, readSum } from './field-readers';
import { FittedFeature, FlowRecord, MISSING_ORDINAL } from './feature-spec';

/** Writes one fitted feature's column(s) for one record at `out[offset…]`; returns the column count. */
export type ColumnWriter = (record: FlowRecord, out: Float32Array, offset: number) => void;

export interface CompiledFeature {
  readonly width: number;
  readonly write: ColumnWriter;
}

/**
 * Missing-value rules, applied identically at training and scoring time:
 * - numeric, ratio, hour-of-day: an absent field, a non-number, or a non-finite result takes the spec's
 *   `fill` (the training median), so the model never sees NaN from the pipeline;
 * - one-hot: an absent (undefined/null) field is all zeros; a value outside the vocabulary sets `=other`;
 * - ordinal: absent → −1; outside the vocabulary → vocabulary.length.
 * Absent and unknown stay distinguishable because "no conn_state" (e.g. a UDP sensor) and "a state we
 * never trained on" are different situations.
 */
export function compileFeature(feature: FittedFeature): CompiledFeature {
  switch (feature.kind) {
    case 'numeric': {
      const { field, transform, fill } = feature;
      return {
        width: 1,
        write: (record, out, offset) => {
          const v = applyTransform(readNumber(record, field), transform);
          out[offset] = Number.isFinite(v) ? v : fill;
        },
      };
    }
    case 'ratio': {
      const { numerator, denominator, transform, fill } = feature;
      return {
        width: 1,
        write: (record, out, offset) => {
          const v = applyTransform(readSum(record, numerator) / Math.max(readSum(record, denominator), 1), transform);
          out[offset] = Number.isFinite(v) ? v : fill;
        },
      };
    }
    case 'hour-of-day': {
      const { field, fill } = feature;
      return {
        width: 1,
        write: (record, out, offset) => {
          const v = readHourOfDay(record, field);
          out[offset] = Number.isFinite(v) ? v : fill;
        },
      };
    }
    case 'one-hot': {
      const { field } = feature;
      const index = vocabularyIndex(feature.vocabulary);
      const width = feature.vocabulary.length + 1;
      return {
        width,
        write: (record, out, offset) => {
          out.fill(0, offset, offset + width);
          const value = readField(record, field);
          if (value === undefined || value === null) return;
          out[offset + (typeof value === 'string' ? (index.get(value) ?? width - 1) : width - 1)] = 1;
        },
      };
    }
    case 'ordinal': {
      const { field } = feature;
      const index = vocabularyIndex(feature.vocabulary);
      const unknown = feature.vocabulary.length;
      return {
        width: 1,
        write: (record, out, offset) => {
          const value = readField(record, field);
          if (value === undefined || value === null) out[offset] = MISSING_ORDINAL;
          else out[offset] = typeof value === 'string' ? (index.get(value) ?? unknown) : unknown;
        },
      };
    }
  }
}

function vocabularyIndex(vocabulary: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  vocabulary.forEach((value, i) => index.set(value, i));
  return index;
}
