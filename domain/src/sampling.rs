//! Reproducible random samples, for the quality evaluation of closed cases: the same
//! population, share and seed always give the same sample, on any machine, so that an
//! evaluation can be checked afterwards.

/// FNV-1a, 64 bits: small, stable across platforms and versions (unlike std's hasher).
fn fnv1a(seed: u64, text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.to_le_bytes().iter().chain(text.as_bytes()) {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// How many of `population` a share takes: rounded up, at least one of a non-empty
/// population.
pub fn sample_size(population: usize, share: f64) -> usize {
    if population == 0 {
        return 0;
    }
    // A tiny tolerance keeps 100 × 0.07 (7.000000000000001 in floating point) at 7.
    ((population as f64 * share - 1e-9).ceil() as usize).clamp(1, population)
}

/// Draws `share` (0 < share ≤ 1) of `ids`: those ranked first by a seeded hash of the id.
/// The result is in the order of `ids`.
pub fn draw(ids: &[String], share: f64, seed: u64) -> Vec<&str> {
    let n = sample_size(ids.len(), share);
    let mut ranked: Vec<(u64, usize)> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (fnv1a(seed, id), i))
        .collect();
    ranked.sort_unstable();
    let mut chosen: Vec<usize> = ranked.into_iter().take(n).map(|(_, i)| i).collect();
    chosen.sort_unstable();
    chosen.into_iter().map(|i| ids[i].as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("case-{i:04}")).collect()
    }

    #[test]
    fn the_same_inputs_give_the_same_sample() {
        let population = ids(200);
        let a = draw(&population, 0.1, 2026);
        assert_eq!(a.len(), 20);
        assert_eq!(a, draw(&population, 0.1, 2026));
        assert_ne!(
            a,
            draw(&population, 0.1, 2027),
            "another seed, another sample"
        );
    }

    #[test]
    fn sizes_round_up_and_stay_within_the_population() {
        assert_eq!(sample_size(0, 0.1), 0);
        assert_eq!(sample_size(5, 0.1), 1);
        assert_eq!(sample_size(11, 0.1), 2);
        assert_eq!(sample_size(7, 1.0), 7);
        assert_eq!(sample_size(100, 0.07), 7);
        assert_eq!(sample_size(50, 0.14), 7);
        assert_eq!(draw(&ids(3), 1.0, 1).len(), 3);
    }

    #[test]
    fn a_known_value_never_changes() {
        // Pinned so that a change of the hash, which would change past samples, is noticed.
        assert_eq!(fnv1a(0, ""), 0xa8c7_f832_281a_39c5);
    }
}
