//! Shebao's rules, shared by the browser app and the worker so they cannot disagree:
//! identity numbers, money, periods, the working-day calendar, city policies, contribution
//! and late-fee calculators, and the employee form. Pure Rust, no I/O; compiles for the host and for wasm32.

pub mod api;
pub mod audit;
pub mod base;
pub mod body;
pub mod calendar;
pub mod claim;
pub mod contribution;
pub mod cursor;
pub mod employee;
pub mod employer;
pub mod enrollment;
pub mod escalation;
pub mod help;
pub mod ids;
pub mod lang;
pub mod late_fee;
pub mod login;
pub mod money;
pub mod period;
pub mod policy;
pub mod pricing;
pub mod report;
pub mod revocation;
pub mod role;
pub mod roster;
pub mod run;
pub mod self_service;
pub mod validation;

pub use ids::{CreditCode, Gender, IdError, IdKind, ResidentId};
pub use lang::Lang;
pub use money::Rounding;
pub use period::Period;
pub use validation::FieldError;
