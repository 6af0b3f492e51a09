//! The organization tree at a given date.
//!
//! Parent links carry the dates they hold (`valid_from` inclusive, `valid_to` exclusive), so
//! that the tree of any past day can be rebuilt: statistics of a past period aggregate under
//! the hierarchy of that period, and the provinces were merged on 1 July 2025.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::NaiveDate;

/// One dated edge of the tree: `org_id` hung under `parent_id` from `valid_from` until the day
/// before `valid_to` (open-ended when `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParentLink {
    pub org_id: String,
    pub parent_id: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl ParentLink {
    pub fn holds_on(&self, day: NaiveDate) -> bool {
        self.valid_from <= day && self.valid_to.is_none_or(|to| day < to)
    }
}

/// The tree as it stood on one day.
#[derive(Debug, Clone, Default)]
pub struct Hierarchy {
    parent_of: HashMap<String, String>,
    children_of: HashMap<String, Vec<String>>,
}

impl Hierarchy {
    /// Builds the tree of `day` from any set of links; links that do not hold that day are
    /// ignored. Children keep the order of the links given, so callers can sort first.
    pub fn on(day: NaiveDate, links: &[ParentLink]) -> Self {
        let mut tree = Self::default();
        for link in links.iter().filter(|l| l.holds_on(day)) {
            tree.parent_of
                .insert(link.org_id.clone(), link.parent_id.clone());
            tree.children_of
                .entry(link.parent_id.clone())
                .or_default()
                .push(link.org_id.clone());
        }
        tree
    }

    pub fn parent(&self, org_id: &str) -> Option<&str> {
        self.parent_of.get(org_id).map(String::as_str)
    }

    /// Ancestors from the nearest up to the root. Stops on a cycle rather than looping.
    pub fn ancestors(&self, org_id: &str) -> Vec<String> {
        let mut seen = HashSet::from([org_id.to_owned()]);
        let mut out = Vec::new();
        let mut current = org_id;
        while let Some(parent) = self.parent_of.get(current) {
            if !seen.insert(parent.clone()) {
                break;
            }
            out.push(parent.clone());
            current = parent;
        }
        out
    }

    /// The root and everything below it, breadth first, each with its depth (root = 0) and
    /// its parent in the tree (`None` for the root).
    pub fn subtree(&self, root: &str) -> Vec<SubtreeNode> {
        let mut out = vec![SubtreeNode {
            org_id: root.to_owned(),
            parent_id: None,
            depth: 0,
        }];
        let mut seen = HashSet::from([root.to_owned()]);
        let mut queue = VecDeque::from([(root.to_owned(), 0usize)]);
        while let Some((id, depth)) = queue.pop_front() {
            for child in self.children_of.get(&id).into_iter().flatten() {
                if seen.insert(child.clone()) {
                    out.push(SubtreeNode {
                        org_id: child.clone(),
                        parent_id: Some(id.clone()),
                        depth: depth + 1,
                    });
                    queue.push_back((child.clone(), depth + 1));
                }
            }
        }
        out
    }

    /// Whether `org_id` would become its own ancestor if hung under `new_parent`.
    pub fn would_cycle(&self, org_id: &str, new_parent: &str) -> bool {
        new_parent == org_id || self.ancestors(new_parent).iter().any(|a| a == org_id)
    }
}

/// Whether hanging `org_id` under `new_parent` from `from` on would, on that day or any
/// later day on which the tree changes, make an organization its own ancestor. `links` are
/// all links of all time; the organization's own links from `from` on are replaced by the
/// new one, as a move does.
pub fn move_would_cycle(
    links: &[ParentLink],
    org_id: &str,
    new_parent: &str,
    from: NaiveDate,
) -> bool {
    let mut proposed: Vec<ParentLink> = links
        .iter()
        .filter(|l| !(l.org_id == org_id && l.valid_from >= from))
        .cloned()
        .map(|mut l| {
            if l.org_id == org_id && l.holds_on(from) {
                l.valid_to = Some(from);
            }
            l
        })
        .collect();
    proposed.push(ParentLink {
        org_id: org_id.to_owned(),
        parent_id: new_parent.to_owned(),
        valid_from: from,
        valid_to: None,
    });
    let mut days: Vec<NaiveDate> = proposed
        .iter()
        .flat_map(|l| [Some(l.valid_from), l.valid_to])
        .flatten()
        .filter(|d| *d >= from)
        .collect();
    days.sort_unstable();
    days.dedup();
    days.into_iter()
        .any(|day| Hierarchy::on(day, &proposed).returns_to(org_id))
}

