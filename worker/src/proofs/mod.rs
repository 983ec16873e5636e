//! Proofs of contributions (缴费证明): issued by the employee from their own record, kept as
//! a snapshot under a random 128-bit code, and verifiable by anyone the employee shares the
//! link with (a landlord, a school, a bank) until it expires — in a webview, a link is what
//! can be shared.

pub mod repo;

use crate::auth::User;
use crate::crypto::{hex, random_bytes};
use crate::db::Change;
use crate::idempotency::{self, Begin};
use crate::error::{AppError, AppResult};
use crate::http::json;
use crate::runs::service::{contributions, today};
use crate::{audit, App};
use chrono::Days;
use shebao_domain::api::{ContributionProof, FieldChange, ProofMonth};
use shebao_domain::ids::masked_id;
use shebao_domain::policy::InsuranceType;
use shebao_domain::self_service::{proof_summary, PROOF_VALID_DAYS};
use shebao_domain::{Lang, Period};
use worker::{Request, Response};

/// `POST /api/me/proofs` `{}` (the employee): a proof of the last 24 months of their record, 201.
pub async fn issue(mut req: Request, app: &App, user: &User) -> AppResult<Response> {
    let key = match idempotency::begin::<serde_json::Value>(&mut req, app, user).await? {
        Begin::Replay(stored) => return stored.into_response(),
        Begin::New(_, key) => key,
    };
    let employee_id = user.employee_id.as_deref().ok_or_else(|| AppError::ForbiddenBecause("只有员工本人可以开具缴费证明".into()))?;
    let record = crate::employees::repo::employee(app, employee_id).await?.ok_or(AppError::NotFound)?;
    let employer = repo::employer(app, employee_id).await?.ok_or(AppError::NotFound)?;
    let history = contributions(app, employee_id, 24).await?;
    let mut statuses = Vec::new();
    let months: Vec<ProofMonth> = history
        .into_iter()
        .map(|m| {
            if let Ok(p) = Period::parse(&m.period) {
                statuses.push((p, m.status));
            }
            ProofMonth {
                base: m.lines.iter().find(|l| l.insurance_type == InsuranceType::Pension).map(|l| l.base),
                period: m.period,
                employer_total: m.employer_total,
                employee_total: m.employee_total,
                status: m.status,
                status_label: m.status_label,
                receipt_no: m.receipt_no,
            }
        })
        .collect();
    let code = hex(&random_bytes(16)?);
    let expires_on = today(app)?
        .checked_add_days(Days::new(PROOF_VALID_DAYS))
        .ok_or_else(|| AppError::Internal("proof expiry".into()))?
        .to_string();
    let proof = ContributionProof {
        code: code.clone(),
        issued_at: app.now_iso.clone(),
        expires_on: expires_on.clone(),
        employee_name: record.name.clone(),
        resident_id_masked: masked_id(&record.resident_id).unwrap_or_default(),
        employer_name: employer.name,
        credit_code: employer.credit_code,
        summary: proof_summary(&statuses, Lang::Zh),
        months,
    };
    let changes = [FieldChange { field: "note".into(), label: "缴费证明".into(), before: None, after: Some(proof.summary.clone()) }];
    let statements = vec![
        repo::insert(app, &code, employee_id, &serde_json::to_string(&proof)?, &expires_on)?,
        audit::entry(app, user, audit::Entry { action: shebao_domain::audit::EMPLOYEE_PROOF_ISSUED, entity: "employee", entity_id: employee_id, changes: &changes }, true)?,
    ];
    idempotency::commit_with_key(app, user, key.as_ref(), Change { statements, guarded: Some(0) }, 201, &proof).await
}

/// `GET /api/proofs/{code}` (open to anyone with the link): the proof as issued, until it
/// expires; 404 otherwise, the same for a code that never existed.
pub async fn verify(app: &App, code: &str) -> AppResult<Response> {
    let found = repo::valid(app, code, &today(app)?.to_string()).await?.ok_or(AppError::NotFound)?;
    let proof: ContributionProof = serde_json::from_str(&found.snapshot)?;
    json(&proof, 200)
}
