import { AnomalyDetectedData } from '@flowsentry/contracts';
import { FeatureSpec, featureNames } from '@flowsentry/ml';
import { SilverRows, SilverValue } from '@flowsentry/storage';
import { TypicalRange } from './typical-ranges';

export type AnomalyReason = AnomalyDetectedData['reasons'][number];

/** Reasons per anomaly: the five features that isolated it most are what an analyst reads; the rest share what is left. */
export const MAX_REASONS = 5;

/**
 * The features that made a flow anomalous, most important first: the model's feature names, the
 * flow's value of each (in the model's units: the log1p of a count for a log1p feature), its
 * share of the isolation (the path attribution, summing to 1 over all features) and the typical
 * range of the champion's training data. Features with no share are not reasons; ties go to the
 * feature first in the model's order, so the list is a function of the flow alone.
 */
export function rankReasons(
  contributions: ArrayLike<number>,
  names: readonly string[],
  values: ReadonlyArray<number | null>,
  ranges: ReadonlyMap<string, TypicalRange>,
  limit = MAX_REASONS,
): AnomalyReason[] {
  const order = Array.from({ length: names.length }, (_, j) => j)
    .filter((j) => contributions[j]! > 0)
    .sort((a, b) => contributions[b]! - contributions[a]! || a - b)
    .slice(0, limit);
  return order.map((j) => {
    const feature = names[j]!;
    const range = ranges.get(feature);
    return {
      feature,
      value: values[j] ?? null,
      contribution: contributions[j]!,
      ...(range ? { typicalLow: range.low, typicalHigh: range.high } : {}),
    };
  });
}

/**
 * One flow's value of each model feature, computed in double precision from its SILVER columns
 * (the matrix holds float32 copies, whose extra digits would only be noise in a report). null
 * where the flow had no value (the model used the training median) or where the feature is not
 * a number an analyst can read (an ordinal code: the category is on the event itself).
 */
export class ModelFeatureValues {
  private readonly readers: Array<(row: number) => number | null>;

  constructor(spec: FeatureSpec, rows: Pick<SilverRows, 'names' | 'columns'>) {
    const column = (field: string): readonly SilverValue[] | undefined => {
      const index = rows.names.indexOf(field);
      return index < 0 ? undefined : rows.columns[index];
    };
    this.readers = [];
    for (const feature of spec.features) {
      if (feature.kind === 'numeric') {
        const values = column(feature.field);
        const transform = feature.transform === 'log1p' ? Math.log1p : (x: number) => x;
        this.readers.push((row) => {
          const raw = values?.[row];
          const x = typeof raw === 'number' ? transform(raw) : typeof raw === 'bigint' ? transform(Number(raw)) : NaN;
          return Number.isFinite(x) ? x : null;
        });
      } else if (feature.kind === 'one-hot') {
        for (let k = 0; k <= feature.vocabulary.length; k++) this.readers.push(() => null);
      } else {
        this.readers.push(() => null);
      }
    }
    if (this.readers.length !== featureNames(spec).length) throw new Error('feature readers out of step with the feature names');
  }

  of(row: number): Array<number | null> {
    return this.readers.map((read) => read(row));
  }
}
