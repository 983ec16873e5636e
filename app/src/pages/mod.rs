//! One file per page.

pub mod alerts;
pub mod changes;
pub mod claim_detail;
pub mod claim_new;
pub mod claims;
pub mod console_home;
pub mod dashboard;
pub mod employee_detail;
pub mod employee_form;
pub mod employees;
pub mod enrollment_detail;
pub mod enrollment_form;
pub mod enrollments;
pub mod help;
pub mod home;
pub mod login;
pub mod me;
pub mod messages;
pub mod not_found;
pub mod notifications;
pub mod proof;
pub mod revocation_form;
pub mod run_detail;
pub mod self_pages;
pub mod settings;
