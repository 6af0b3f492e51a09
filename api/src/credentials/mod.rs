//! Secrets: password hashing and signed access tokens. Nothing here knows about requests,
//! so the server's state can hold them without depending on who is calling.

pub mod password;
pub mod tokens;
