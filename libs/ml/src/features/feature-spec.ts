/**
 * How raw flow records become model columns. A *recipe* says what to compute; fitting it on training
 * records learns the data-dependent parts (category vocabularies, fill values) and yields a *spec*,
 * plain JSON stored with the model (model.json and the ONNX metadata), so scoring applies exactly
 * what training applied.
 */

/**
 * log1p for byte/packet/duration counters: isolation trees split uniformly between a node's min and max,
 * so on a heavy-tailed raw counter nearly every split would only peel off the few largest flows.
 */
export type NumericTransform = 'identity' | 'log1p';

/** A field read as a number; anything that is not a finite number after the transform counts as missing. */
export interface NumericRecipe {
  readonly kind: 'numeric';
  readonly name: string;
  readonly field: string;
  readonly transform: NumericTransform;
}

/**
 * sum(numerator fields) / max(sum(denominator fields), 1), then the transform. Counters are integers, so
 * the max(·, 1) only changes a zero denominator: a flow with bytes but no packets keeps its (large) byte
 * count instead of becoming a division by zero.
 */
export interface RatioRecipe {
  readonly kind: 'ratio';
  readonly name: string;
  readonly numerator: readonly string[];
  readonly denominator: readonly string[];
  readonly transform: NumericTransform;
}

/** UTC hour 0–23 of an epoch-milliseconds number or ISO-8601 string. */
export interface HourOfDayRecipe {
  readonly kind: 'hour-of-day';
  readonly name: string;
  readonly field: string;
}

/**
 * One column per vocabulary entry plus `<name>=other`. Without a fixed vocabulary, fitting keeps the
 * `maxCategories` most frequent values seen in training.
 */
export interface OneHotRecipe {
  readonly kind: 'one-hot';
  readonly name: string;
  readonly field: string;
  readonly vocabulary?: readonly string[];
  readonly maxCategories?: number;
}

/**
 * One column holding the category's position in the vocabulary. A learned vocabulary is ordered by
 * descending training frequency, so rare categories sit at the high end of the code range where a
 * single random split can isolate them, as isolation wants for rare values.
 */
export interface OrdinalRecipe {
  readonly kind: 'ordinal';
  readonly name: string;
  readonly field: string;
  readonly vocabulary?: readonly string[];
  readonly maxCategories?: number;
}

export type FeatureRecipe = NumericRecipe | RatioRecipe | HourOfDayRecipe | OneHotRecipe | OrdinalRecipe;

/** `fill` replaces a missing or non-finite value: the training median of the (transformed) feature. */
export type FittedNumeric = NumericRecipe & { readonly fill: number };
export type FittedRatio = RatioRecipe & { readonly fill: number };
export type FittedHourOfDay = HourOfDayRecipe & { readonly fill: number };
export type FittedOneHot = Omit<OneHotRecipe, 'maxCategories'> & { readonly vocabulary: readonly string[] };
export type FittedOrdinal = Omit<OrdinalRecipe, 'maxCategories'> & { readonly vocabulary: readonly string[] };

export type FittedFeature = FittedNumeric | FittedRatio | FittedHourOfDay | FittedOneHot | FittedOrdinal;

export const FEATURE_SPEC_VERSION = 1;

export interface FeatureSpec {
  readonly version: typeof FEATURE_SPEC_VERSION;
  readonly features: readonly FittedFeature[];
}

/**
 * A record as read from `network.events` or a SILVER row. Fields are read by name and values may be of any
 * JSON type; `object` rather than an index-signature type so interfaces (NetworkEvent, row DTOs) fit as-is.
 */
export type FlowRecord = object;

export const OTHER_CATEGORY = 'other';
/** Ordinal code for a missing field; unknown (non-vocabulary) values get `vocabulary.length`. */
export const MISSING_ORDINAL = -1;

/** Column names in matrix order; a one-hot recipe expands to `name=value` columns then `name=other`. */
export function featureNames(spec: FeatureSpec): string[] {
  const names: string[] = [];
  for (const feature of spec.features) {
    if (feature.kind === 'one-hot') {
      for (const value of feature.vocabulary) names.push(`${feature.name}=${value}`);
      names.push(`${feature.name}=${OTHER_CATEGORY}`);
    } else {
      names.push(feature.name);
    }
  }
  return names;
}

/** The record fields a spec reads, sorted: what a reader of SILVER needs to load for the model. */
export function featureFields(spec: Pick<FeatureSpec, 'features'>): string[] {
  const fields = new Set<string>();
  for (const feature of spec.features) {
    if (feature.kind === 'ratio') for (const field of [...feature.numerator, ...feature.denominator]) fields.add(field);
    else fields.add(feature.field);
  }
  return [...fields].sort();
}
