/** ‖x_i‖² of every row (row-major, `cols` wide): the norms of the expansion ‖a‖² + ‖b‖² − 2a·b that dot_rows serves. */
export function squaredNorms(rows: Float64Array, cols: number): Float64Array {
  const norms = new Float64Array(rows.length / cols);
  for (let i = 0; i < norms.length; i++) {
    let sum = 0;
    for (let c = i * cols; c < (i + 1) * cols; c++) sum += rows[c] * rows[c];
    norms[i] = sum;
  }
  return norms;
}