impl Hierarchy {
    /// Whether walking up from `org_id` comes back to it.
    fn returns_to(&self, org_id: &str) -> bool {
        let mut seen = HashSet::new();
        let mut current = org_id;
        while let Some(parent) = self.parent_of.get(current) {
            if parent == org_id {
                return true;
            }
            if !seen.insert(parent.clone()) {
                return false;
            }
            current = parent;
        }
        false
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubtreeNode {
    pub org_id: String,
    pub parent_id: Option<String>,
    pub depth: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn link(org: &str, parent: &str, from: NaiveDate, to: Option<NaiveDate>) -> ParentLink {
        ParentLink {
            org_id: org.into(),
            parent_id: parent.into(),
            valid_from: from,
            valid_to: to,
        }
    }

    /// A branch of the old Hà Giang centre moved to the Tuyên Quang centre on 1 July 2025.
    fn merger() -> Vec<ParentLink> {
        let start = d(2019, 1, 1);
        let merger = d(2025, 7, 1);
        vec![
            link("dept-tq", "agency", start, None),
            link("dept-hg", "agency", start, Some(merger)),
            link("center-tq", "dept-tq", start, None),
            link("center-hg", "dept-hg", start, Some(merger)),
            link("branch-1", "center-hg", start, Some(merger)),
            link("branch-1", "center-tq", merger, None),
        ]
    }

    #[test]
    fn the_tree_of_a_past_day_is_the_tree_of_that_day() {
        let before = Hierarchy::on(d(2025, 6, 30), &merger());
        let after = Hierarchy::on(d(2025, 7, 1), &merger());
        assert_eq!(
            before.ancestors("branch-1"),
            vec!["center-hg", "dept-hg", "agency"]
        );
        assert_eq!(
            after.ancestors("branch-1"),
            vec!["center-tq", "dept-tq", "agency"]
        );
        assert_eq!(after.parent("center-hg"), None);
    }

    #[test]
    fn subtrees_carry_depth_and_parent() {
        let tree = Hierarchy::on(d(2025, 7, 1), &merger());
        let nodes = tree.subtree("dept-tq");
        let ids: Vec<_> = nodes.iter().map(|n| (n.org_id.as_str(), n.depth)).collect();
        assert_eq!(ids, vec![("dept-tq", 0), ("center-tq", 1), ("branch-1", 2)]);
        assert_eq!(nodes[2].parent_id.as_deref(), Some("center-tq"));
        assert_eq!(tree.subtree("nobody").len(), 1);
    }

    #[test]
    fn a_move_that_closes_a_loop_later_is_caught() {
        let links = merger();
        // On 1 July 2025 center-tq hangs under dept-tq. Hanging dept-tq under branch-1 from
        // 2025-01-01 has no loop that day (branch-1 is then under center-hg), but one from
        // 1 July, when branch-1 moves under center-tq.
        assert!(!Hierarchy::on(d(2025, 1, 1), &links).would_cycle("dept-tq", "branch-1"));
        assert!(move_would_cycle(
            &links,
            "dept-tq",
            "branch-1",
            d(2025, 1, 1)
        ));
        assert!(!move_would_cycle(
            &links,
            "branch-1",
            "center-hg",
            d(2025, 1, 1)
        ));
    }

    #[test]
    fn cycles_are_detected() {
        let tree = Hierarchy::on(d(2025, 7, 1), &merger());
        assert!(tree.would_cycle("dept-tq", "branch-1"));
        assert!(tree.would_cycle("dept-tq", "dept-tq"));
        assert!(!tree.would_cycle("branch-1", "center-hg"));
    }
}
