//! What a reader can narrow a withheld figure to by combining every identity at once
//! (bounds propagation).

use super::identity::Identity;

/// Above any count: a figure not bounded from above.
pub(super) const UNBOUNDED: i64 = i64::MAX / 4;

/// Passes over the identities after which bounds propagation stops even if it still moves
/// (each pass only narrows soundly, so stopping early leaves the bounds wider, never wrong).
pub(super) const MAX_SWEEPS: usize = 200;

/// The sum of one side's least values, and of its most values with how many are unbounded.
struct Side {
    least: i64,
    most: i64,
    unbounded: usize,
}

impl Side {
    fn of(cells: &[usize], least: &[i64], most: &[i64]) -> Self {
        let mut side = Self {
            least: 0,
            most: 0,
            unbounded: 0,
        };
        for c in cells {
            side.least = side.least.saturating_add(least[*c]);
            if most[*c] >= UNBOUNDED {
                side.unbounded += 1;
            } else {
                side.most = side.most.saturating_add(most[*c]);
            }
        }
        side
    }

    /// The side's most possible sum; `None` when unbounded.
    fn most(&self) -> Option<i64> {
        (self.unbounded == 0).then_some(self.most)
    }

    /// The most possible sum of the side's other cells than one whose most is `own`.
    fn most_without(&self, own: i64) -> Option<i64> {
        match (self.unbounded, own >= UNBOUNDED) {
            (0, _) => Some(self.most - own),
            (1, true) => Some(self.most),
            _ => None,
        }
    }
}

/// Narrows the bounds of `identity`'s figures by the others' (`Σ lhs = Σ rhs`, or `≤` when
/// not exact); answers whether any moved.
pub(super) fn narrow(identity: &Identity<usize>, least: &mut [i64], most: &mut [i64]) -> bool {
    let lhs = Side::of(&identity.lhs, least, most);
    let rhs = Side::of(&identity.rhs, least, most);
    let mut moved = false;
    // A figure on the smaller side is at most the other side's most less its own side's
    // other least values; on an exact identity, each side is also at least the other's least
    // less its own others' most.
    for (own, own_side, other_side, upper, lower) in [
        (&identity.lhs, &lhs, &rhs, true, identity.exact),
        (&identity.rhs, &rhs, &lhs, identity.exact, true),
    ] {
        for cell in own.iter().copied() {
            let (lo, hi) = (least[cell], most[cell]);
            let high = upper
                .then(|| other_side.most())
                .flatten()
                .map(|m| m - (own_side.least - lo));
            let low = lower
                .then(|| own_side.most_without(hi))
                .flatten()
                .map(|others| other_side.least - others);
            if let Some(low) = low.filter(|l| *l > lo && *l <= hi) {
                least[cell] = low;
                moved = true;
            }
            if let Some(high) = high.filter(|h| *h < hi && *h >= least[cell]) {
                most[cell] = high;
                moved = true;
            }
        }
    }
    moved
}
