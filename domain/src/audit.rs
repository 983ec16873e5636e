//! The audit log's action codes, written by the worker and named on timelines. A request's
//! transitions are recorded under `RequestAction::audit_code`; these are the others.

pub const EMPLOYEE_CREATE: &str = "employee.create";
pub const EMPLOYEE_UPDATE: &str = "employee.update";
pub const EMPLOYEE_REVEAL_ID: &str = "employee.reveal_id";
pub const USER_SETUP_ADMIN: &str = "user.setup_admin";
pub const SETTINGS_UPDATE: &str = "settings.update";
pub const BUREAU_SIMULATOR_UPDATE: &str = "bureau_simulator.update";
pub const LOGIN_SUCCEEDED: &str = "login.succeeded";
pub const LOGIN_FAILED: &str = "login.failed";
pub const LOGIN_LOCKED: &str = "login.locked";
pub const LOGIN_THROTTLED: &str = "login.throttled";
pub const ENROLLMENT_CREATE: &str = "enrollment.create";
pub const ENROLLMENT_UPDATE: &str = "enrollment.update";
/// A person's "send now" (`RequestAction::Execute`): the filing itself is the executor's.
pub const ENROLLMENT_EXECUTE_NOW: &str = "enrollment.execute_now";
/// A correction of the employee's record that a request followed.
pub const ENROLLMENT_EMPLOYEE_CHANGED: &str = "enrollment.employee_changed";
/// Written before the filing state existed; still on old timelines.
pub const ENROLLMENT_EXECUTE_LEGACY: &str = "enrollment.execute";
/// Written before the filing state existed; still on old timelines.
pub const ENROLLMENT_BUREAU_REJECTED_LEGACY: &str = "enrollment.bureau_rejected";
/// A month's run created (its transitions are recorded under `RunAction::audit_code`).
pub const RUN_CREATE: &str = "run.create";
pub const ALERT_ACKNOWLEDGE: &str = "alert.acknowledge";
pub const BRANCH_BUDGET: &str = "branch.budget";
/// A claim's draft created (its transitions are recorded under `ClaimAction::audit_code`).
pub const CLAIM_CREATE: &str = "claim.create";
pub const CLAIM_DOCUMENT: &str = "claim.document";
/// An FAQ entry of the help assistant written or changed by HR.
pub const FAQ_CREATE: &str = "faq.create";
pub const FAQ_UPDATE: &str = "faq.update";
/// A question handed over to HR (转人工), and HR's answer to it.
pub const HELP_TICKET_CREATE: &str = "help_ticket.create";
pub const HELP_TICKET_ANSWER: &str = "help_ticket.answer";
/// A self-service request (its decisions are recorded under `self_service::Decision::audit_code`).
pub const EMPLOYEE_CHANGE_CREATE: &str = "employee_change.create";
/// A proof of contributions (缴费证明) issued by the employee.
pub const EMPLOYEE_PROOF_ISSUED: &str = "employee.proof_issued";
/// A roster file's rows committed as employees: one entry for the whole import.
pub const IMPORT_COMMIT: &str = "import.commit";
