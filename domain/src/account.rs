//! The life cycle of accounts: active, locked, deactivated, and what administrators may do
//! to them. Nobody administers their own account: people change their own password only,
//! through the endpoint made for it, so that locking or reviving an account takes two people.

use crate::lifecycle::Step;
use crate::role::AccountStatus;
use crate::vocabulary;

vocabulary! {
    /// What an administrator does to someone else's account.
    pub enum AccountAction {
        Lock = "lock" { vi: "Khóa tài khoản", en: "Lock" },
        Unlock = "unlock" { vi: "Mở khóa tài khoản", en: "Unlock" },
        ResetPassword = "reset_password" { vi: "Đặt lại mật khẩu", en: "Reset the password" },
        Deactivate = "deactivate" { vi: "Vô hiệu hóa tài khoản", en: "Deactivate" },
    }
}

impl Step for AccountAction {
    type State = AccountStatus;

    /// The status the action leaves an account of status `from` in, if it may be taken
    /// there. A deactivated account is kept for the audit trail and never changes again.
    fn target(self, from: AccountStatus) -> Option<AccountStatus> {
        use AccountStatus::*;
        match (self, from) {
            (Self::Lock, Active) => Some(Locked),
            (Self::Unlock, Locked) => Some(Active),
            (Self::ResetPassword, Active | Locked) => Some(from),
            (Self::Deactivate, Active | Locked) => Some(Deactivated),
            _ => None,
        }
    }
}

impl AccountAction {
    /// Whether the action ends the account's tokens at once: all but an unlock, after which
    /// tokens issued before the lock stay revoked.
    pub fn revokes_tokens(self) -> bool {
        self != Self::Unlock
    }
}

/// An action the account's status does not allow (answered 409 `invalid_account_state`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionNotAllowed {
    pub action: AccountAction,
    /// The account's status.
    pub from: AccountStatus,
    /// What may be done to the account instead.
    pub allowed: Vec<AccountAction>,
}

impl AccountAction {
    /// Takes the action on an account of status `from`: the status it leaves, or why not.
    pub fn take(self, from: AccountStatus) -> Result<AccountStatus, ActionNotAllowed> {
        self.target(from).ok_or_else(|| ActionNotAllowed {
            action: self,
            from,
            allowed: from.allowed_actions(),
        })
    }
}

impl ActionNotAllowed {
    /// Why, for people, in Vietnamese and English: `service` for the account of a service
    /// client, which is only ever active or revoked.
    pub fn message(&self, service: bool) -> (&'static str, &'static str) {
        use AccountAction::*;
        if service {
            return ("Ứng dụng đã bị thu hồi.", "The client has been revoked.");
        }
        match self.action {
            Lock => (
                "Chỉ khóa được tài khoản đang hoạt động.",
                "Only an active account can be locked.",
            ),
            Unlock => (
                "Chỉ mở khóa được tài khoản đang bị khóa.",
                "Only a locked account can be unlocked.",
            ),
            ResetPassword => (
                "Tài khoản đã bị vô hiệu hóa.",
                "The account is deactivated.",
            ),
            Deactivate => (
                "Tài khoản đã bị vô hiệu hóa.",
                "The account is already deactivated.",
            ),
        }
    }
}

impl AccountStatus {
    /// The actions that may be taken on an account in this status.
    pub fn allowed_actions(self) -> Vec<AccountAction> {
        crate::lifecycle::next_steps(self)
    }

    /// Whether the account is closed for good: deactivated, it stays as it was, for the audit
    /// trail of who held it and what they did; nothing of it changes.
    pub fn is_closed(self) -> bool {
        self.allowed_actions().is_empty()
    }
}

/// Why a login at an existing account is refused, as the audit log records it
/// (`auth.login_failed`): the first of a wrong secret, the wrong grant for the account's kind
/// (a person's password as a service client's, or the reverse), an account not active, an
/// organization not active. `None`: the login is let in.
pub fn login_refusal(
    secret_right: bool,
    service_account: bool,
    client_grant: bool,
    status: AccountStatus,
    organization_active: bool,
) -> Option<&'static str> {
    if !secret_right {
        Some("wrong_secret")
    } else if service_account != client_grant {
        Some("wrong_grant")
    } else if status != AccountStatus::Active {
        Some("account_not_active")
    } else if !organization_active {
        Some("organization_not_active")
    } else {
        None
    }
}

/// The caller tried to administer their own account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnAccount;

