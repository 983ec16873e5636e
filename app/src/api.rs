//! Every call the app makes to /api, typed with the shapes in `shebao_domain::api`: the
//! worker writes them and the app reads them with the same serde derives.

use gloo_net::http::{Request, RequestBuilder, Response};
use crate::i18n::{current_lang, Lang};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shebao_domain::api::{
    AcknowledgeBody, ActionBody, AlertView, AuditEntry, Branch, BudgetUpdate, ChangeDecision, ChangeView, ClaimActionBody,
    ClaimDetail, ClaimPage, ContributionMonth, ContributionProof, CreateRequest, Dashboard, EmployeeDetail, EmployeePage,
    EmployeePatch, ErrorBody, FaqPatch, FaqView, HelpAnswer, HelpTicket, LoginRequest, Me, NewChange, NewFaq, NewRun,
    NewTicket, NextPage, Notification, Notifications, OutboundMessage,
    PricePreview, RequestCounts, RequestDetail, RequestPage, RequestPatch, RevealedId, RunActionBody, RunChange, RunDetail,
    RunEmployeeLines, RunSummary,
    Settings, SettingsUpdate, TicketAnswer,
};
use shebao_domain::claim::{ClaimAction, ClaimForm, DocumentKind};
use shebao_domain::employee::EmployeeForm;
use shebao_domain::enrollment::{RequestAction, RequestForm};
use shebao_domain::roster::{ImportChunk, ImportCommit, ImportList, ImportStart, ImportStatus};
use shebao_domain::run::RunAction;
use shebao_domain::FieldError;
use std::fmt;

/// Why a call failed, in the terms a page acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// Not signed in (or the session expired).
    Unauthorized,
    /// A message for the user: forbidden, not found, conflict, locked, server trouble.
    Message { status: u16, message: String },
    /// Field errors from the server's validation (422).
    Fields(Vec<FieldError>),
    /// The request did not reach the server.
    Network,
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiFailure::Unauthorized => write!(f, "{}", current_lang().pick("请先登录", "Please sign in")),
            ApiFailure::Message { message, .. } => write!(f, "{message}"),
            ApiFailure::Fields(errors) => {
                let lang = current_lang();
                let messages: Vec<&str> = errors.iter().map(|e| e.message_in(lang)).collect();
                write!(f, "{}", messages.join(lang.pick("；", "; ")))
            }
            ApiFailure::Network => write!(
                f,
                "{}",
                current_lang().pick("网络连接失败，请检查网络后重试", "No connection: check the network and try again")
            ),
        }
    }
}

impl std::error::Error for ApiFailure {}

pub type ApiResult<T> = Result<T, ApiFailure>;

async fn failure(resp: Response) -> ApiFailure {
    let status = resp.status();
    let body: Option<ErrorBody> = resp.text().await.ok().and_then(|text| serde_json::from_str(&text).ok());
    match body {
        // A wrong password is a message for the login form, not a lost session.
        Some(ErrorBody { error: Some(e), .. }) if status == 401 && e.code == "bad_credentials" => {
            ApiFailure::Message { status, message: e.message_in(current_lang()).to_string() }
        }
        _ if status == 401 => ApiFailure::Unauthorized,
        Some(body) if !body.errors.is_empty() => ApiFailure::Fields(body.errors),
        Some(ErrorBody { error: Some(e), .. }) => {
            ApiFailure::Message { status, message: e.message_in(current_lang()).to_string() }
        }
        _ => ApiFailure::Message {
            status,
            message: match current_lang() {
                Lang::Zh => format!("请求失败（{status}），请稍后重试"),
                Lang::En => format!("The request failed ({status}); try again later"),
            },
        },
    }
}

/// The body of a successful answer. Not generic, so its code exists once for every call;
/// only the serde reader is per type, and it lands in the chunk of the page that calls it.
async fn fetch(req: Result<Request, gloo_net::Error>) -> ApiResult<String> {
    let resp = req.map_err(|_| ApiFailure::Network)?.send().await.map_err(|_| ApiFailure::Network)?;
    if resp.ok() {
        resp.text().await.map_err(|_| ApiFailure::Network)
    } else {
        Err(failure(resp).await)
    }
}

