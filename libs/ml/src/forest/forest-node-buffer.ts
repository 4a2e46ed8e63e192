import { ForestNodes } from './isolation-forest-model';

/** Append-only node storage sized for the worst case (2·maxSamples − 1 nodes per tree), trimmed once at the end. */
export class ForestNodeBuffer {
  private readonly feature: Int32Array;
  private readonly threshold: Float32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly size: Int32Array;
  private readonly pathLength: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float32Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.size = new Int32Array(capacity);
    this.pathLength = new Float64Array(capacity);
  }

  addLeaf(size: number, pathLength: number): number {
    const i = this.count++;
    this.feature[i] = -1;
    this.left[i] = -1;
    this.right[i] = -1;
    this.size[i] = size;
    this.pathLength[i] = pathLength;
    return i;
  }

  /** Reserves a split node before its children exist, so a tree is stored in pre-order. */
  addSplit(size: number, feature: number, threshold: number): number {
    const i = this.count++;
    this.feature[i] = feature;
    this.threshold[i] = threshold;
    this.size[i] = size;
    return i;
  }

  linkChildren(node: number, left: number, right: number): void {
    this.left[node] = left;
    this.right[node] = right;
  }

  toNodes(): ForestNodes {
    const n = this.count;
    return {
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      size: this.size.slice(0, n),
      pathLength: this.pathLength.slice(0, n),
    };
  }
}
