//! Enrollment requests (增员 / 补缴 / 减员 / 基数调整): maker-checker, a priced
//! confirmation, undo before execution, execution through the outbox, and revocation at
//! the bureau.

pub mod executor;
pub mod repo;
pub mod routes;
pub mod service;