async fn send<T: DeserializeOwned>(req: Result<Request, gloo_net::Error>) -> ApiResult<T> {
    serde_json::from_str(&fetch(req).await?)
        .map_err(|_| ApiFailure::Message {
            status: 200,
            message: current_lang().pick("服务器返回的数据无法识别", "The server's answer could not be read").into(),
        })
}

fn with_body<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// A list's URL, filtered by `state` unless it is empty or the tabs' "all" (every state).
fn by_state(path: &str, state: &str) -> String {
    if state.is_empty() || state == "all" { path.to_string() } else { format!("{path}?state={}", enc(state)) }
}

/// `url` with `params` (`key=value&…`, already encoded) added to its query.
pub fn with_query(url: &str, params: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{params}")
}

/// The list at `path` in `state` as an .xlsx (the server's `?format=xlsx`).
pub fn export_url(path: &str, state: &str) -> String {
    with_query(&by_state(path, state), "format=xlsx")
}

/// A fresh key for one user intention (a submit); retries of it reuse the key.
pub fn idempotency_key() -> String {
    let r = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    format!("{:08x}{:08x}{:08x}", r(), r(), r())
}

pub async fn me() -> ApiResult<Me> {
    send(Request::get("/api/me").build()).await
}

pub async fn login(login: String, password: String) -> ApiResult<Me> {
    send(with_body(Request::post("/api/session"), &LoginRequest { login, password })).await
}

pub async fn logout() -> ApiResult<()> {
    let resp = Request::delete("/api/session").send().await.map_err(|_| ApiFailure::Network)?;
    if resp.ok() { Ok(()) } else { Err(failure(resp).await) }
}

pub async fn branches() -> ApiResult<Vec<Branch>> {
    send(Request::get("/api/branches").build()).await
}

/// The page after the cursor `after`, or before `before`, or (both empty) the first.
pub async fn employees(q: &str, branch: &str, after: &str, before: &str) -> ApiResult<EmployeePage> {
    let url = format!(
        "/api/employees?q={}&branch={}&after={}&before={}&per_page=20",
        enc(q),
        enc(branch),
        enc(after),
        enc(before)
    );
    send(Request::get(&url).build()).await
}

pub async fn employee(id: &str) -> ApiResult<EmployeeDetail> {
    send(Request::get(&format!("/api/employees/{}", enc(id))).build()).await
}

pub async fn create_employee(form: EmployeeForm, key: String) -> ApiResult<EmployeeDetail> {
    send(with_body(Request::post("/api/employees").header("Idempotency-Key", &key), &form)).await
}

pub async fn update_employee(id: String, patch: EmployeePatch) -> ApiResult<EmployeeDetail> {
    send(with_body(Request::patch(&format!("/api/employees/{}", enc(&id))), &patch)).await
}

/// Never replayed (every reveal is checked and audited); `{}`: every POST carries JSON.
pub async fn reveal_id(id: String) -> ApiResult<RevealedId> {
    let url = format!("/api/employees/{}/reveal-id", enc(&id));
    send(Request::post(&url).header("Content-Type", "application/json").body("{}")).await
}

pub async fn timeline(entity: &str, id: &str) -> ApiResult<Vec<AuditEntry>> {
    send(Request::get(&format!("/api/audit?entity={}&id={}", enc(entity), enc(id))).build()).await
}

pub async fn settings() -> ApiResult<Settings> {
    send(Request::get("/api/settings").build()).await
}

pub async fn save_settings(update: SettingsUpdate) -> ApiResult<Settings> {
    send(with_body(Request::put("/api/settings"), &update)).await
}

// ---- Enrollment requests (增员 / 补缴 / 减员 / 基数调整) ----

/// The price the confirmation shows; nothing is saved. `editing` names the request being
/// corrected, so that it does not count as a duplicate of itself.
pub async fn preview_request(form: RequestForm, editing: Option<String>) -> ApiResult<PricePreview> {
    let url = match editing {
        Some(id) => format!("/api/enrollments/preview?request={}", enc(&id)),
        None => "/api/enrollments/preview".to_string(),
    };
    send(with_body(Request::post(&url), &form)).await
}

