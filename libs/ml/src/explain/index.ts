export { PathAttribution } from './path-attribution';
export type { AttributionMatrix } from './path-attribution';
export { AttributionModelError } from './attribution-forest';
