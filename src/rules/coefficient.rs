//! The student-weighted difference coefficient (差异系数), DOMAIN §2.2.

/// CV of `(students, value)` pairs, weighted by students:
/// X̄ = ΣPᵢXᵢ / P, S = sqrt(ΣPᵢ(Xᵢ − X̄)² / P), CV = S / X̄.
/// `None` when there are no pupils or the mean is zero (the coefficient is undefined).
pub fn weighted_cv(pairs: &[(f64, f64)]) -> Option<f64> {
    let p: f64 = pairs.iter().map(|(w, _)| w).sum();
    if p <= 0.0 {
        return None;
    }
    let mean = pairs.iter().map(|(w, x)| w * x).sum::<f64>() / p;
    if mean <= 0.0 {
        return None;
    }
    let var = pairs.iter().map(|(w, x)| w * (x - mean).powi(2)).sum::<f64>() / p;
    Some(var.sqrt() / mean)
}

/// Student-weighted mean X̄ = ΣPᵢXᵢ / P.
pub fn weighted_mean(pairs: &[(f64, f64)]) -> Option<f64> {
    let p: f64 = pairs.iter().map(|(w, _)| w).sum();
    (p > 0.0).then(|| pairs.iter().map(|(w, x)| w * x).sum::<f64>() / p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_by_students_by_hand() {
        // Three schools: (P, X) = (100, 5), (300, 7), (600, 10).
        // P = 1000; X̄ = (500 + 2100 + 6000) / 1000 = 8.6
        // Σ P(X−X̄)² = 100·12.96 + 300·2.56 + 600·1.96 = 1296 + 768 + 1176 = 3240
        // S = sqrt(3240 / 1000) = sqrt(3.24) = 1.8; CV = 1.8 / 8.6 = 0.20930232558…
        let cv = weighted_cv(&[(100.0, 5.0), (300.0, 7.0), (600.0, 10.0)]).unwrap();
        assert!((cv - 1.8 / 8.6).abs() < 1e-12, "{cv}");
        assert!((cv - 0.209_302_325_6).abs() < 1e-9);
        // The unweighted CV of 5, 7, 10 differs: mean 7.333…, SD 2.0548…, CV 0.2802…
        assert!((cv - 0.2802).abs() > 0.05);
    }

    #[test]
    fn equal_values_give_zero_and_empty_gives_none() {
        assert_eq!(weighted_cv(&[(10.0, 3.0), (20.0, 3.0)]), Some(0.0));
        assert_eq!(weighted_cv(&[]), None);
        assert_eq!(weighted_cv(&[(10.0, 0.0)]), None);
    }
}