pub async fn create_request(body: CreateRequest, key: String) -> ApiResult<RequestDetail> {
    send(with_body(Request::post("/api/enrollments").header("Idempotency-Key", &key), &body)).await
}

/// `state` and `employee` may be empty (no filter).
pub async fn requests(state: &str, employee: &str) -> ApiResult<RequestPage> {
    send(Request::get(&format!("/api/enrollments?state={}&employee={}", enc(state), enc(employee))).build()).await
}

pub async fn notifications() -> ApiResult<Notifications> {
    send(Request::get("/api/notifications").build()).await
}

/// Only `unread` of `Notifications`, for the bell in every page's header: reading just the
/// count keeps the list's reader out of the first download.
#[derive(serde::Deserialize)]
struct Unread {
    unread: u32,
}

pub async fn unread_count() -> ApiResult<u32> {
    send::<Unread>(Request::get("/api/notifications").build()).await.map(|n| n.unread)
}

pub async fn request_counts() -> ApiResult<RequestCounts> {
    send(Request::get("/api/enrollments/counts").build()).await
}

pub async fn request(id: &str) -> ApiResult<RequestDetail> {
    send(Request::get(&format!("/api/enrollments/{}", enc(id))).build()).await
}

pub async fn update_request(id: String, patch: RequestPatch) -> ApiResult<RequestDetail> {
    send(with_body(Request::patch(&format!("/api/enrollments/{}", enc(&id))), &patch)).await
}

pub async fn request_action(id: String, action: RequestAction, body: ActionBody, key: String) -> ApiResult<RequestDetail> {
    let url = format!("/api/enrollments/{}/{}", enc(&id), action.code());
    send(with_body(Request::post(&url).header("Idempotency-Key", &key), &body)).await
}

// ---- Monthly runs, the dashboard, escalation alerts ----

pub async fn dashboard() -> ApiResult<Dashboard> {
    send(Request::get("/api/dashboard").build()).await
}

/// Finance sets a branch's monthly budget ("" clears it); the dashboard as it now stands.
pub async fn set_budget(branch_id: String, body: BudgetUpdate) -> ApiResult<Dashboard> {
    send(with_body(Request::put(&format!("/api/branches/{}/budget", enc(&branch_id))), &body)).await
}

/// Starts generating `body`'s branch and month, or generates an unconfirmed run again.
pub async fn create_run(body: NewRun, key: String) -> ApiResult<RunSummary> {
    send(with_body(Request::post("/api/runs").header("Idempotency-Key", &key), &body)).await
}

/// The run with the first page of its employees' lines and of its changes.
pub async fn run(id: &str) -> ApiResult<RunDetail> {
    send(Request::get(&format!("/api/runs/{}", enc(id))).build()).await
}

/// The run's employees' lines after employee `after`.
pub async fn run_lines(id: &str, after: &str) -> ApiResult<NextPage<RunEmployeeLines>> {
    send(Request::get(&format!("/api/runs/{}/lines?after={}", enc(id), enc(after))).build()).await
}

/// The run's changes since last month after employee `after`.
pub async fn run_changes(id: &str, after: &str) -> ApiResult<NextPage<RunChange>> {
    send(Request::get(&format!("/api/runs/{}/changes?after={}", enc(id), enc(after))).build()).await
}

pub async fn run_action(id: String, action: RunAction, body: RunActionBody, key: String) -> ApiResult<RunDetail> {
    let url = format!("/api/runs/{}/{}", enc(&id), action.code());
    send(with_body(Request::post(&url).header("Idempotency-Key", &key), &body)).await
}

pub async fn alerts() -> ApiResult<Vec<AlertView>> {
    send(Request::get("/api/alerts").build()).await
}

pub async fn acknowledge_alert(id: String, body: AcknowledgeBody, key: String) -> ApiResult<AlertView> {
    let url = format!("/api/alerts/{}/acknowledge", enc(&id));
    send(with_body(Request::post(&url).header("Idempotency-Key", &key), &body)).await
}

// ---- Notifications, contribution records, the simulated outbox ----

/// Marking read is the same however often it is sent; `{}`: every POST carries JSON.
pub async fn mark_read(id: i64, key: String) -> ApiResult<Notification> {
    let url = format!("/api/notifications/{id}/read");
    send(Request::post(&url).header("Idempotency-Key", &key).header("Content-Type", "application/json").body("{}")).await
}

