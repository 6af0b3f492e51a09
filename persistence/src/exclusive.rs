//! Rules of the form "check, then write", kept when writers run side by side.
//!
//! Many rules are a read followed by a write: no other recipient with this citizen ID, no
//! overlapping membership, one valid card per Department, one username. On SQLite
//! every write of the server runs on one writer thread (see [`crate::writer`]) and tools write
//! with `BEGIN IMMEDIATE`, so nothing comes between the read and the write. On PostgreSQL
//! writes run at once on the pool: two requests both read "none" and both insert.
//!
//! The one way to keep such a rule: run its check and its write inside [`exclusive`], naming
//! what the rule is about as [`Claim`]s (the rule and the key it guards: a citizen ID, a
//! person, an organization). On PostgreSQL `exclusive` opens the write transaction and first
//! takes a transaction-scoped advisory lock per claim; a competing writer of the same claim
//! waits there until the first one commits or rolls back, and its check, run after, sees what
//! the first one wrote (each statement of a READ COMMITTED transaction reads what is committed
//! when it starts). Writers of other keys do not wait. On SQLite it is a write transaction.
//!
//! Every writer that can break the rule takes the claim, including those that skip the check
//! (a recipient created with `create_anyway`), so that the checks of others see their rows.
//! A write takes all its claims in one call, at its start: locks taken in one order by
//! everyone cannot deadlock.

use diesel::sql_types::BigInt;
use diesel::RunQueryDsl;
use sha2::{Digest, Sha256};

use crate::db::{write_transaction, DbConnection};

/// A rule kept with [`exclusive`]. Its name goes into the lock key, so two rules never wait
/// for each other even over the same entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A new recipient is checked against those with the same citizen ID, or the same folded
    /// name and date of birth (key: either).
    RecipientDuplicates,
    /// A recipient's statistical category is derived from all their proofs (key: the
    /// recipient).
    RecipientCategory,
    /// The organization tree: a move is checked against every link (no cycle, one parent a
    /// day), a deactivation against the children, a creation against its parent's status
    /// (key: none, the tree is one).
    Hierarchy,
    /// A person's memberships: what is decided from them (no overlapping membership of one
    /// organization; an account linked only to a current member, and deactivated when the
    /// membership ends) is decided under this claim (key: the person).
    Membership,
    /// A collaborator holds one valid card per Department (key: the person).
    CollaboratorCard,
    /// A card number is given once, whoever holds it (key: the number).
    CardNumber,
    /// A participating organization holds at most one contract in force with a centre on any
    /// day (key: the organization).
    Contracts,
    /// A case has at most one change request pending (key: the case).
    ChangeRequest,
    /// A username or client id is taken once (key: the name).
    Username,
    /// An organization code is taken once (key: the code).
    OrganizationCode,
    /// Login attempts of one subject are admitted and counted one after the other (key: the
    /// username or client id).
    LoginAttempts,
    /// A province code is taken once (key: the code).
    ProvinceCode,
    /// A centre gives a contract number once (key: the centre and the number).
    ContractNumber,
    /// A new staff record is checked against those with the same lawyer's card number, or
    /// the same folded name and date of birth (key: either).
    StaffDuplicates,
    /// Who serves whom in one proceedings: no provider on both sides (key: the cases' group
    /// reference).
    Proceedings,
}

impl Rule {
    fn name(self) -> &'static str {
        match self {
            Self::RecipientDuplicates => "recipient_duplicates",
            Self::RecipientCategory => "recipient_category",
            Self::Hierarchy => "hierarchy",
            Self::Membership => "membership",
            Self::CollaboratorCard => "collaborator_card",
            Self::CardNumber => "card_number",
            Self::Contracts => "contracts",
            Self::ChangeRequest => "change_request",
            Self::Username => "username",
            Self::OrganizationCode => "organization_code",
            Self::LoginAttempts => "login_attempts",
            Self::ProvinceCode => "province_code",
            Self::ContractNumber => "contract_number",
            Self::StaffDuplicates => "staff_duplicates",
            Self::Proceedings => "proceedings",
        }
    }
}

/// What one write claims: a rule over one key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub rule: Rule,
    pub key: String,
}

impl Claim {
    pub fn new(rule: Rule, key: impl Into<String>) -> Self {
        Self {
            rule,
            key: key.into(),
        }
    }

    /// The 64-bit advisory lock key: the first 8 bytes of SHA-256 over the rule's name and
    /// the key. A hash rather than a table of ids, so that any text can be claimed and every
    /// server derives the same number; a collision only makes two writers wait for each other.
    fn lock_key(&self) -> i64 {
        let digest = Sha256::new()
            .chain_update(self.rule.name())
            .chain_update([0])
            .chain_update(&self.key)
            .finalize();
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        i64::from_be_bytes(first)
    }
}

/// Runs `work` (the rule's check and its write) in a write transaction in which nobody else
/// runs work claiming any of `claims`. See the module documentation.
pub fn exclusive<T, E>(
    conn: &mut DbConnection,
    claims: &[Claim],
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let mut keys: Vec<i64> = claims.iter().map(Claim::lock_key).collect();
    // One order for everyone, so that two writers claiming the same keys cannot deadlock.
    keys.sort_unstable();
    keys.dedup();
    write_transaction(conn, |conn| {
        if let DbConnection::Pg(pg) = conn {
            for key in keys {
                diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
                    .bind::<BigInt, _>(key)
                    .execute(pg)?;
            }
        }
        work(conn)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_keys_differ_by_rule_and_key_and_stay_the_same() {
        let a = Claim::new(Rule::Username, "gd.hn").lock_key();
        assert_eq!(a, Claim::new(Rule::Username, "gd.hn").lock_key());
        assert_ne!(a, Claim::new(Rule::Username, "gd.dn").lock_key());
        assert_ne!(a, Claim::new(Rule::OrganizationCode, "gd.hn").lock_key());
        assert_ne!(
            Claim::new(Rule::Membership, "x").lock_key(),
            Claim::new(Rule::CollaboratorCard, "x").lock_key()
        );
    }
}
