//! The small dense linear algebra of calibration: normal equations and Gaussian
//! elimination with partial pivoting (the systems have one row per calibration total).

/// X'VX of the model matrix (v = 1 when None).
#[allow(clippy::needless_range_loop)] // matrix indices read as the algebra
pub(crate) fn cross(x: &[Vec<f64>], v: Option<&[f64]>) -> Vec<Vec<f64>> {
    let p = x.first().map_or(0, |r| r.len());
    let mut a = vec![vec![0.0; p]; p];
    for (i, row) in x.iter().enumerate() {
        let vi = v.map_or(1.0, |v| v[i]);
        for j in 0..p {
            let xj = vi * row[j];
            for k in j..p {
                a[j][k] += xj * row[k];
            }
        }
    }
    for j in 0..p {
        for k in 0..j {
            a[j][k] = a[k][j];
        }
    }
    a
}

/// The coefficients b minimising Σ v_i (y_i − x_i·b)² (v = 1 when None); Err(column)
/// when the columns are collinear.
pub(crate) fn solve_normal(
    x: &[Vec<f64>],
    y: &[f64],
    v: Option<&[f64]>,
) -> Result<Vec<f64>, usize> {
    let p = x.first().map_or(0, |r| r.len());
    let mut xty = vec![0.0; p];
    for (i, row) in x.iter().enumerate() {
        let vi = v.map_or(1.0, |v| v[i]);
        for j in 0..p {
            xty[j] += vi * row[j] * y[i];
        }
    }
    gauss(cross(x, v), xty)
}

/// Least squares for the variance's residuals (collinear columns give zero coefficients).
pub(crate) fn least_squares(x: &[Vec<f64>], y: &[f64], v: Option<&[f64]>) -> Vec<f64> {
    solve_normal(x, y, v).unwrap_or_else(|_| vec![0.0; x.first().map_or(0, |r| r.len())])
}

/// Gaussian elimination with partial pivoting; Err(column) when singular.
#[allow(clippy::needless_range_loop)] // matrix indices read as the algebra
pub(crate) fn gauss(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Result<Vec<f64>, usize> {
    let p = b.len();
    let scale: f64 = (0..p).map(|j| a[j][j].abs()).fold(0.0, f64::max);
    for col in 0..p {
        let pivot = (col..p)
            .max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))
            .expect("rows");
        if a[pivot][col].abs() <= 1e-12 * scale.max(1e-300) {
            return Err(col);
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for r in 0..p {
            if r != col {
                let f = a[r][col] / a[col][col];
                if f != 0.0 {
                    for k in col..p {
                        a[r][k] -= f * a[col][k];
                    }
                    b[r] -= f * b[col];
                }
            }
        }
    }
    Ok((0..p).map(|j| b[j] / a[j][j]).collect())
}