pub async fn mark_all_read(key: String) -> ApiResult<Notifications> {
    let req = Request::post("/api/notifications/read-all").header("Idempotency-Key", &key);
    send(req.header("Content-Type", "application/json").body("{}")).await
}

/// The employee's months, newest first.
pub async fn contributions(employee_id: &str) -> ApiResult<Vec<ContributionMonth>> {
    send(Request::get(&format!("/api/employees/{}/contributions", enc(employee_id))).build()).await
}

/// What the local email and SMS provider would have sent (administrators).
pub async fn messages() -> ApiResult<Vec<OutboundMessage>> {
    send(Request::get("/api/messages").build()).await
}

// ---- Medical reimbursement claims ----

/// A new claim, created as a draft (the employee then adds the documents and submits it).
pub async fn create_claim(form: ClaimForm, key: String) -> ApiResult<ClaimDetail> {
    send(with_body(Request::post("/api/claims").header("Idempotency-Key", &key), &form)).await
}

/// A page of them, newest first: the first, or the one just `after` or `before` a cursor;
/// `state` empty or "all": every state (the parameter is left out).
pub async fn claims(state: &str, after: &str, before: &str) -> ApiResult<ClaimPage> {
    let url = with_query(&by_state("/api/claims", state), &format!("after={}&before={}", enc(after), enc(before)));
    send(Request::get(&url).build()).await
}

pub async fn claim(id: &str) -> ApiResult<ClaimDetail> {
    send(Request::get(&format!("/api/claims/{}", enc(id))).build()).await
}

/// Sends the file itself as the body (no multipart, no copy in wasm memory); the browser
/// types it as the file's type (`Content-Type` of a `Blob` body). The server recognises the
/// type again by the content.
pub async fn upload_document(id: String, kind: DocumentKind, file: web_sys::File, key: String) -> ApiResult<ClaimDetail> {
    let url = format!("/api/claims/{}/documents?kind={}&name={}", enc(&id), kind.code(), enc(&file.name()));
    send(Request::post(&url).header("Idempotency-Key", &key).body(file)).await
}

/// Where a document's content is read (an image's `src`, a PDF's link).
pub fn document_url(claim: &str, document: &str) -> String {
    format!("/api/claims/{}/documents/{}", enc(claim), enc(document))
}

pub async fn claim_action(id: String, action: ClaimAction, body: ClaimActionBody, key: String) -> ApiResult<ClaimDetail> {
    let url = format!("/api/claims/{}/{}", enc(&id), action.route());
    send(with_body(Request::post(&url).header("Idempotency-Key", &key), &body)).await
}

// ---- Self-service requests and the proof of contributions ----

/// The employee's own requests, newest first.
pub async fn my_changes() -> ApiResult<Vec<ChangeView>> {
    send(Request::get("/api/me/changes").build()).await
}

pub async fn create_change(form: NewChange, key: String) -> ApiResult<ChangeView> {
    send(with_body(Request::post("/api/me/changes").header("Idempotency-Key", &key), &form)).await
}

/// The requests HR decides; `state` empty or "all": every state.
pub async fn changes(state: &str) -> ApiResult<Vec<ChangeView>> {
    send(Request::get(&by_state("/api/changes", state)).build()).await
}

/// `decision` is the route's word: "approve" or "reject".
pub async fn decide_change(id: String, decision: &'static str, body: ChangeDecision, key: String) -> ApiResult<ChangeView> {
    let url = format!("/api/changes/{}/{decision}", enc(&id));
    send(with_body(Request::post(&url).header("Idempotency-Key", &key), &body)).await
}

pub async fn issue_proof(key: String) -> ApiResult<ContributionProof> {
    send(with_body(Request::post("/api/me/proofs").header("Idempotency-Key", &key), &serde_json::json!({}))).await
}

/// A proof as anyone with its link reads it (no session needed).
pub async fn proof(code: &str) -> ApiResult<ContributionProof> {
    send(Request::get(&format!("/api/proofs/{}", enc(code))).build()).await
}

// ---- The help assistant ----

