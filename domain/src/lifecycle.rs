//! What the life cycles of cases, requests for review, statistical reports and accounts
//! share: a step leads from some states to another, and what may be done next is every step
//! that leads somewhere from the current state.

use crate::label::Vocabulary;

/// A step of a life cycle whose states are `State`.
pub trait Step: Vocabulary {
    type State: Copy;

    /// The state the step leaves a record of state `from` in, if it may be taken there.
    fn target(self, from: Self::State) -> Option<Self::State>;
}

/// The steps that may be taken from `from`, in the order of the steps' vocabulary.
pub fn next_steps<S: Step>(from: S::State) -> Vec<S> {
    S::ALL
        .iter()
        .copied()
        .filter(|s| s.target(from).is_some())
        .collect()
}
