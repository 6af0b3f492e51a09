//! Password and client-secret hashing with Argon2id (the crate's defaults: 19 MiB, two
//! passes, one lane; OWASP's recommendation).

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand_core::{OsRng, RngCore};

/// Hashes a secret into a PHC string.
pub fn hash(secret: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(secret.as_bytes(), &salt)?
        .to_string())
}

/// Checks a secret against a stored PHC string; a malformed hash never matches.
pub fn verify(stored: &str, secret: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the same time as a real check, for logins of unknown accounts, so that the
/// answer's timing does not tell which usernames exist.
pub fn verify_nothing(secret: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash("not a real password 0").unwrap_or_default());
    let _ = verify(dummy, secret);
}

/// A fresh random secret for a service client: 32 bytes, hex-encoded.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_are_argon2id() {
        let h = hash("Mật khẩu 2026").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&h, "Mật khẩu 2026"));
        assert!(!verify(&h, "Mật khẩu 2027"));
        assert!(!verify("garbage", "x"));
    }

    #[test]
    fn secrets_are_long_and_differ() {
        let (a, b) = (generate_secret(), generate_secret());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
    }
}
