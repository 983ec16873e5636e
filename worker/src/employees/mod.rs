//! Employee records: list, read, create, change, and the audited reveal of an ID number.

pub mod repo;
pub mod routes;
pub mod service;
