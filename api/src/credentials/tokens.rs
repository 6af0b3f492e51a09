//! Short-lived JWT access tokens, HS256 only.
//!
//! The algorithm is pinned on both sides, so a token with `alg: none` or signed another way
//! is refused; issuer, audience and expiry are checked. Each token carries the account's
//! token epoch, which the caller extractor compares with the database: locking, resetting
//! or deactivating an account raises the epoch and so revokes its tokens at once.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "tgpl";
const AUDIENCE: &str = "tgpl-api";

/// The shortest secret accepted: 256 bits, the size of the HS256 key.
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Account id.
    pub sub: String,
    pub role: String,
    pub org: String,
    pub epoch: i32,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    pub ttl_seconds: i64,
}

impl TokenKeys {
    pub fn new(secret: &[u8], ttl_seconds: i64) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl_seconds,
        }
    }

    pub fn issue(
        &self,
        account_id: &str,
        role: &str,
        org: &str,
        epoch: i32,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: account_id.to_owned(),
            role: role.to_owned(),
            org: org.to_owned(),
            epoch,
            iat: now,
            exp: now + self.ttl_seconds,
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    pub fn verify(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> TokenKeys {
        TokenKeys::new(b"0123456789abcdef0123456789abcdef", 900)
    }

    #[test]
    fn a_token_round_trips() {
        let t = keys().issue("acc", "legal_aid_officer", "org", 3).unwrap();
        let c = keys().verify(&t).unwrap();
        assert_eq!((c.sub.as_str(), c.epoch), ("acc", 3));
    }

    #[test]
    fn other_keys_and_expired_tokens_are_refused() {
        let t = keys().issue("acc", "r", "o", 0).unwrap();
        let other = TokenKeys::new(b"another-secret-another-secret-xx", 900);
        assert!(other.verify(&t).is_none());
        let expired = TokenKeys::new(b"0123456789abcdef0123456789abcdef", -60)
            .issue("acc", "r", "o", 0)
            .unwrap();
        assert!(keys().verify(&expired).is_none());
    }

    #[test]
    fn unsigned_tokens_are_refused() {
        let t = keys().issue("acc", "r", "o", 0).unwrap();
        let payload = t.split('.').nth(1).unwrap();
        // {"alg":"none","typ":"JWT"}
        let forged = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{payload}.");
        assert!(keys().verify(&forged).is_none());
    }
}
