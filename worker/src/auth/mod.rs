//! Sign-in, sessions and the current user.

pub mod repo;
pub mod routes;
pub mod service;

/// The signed-in user, as every request path sees it: the same shape `/api/me` answers.
pub type User = shebao_domain::api::Me;
