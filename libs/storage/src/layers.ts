/** Storage layers of the brief (§6); each is its own bucket so access can be granted per layer. */
export const Layers = ['raw', 'silver', 'models', 'eval', 'monitor'] as const;
export type Layer = (typeof Layers)[number];

/** An object named the way events and audit rows name it: `<layer>/<key>`. */
export interface ObjectRef {
  layer: Layer;
  key: string;
}

export function formatRef(ref: ObjectRef): string {
  return `${ref.layer}/${ref.key}`;
}

export function parseRef(text: string): ObjectRef {
  const slash = text.indexOf('/');
  const layer = text.slice(0, slash) as Layer;
  if (slash <= 0 || !Layers.includes(layer) || slash === text.length - 1) {
    throw new Error(`not an object reference "<layer>/<key>" with layer one of ${Layers.join(', ')}: ${text}`);
  }
  return { layer, key: text.slice(slash + 1) };
}

export function bucketName(layer: Layer, prefix = ''): string {
  return prefix ? `${prefix}-${layer}` : layer;
}