/// Refuses an administrator's action on their own account (`caller_account_id`).
pub fn check_not_own(account_id: &str, caller_account_id: &str) -> Result<(), OwnAccount> {
    if account_id == caller_account_id {
        return Err(OwnAccount);
    }
    Ok(())
}

/// Checks that the person who holds an account of `role`, who gives legal aid as
/// `provider_kind` (if at all), is one the role is for: a contracted lawyer's account is a
/// lawyer's, since it works the cases they perform as a lawyer. Refused as `staff_id`.
pub fn check_holder(
    role: crate::role::Role,
    provider_kind: Option<crate::reference::ProviderKind>,
) -> Result<(), crate::refusal::FieldRefusal> {
    if role == crate::role::Role::ContractedLawyer
        && provider_kind != Some(crate::reference::ProviderKind::Lawyer)
    {
        return Err(crate::refusal::FieldRefusal::new(
            "staff_id",
            "not_a_lawyer",
            "Tài khoản luật sư ký hợp đồng chỉ gắn với hồ sơ của một luật sư.",
            "A contracted lawyer's account belongs to a lawyer's record.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod login_tests {
    use super::*;

    #[test]
    fn a_login_is_refused_for_the_first_reason_that_holds() {
        let active = AccountStatus::Active;
        assert_eq!(login_refusal(true, false, false, active, true), None);
        assert_eq!(login_refusal(true, true, true, active, true), None);
        assert_eq!(
            login_refusal(false, true, false, AccountStatus::Locked, false),
            Some("wrong_secret")
        );
        assert_eq!(
            login_refusal(true, false, true, active, true),
            Some("wrong_grant")
        );
        assert_eq!(
            login_refusal(true, false, false, AccountStatus::Locked, false),
            Some("account_not_active")
        );
        assert_eq!(
            login_refusal(true, false, false, active, false),
            Some("organization_not_active")
        );
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_contracted_lawyer_s_account_is_a_lawyer_s() {
        use crate::reference::ProviderKind;
        use crate::role::Role;
        assert!(check_holder(Role::ContractedLawyer, Some(ProviderKind::Lawyer)).is_ok());
        assert!(check_holder(Role::ContractedLawyer, Some(ProviderKind::Collaborator)).is_err());
        assert!(check_holder(Role::ContractedLawyer, None).is_err());
        assert!(check_holder(Role::LegalAidOfficer, None).is_ok());
    }
    use super::*;
    use AccountAction::*;
    use AccountStatus::*;

    #[test]
    fn accounts_are_locked_unlocked_and_deactivated_for_good() {
        assert_eq!(Lock.target(Active), Some(Locked));
        assert_eq!(Lock.target(Locked), None);
        assert_eq!(Unlock.target(Locked), Some(Active));
        assert_eq!(Unlock.target(Active), None);
        assert_eq!(ResetPassword.target(Locked), Some(Locked));
        assert_eq!(Deactivate.target(Locked), Some(Deactivated));
        assert!(Deactivated.allowed_actions().is_empty());
        assert!(Deactivated.is_closed());
        assert!(!Locked.is_closed());
        assert_eq!(
            Active.allowed_actions(),
            vec![Lock, ResetPassword, Deactivate]
        );
        assert_eq!(
            Locked.allowed_actions(),
            vec![Unlock, ResetPassword, Deactivate]
        );
    }

    #[test]
    fn only_an_unlock_leaves_the_tokens_revoked_as_they_were() {
        assert!(
            Lock.revokes_tokens() && ResetPassword.revokes_tokens() && Deactivate.revokes_tokens()
        );
        assert!(!Unlock.revokes_tokens());
    }

    #[test]
    fn a_refused_action_says_why_and_what_may_be_done_instead() {
        assert_eq!(Lock.take(Active), Ok(Locked));
        let refused = Lock.take(Locked).unwrap_err();
        assert_eq!(refused.allowed, vec![Unlock, ResetPassword, Deactivate]);
        assert_eq!(
            refused.message(false).1,
            "Only an active account can be locked."
        );
        let revoked = Deactivate.take(Deactivated).unwrap_err();
        assert!(revoked.allowed.is_empty());
        assert_eq!(revoked.message(true).1, "The client has been revoked.");
        assert_eq!(
            revoked.message(false).1,
            "The account is already deactivated."
        );
    }

    #[test]
    fn nobody_administers_their_own_account() {
        assert_eq!(check_not_own("a", "a"), Err(OwnAccount));
        assert_eq!(check_not_own("a", "b"), Ok(()));
    }
}
