//! Who is calling: the authenticated caller of a request, from its bearer token and the
//! account behind it (passwords and tokens themselves are `crate::credentials`).

pub mod caller;

pub use caller::Caller;
