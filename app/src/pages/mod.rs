//! One file per page.

pub mod employee_detail;
pub mod employee_form;
pub mod employees;
pub mod home;
pub mod login;
pub mod me;
pub mod not_found;
