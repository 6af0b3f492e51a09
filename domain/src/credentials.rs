//! Usernames and the password policy.

use crate::refusal::{FieldRefusal, Refusal};

/// A login name: 3 to 64 characters of lower-case ASCII letters, digits, `.`, `_` and `-`,
/// starting with a letter. Compared case-insensitively, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsernameError {
    Length,
    Characters,
}

impl Username {
    pub fn parse(raw: &str) -> Result<Self, UsernameError> {
        let name = raw.trim().to_ascii_lowercase();
        if !(3..=64).contains(&name.len()) {
            return Err(UsernameError::Length);
        }
        let mut chars = name.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
        let rest_ok = chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if first_ok && rest_ok {
            Ok(Self(name))
        } else {
            Err(UsernameError::Characters)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password that satisfies the policy. Never printed: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordError {
    TooShort,
    TooLong,
    NeedsLetterAndDigit,
    ContainsUsername,
}

impl Refusal for UsernameError {
    /// On `username`; a service client's id is refused [`FieldRefusal::at`] its own field.
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::Length => FieldRefusal::new(
                "username",
                "length",
                "Tên đăng nhập dài từ 3 đến 64 ký tự.",
                "Usernames are 3 to 64 characters long.",
            ),
            Self::Characters => FieldRefusal::new(
                "username",
                "invalid_format",
                "Tên đăng nhập bắt đầu bằng chữ cái, chỉ gồm chữ cái không dấu, chữ số và . _ -",
                "Usernames start with a letter and contain only ASCII letters, digits and . _ -",
            ),
        }
    }
}

impl Refusal for PasswordError {
    /// On `password`; a change of password is refused [`FieldRefusal::at`] `new_password`.
    fn field_refusal(&self) -> FieldRefusal {
        match self {
            Self::TooShort => FieldRefusal::new(
                "password",
                "too_short",
                "Mật khẩu cần ít nhất 10 ký tự.",
                "Passwords need at least 10 characters.",
            ),
            Self::TooLong => FieldRefusal::new(
                "password",
                "too_long",
                "Mật khẩu tối đa 128 ký tự.",
                "Passwords have at most 128 characters.",
            ),
            Self::NeedsLetterAndDigit => FieldRefusal::new(
                "password",
                "too_weak",
                "Mật khẩu cần có cả chữ cái và chữ số.",
                "Passwords need both letters and digits.",
            ),
            Self::ContainsUsername => FieldRefusal::new(
                "password",
                "contains_username",
                "Mật khẩu không được chứa tên đăng nhập.",
                "Passwords must not contain the username.",
            ),
        }
    }
}

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    /// Accepts 10 to 128 characters with at least one letter and one digit, not containing
    /// the account's username. Length is counted in characters, so Vietnamese letters count
    /// once.
    pub fn parse(raw: &str, username: &Username) -> Result<Self, PasswordError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(PasswordError::TooShort);
        }
        if chars > Self::MAX_CHARS {
            return Err(PasswordError::TooLong);
        }
        if !(raw.chars().any(char::is_alphabetic) && raw.chars().any(|c| c.is_ascii_digit())) {
            return Err(PasswordError::NeedsLetterAndDigit);
        }
        if raw.to_lowercase().contains(username.as_str()) {
            return Err(PasswordError::ContainsUsername);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_credential_names_its_field_or_the_one_it_is_given_at() {
        let u = Username::parse("gd.hn").unwrap();
        let refused = Password::parse("short1", &u).unwrap_err().field_refusal();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("password", "too_short")
        );
        let refused = refused.at("new_password");
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("new_password", "too_short")
        );
        let refused = Username::parse("1x").unwrap_err().field_refusal();
        assert_eq!(
            (refused.field.as_str(), refused.code),
            ("username", "length")
        );
    }

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Admin.HN ").unwrap().as_str(), "admin.hn");
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse("1admin"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("nguyễn"), Err(UsernameError::Characters));
        assert_eq!(Username::parse("a b c"), Err(UsernameError::Characters));
    }

    #[test]
    fn password_policy() {
        let user = Username::parse("lan.tgv").unwrap();
        assert!(Password::parse("Mật khẩu 2026", &user).is_ok());
        assert_eq!(
            Password::parse("short1", &user),
            Err(PasswordError::TooShort)
        );
        assert_eq!(
            Password::parse("onlyletterslong", &user),
            Err(PasswordError::NeedsLetterAndDigit)
        );
        assert_eq!(
            Password::parse("1234567890123", &user),
            Err(PasswordError::NeedsLetterAndDigit)
        );
        assert_eq!(
            Password::parse("LAN.TGV-2026x", &user),
            Err(PasswordError::ContainsUsername)
        );
        assert_eq!(
            Password::parse(&"a1".repeat(65), &user),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            format!("{:?}", Password::parse("Secret-2026", &user).unwrap()),
            "Password(***)"
        );
    }
}
