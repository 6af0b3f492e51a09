//! The migrations are embedded at compile time (`db.rs`); a migration added later must
//! rebuild this crate, which cargo only knows when told (as diesel_migrations advises).

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