pub async fn ask(q: &str) -> ApiResult<HelpAnswer> {
    send(Request::get(&format!("/api/help?q={}", enc(q))).build()).await
}

/// The whole FAQ, disabled entries too (HR).
pub async fn faq() -> ApiResult<Vec<FaqView>> {
    send(Request::get("/api/faq").build()).await
}

pub async fn create_faq(input: NewFaq, key: String) -> ApiResult<FaqView> {
    send(with_body(Request::post("/api/faq").header("Idempotency-Key", &key), &input)).await
}

pub async fn update_faq(id: String, patch: FaqPatch) -> ApiResult<FaqView> {
    send(with_body(Request::patch(&format!("/api/faq/{}", enc(&id))), &patch)).await
}

/// 转人工: the question to the branch's HR.
pub async fn create_ticket(question: String, key: String) -> ApiResult<HelpTicket> {
    send(with_body(Request::post("/api/help/tickets").header("Idempotency-Key", &key), &NewTicket { question })).await
}

/// HR's queue, or the employee's own questions; `state` empty or "all": every state.
pub async fn tickets(state: &str) -> ApiResult<Vec<HelpTicket>> {
    send(Request::get(&by_state("/api/help/tickets", state)).build()).await
}

pub async fn answer_ticket(id: String, body: TicketAnswer, key: String) -> ApiResult<HelpTicket> {
    let url = format!("/api/help/tickets/{}/answer", enc(&id));
    send(with_body(Request::post(&url).header("Idempotency-Key", &key), &body)).await
}

// ---- The roster import (花名册导入) ----

/// A file about to be sent in chunks; 201 with the import the rows go to.
pub async fn start_import(body: ImportStart, key: String) -> ApiResult<ImportStatus> {
    send(with_body(Request::post("/api/imports").header("Idempotency-Key", &key), &body)).await
}

/// The user's unfinished imports, newest first (to continue one after a reload).
pub async fn imports() -> ApiResult<Vec<ImportStatus>> {
    send::<ImportList>(Request::get("/api/imports").build()).await.map(|l| l.imports)
}

pub async fn import(id: &str) -> ApiResult<ImportStatus> {
    send(Request::get(&format!("/api/imports/{}", enc(id))).build()).await
}

/// One chunk; the answer's `errors` are the server's findings in it. A replay of a chunk
/// already received answers the import as it stands and writes nothing.
pub async fn import_rows(id: &str, chunk: &ImportChunk, key: &str) -> ApiResult<ImportStatus> {
    let url = format!("/api/imports/{}/rows", enc(id));
    send(with_body(Request::post(&url).header("Idempotency-Key", key), chunk)).await
}

pub async fn commit_import(id: &str, body: ImportCommit, key: String) -> ApiResult<ImportStatus> {
    let url = format!("/api/imports/{}/commit", enc(id));
    send(with_body(Request::post(&url).header("Idempotency-Key", &key), &body)).await
}

/// The rejected rows with their errors, as an .xlsx the server makes.
pub fn rejected_rows_url(id: &str) -> String {
    format!("/api/imports/{}/rejected", enc(id))
}

// ---- Reports ----

/// A report's address: `name` is `late-payments`, `claim-times` or `costs`, `query` its
/// filter as the page's URL has it (`from=…&to=…&branch=…`, each part optional).
fn report_url(name: &str, query: &str) -> String {
    if query.is_empty() { format!("/api/reports/{name}") } else { format!("/api/reports/{name}?{query}") }
}

/// The same report as an .xlsx (a plain link downloads it).
pub fn report_export_url(name: &str, query: &str) -> String {
    report_url(name, &if query.is_empty() { "format=xlsx".into() } else { format!("{query}&format=xlsx") })
}

pub async fn reports_late_payments(query: String) -> ApiResult<shebao_domain::report::LatePayments> {
    send(Request::get(&report_url("late-payments", &query)).build()).await
}

pub async fn reports_claim_times(query: String) -> ApiResult<shebao_domain::report::ClaimTimes> {
    send(Request::get(&report_url("claim-times", &query)).build()).await
}

pub async fn reports_costs(query: String) -> ApiResult<shebao_domain::report::Costs> {
    send(Request::get(&report_url("costs", &query)).build()).await
}
