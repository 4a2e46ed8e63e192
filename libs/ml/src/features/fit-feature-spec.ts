import { applyTransform, readField, readHourOfDay, readNumber, readSum } from './field-readers';
import { FEATURE_SPEC_VERSION, FeatureRecipe, FeatureSpec, FittedFeature, FlowRecord } from './feature-spec';

export const DEFAULT_MAX_CATEGORIES = 32;

/** Learns what each recipe needs from the training records: fill values and category vocabularies. */
export function fitFeatureSpec(records: readonly FlowRecord[], recipes: readonly FeatureRecipe[]): FeatureSpec {
  assertUniqueNames(recipes);
  return { version: FEATURE_SPEC_VERSION, features: recipes.map((recipe) => fitFeature(records, recipe)) };
}

function fitFeature(records: readonly FlowRecord[], recipe: FeatureRecipe): FittedFeature {
  switch (recipe.kind) {
    case 'numeric':
      return { ...recipe, fill: medianOf(records, (r) => applyTransform(readNumber(r, recipe.field), recipe.transform)) };
    case 'ratio':
      return {
        ...recipe,
        fill: medianOf(records, (r) =>
          applyTransform(readSum(r, recipe.numerator) / Math.max(readSum(r, recipe.denominator), 1), recipe.transform),
        ),
      };
    case 'hour-of-day':
      return { ...recipe, fill: medianOf(records, (r) => readHourOfDay(r, recipe.field)) };
    case 'one-hot':
    case 'ordinal': {
      const { maxCategories, ...rest } = recipe;
      const vocabulary = recipe.vocabulary ?? frequentCategories(records, recipe.field, maxCategories ?? DEFAULT_MAX_CATEGORIES);
      return { ...rest, vocabulary: [...vocabulary] };
    }
  }
}

/**
 * Median of the finite values: robust to the heavy tails of flow counters, and a typical value is the
 * least surprising thing to put where data is missing (it neither isolates nor hides a row).
 * 0 when no training record has the field.
 */
function medianOf(records: readonly FlowRecord[], read: (record: FlowRecord) => number): number {
  const values = new Float64Array(records.length);
  let n = 0;
  for (const record of records) {
    const v = read(record);
    if (Number.isFinite(v)) values[n++] = v;
  }
  if (n === 0) return 0;
  const sorted = values.subarray(0, n).sort();
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Most frequent string values first; ties broken by value so the vocabulary is deterministic. */
function frequentCategories(records: readonly FlowRecord[], field: string, maxCategories: number): string[] {
  const counts = new Map<string, number>();
  for (const record of records) {
    const value = readField(record, field);
    if (typeof value === 'string') counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxCategories)
    .map(([value]) => value);
}

function assertUniqueNames(recipes: readonly FeatureRecipe[]): void {
  const seen = new Set<string>();
  for (const recipe of recipes) {
    if (seen.has(recipe.name)) throw new RangeError(`duplicate feature name '${recipe.name}'`);
    seen.add(recipe.name);
  }
}
