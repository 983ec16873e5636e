//! Every shape the worker writes, the app reads: each answer of the API is read with serde
//! into the type the app reads it with (`shebao_domain::api`), and written back, and must
//! come out as the same JSON — so no field the worker sends is unknown to the app or lost.

use reqwest::{Client, Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use shebao_domain::api::{
    AlertView, AuditEntry, Branch, ContributionMonth, Dashboard, EmployeeDetail, EmployeePage, ErrorBody, Me, Notifications, PricePreview, RequestCounts, RequestDetail,
    OutboundMessage, RequestPage, RevealedId, RunDetail, RunSummary,
};
use shebao_tests::requests::{act, current, executed, form};
use shebao_tests::{spawn_app, TestApp};
use std::fmt::Debug;

/// Calls the API and checks that its JSON reads as `T` and writes back unchanged; returns it.
async fn reads_as<T: DeserializeOwned + Serialize + Debug>(
    client: &Client,
    app: &TestApp,
    method: Method,
    path: &str,
    body: Option<Value>,
    status: StatusCode,
) -> T {
    let mut req = client.request(method.clone(), app.url(path));
    if let Some(body) = body {
        req = req.json(&body);
    }
    let resp = req.send().await.unwrap();
    assert_eq!(resp.status(), status, "{method} {path}");
    let sent: Value = resp.json().await.unwrap();
    let read: T = serde_json::from_value(sent.clone())
        .unwrap_or_else(|e| panic!("{method} {path}: the app cannot read {sent}: {e}"));
    assert_eq!(serde_json::to_value(&read).unwrap(), sent, "{method} {path}: a field is lost in reading");
    read
}

#[tokio::test]
async fn every_answer_reads_into_the_apps_types_without_losing_a_field() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let lead = app.client_as("wang.lead").await;
    let ok = StatusCode::OK;

    let me: Me = reads_as(&hr, &app, Method::GET, "/api/me", None, ok).await;
    assert_eq!(me.login, "li.hr");
    let branches: Vec<Branch> = reads_as(&hr, &app, Method::GET, "/api/branches", None, ok).await;
    assert!(!branches.is_empty());
    let page: EmployeePage = reads_as(&hr, &app, Method::GET, "/api/employees?per_page=5", None, ok).await;
    assert_eq!(page.items.len(), 5);
    assert!(page.prev.is_none() && page.next.is_some(), "the first of several pages");
    let _: EmployeeDetail = reads_as(&hr, &app, Method::GET, "/api/employees/emp-0001", None, ok).await;
    let _: RevealedId =
        reads_as(&hr, &app, Method::POST, "/api/employees/emp-0001/reveal-id", Some(json!({})), ok).await;

    let draft = form("back_payment", "emp-0012", current().prev(), current().prev());
    let _: PricePreview =
        reads_as(&hr, &app, Method::POST, "/api/enrollments/preview", Some(draft.clone()), ok).await;
    let mut body = draft;
    body["submit"] = json!(true);
    let created: RequestDetail =
        reads_as(&hr, &app, Method::POST, "/api/enrollments", Some(body), StatusCode::CREATED).await;
    let id = created.summary.id.clone();
    let _: RequestDetail = reads_as(&lead, &app, Method::GET, &format!("/api/enrollments/{id}"), None, ok).await;
    let list: RequestPage = reads_as(&hr, &app, Method::GET, "/api/enrollments?state=submitted", None, ok).await;
    assert!(list.items.iter().any(|r| r.id == id));
    let _: RequestCounts = reads_as(&hr, &app, Method::GET, "/api/enrollments/counts", None, ok).await;
    let rejected: RequestDetail = reads_as(
        &lead,
        &app,
        Method::POST,
        &format!("/api/enrollments/{id}/reject"),
        Some(json!({"version": created.summary.version, "reason": "月份不对"})),
        ok,
    )
    .await;
    let mut patch = form("back_payment", "emp-0012", current().prev(), current().prev());
    patch["version"] = json!(rejected.summary.version);
    let _: RequestDetail =
        reads_as(&hr, &app, Method::PATCH, &format!("/api/enrollments/{id}"), Some(patch), ok).await;
    let timeline: Vec<AuditEntry> =
        reads_as(&hr, &app, Method::GET, &format!("/api/audit?entity=enrollment&id={id}"), None, ok).await;
    assert!(timeline.len() >= 3);

    // An executed request (with its filing and receipt), and an alert (a bureau refusal).
    let filed = executed(&hr, &lead, &app, "emp-0018").await;
    let _: RequestDetail = reads_as(&hr, &app, Method::GET, &format!("/api/enrollments/{}", filed["id"].as_str().unwrap()), None, ok).await;
    let refused = shebao_tests::requests::submitted(&hr, &app, form("enrollment", "emp-0020", current(), current())).await;
    let (_, approved) = act(&lead, &app, &refused, "approve", None).await;
    assert!(app
        .d1_execute("INSERT INTO bureau_sim_elsewhere (resident_id, employer) SELECT resident_id, '某公司' FROM employees WHERE id = 'emp-0020'")
        .status
        .success());
    let (status, _) = act(&lead, &app, &approved, "execute", None).await;
    assert_eq!(status, ok);
    let told: Notifications = reads_as(&hr, &app, Method::GET, "/api/notifications", None, ok).await;
    assert!(!told.items.is_empty());

    // Failures: field errors, and a message.
    let bad: ErrorBody = reads_as(
        &hr,
        &app,
        Method::POST,
        "/api/enrollments/preview",
        Some(json!({"kind": "back_payment", "employee_id": "emp-0012", "insurance_types": [], "base": "x", "from_month": "", "to_month": "", "reason": ""})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(!bad.errors.is_empty());
    // Monthly runs, the dashboard, alerts and contribution records.
    let board: Dashboard = reads_as(&hr, &app, Method::GET, "/api/dashboard", None, ok).await;
    let run_id = board.branches[0].run.as_ref().unwrap().id.clone();
    let _: Vec<RunSummary> = reads_as(&hr, &app, Method::GET, "/api/runs", None, ok).await;
    let _: RunDetail = reads_as(&hr, &app, Method::GET, &format!("/api/runs/{run_id}"), None, ok).await;
    let _: Vec<AlertView> = reads_as(&hr, &app, Method::GET, "/api/alerts", None, ok).await;
    let months: Vec<ContributionMonth> =
        reads_as(&hr, &app, Method::GET, "/api/employees/emp-0001/contributions", None, ok).await;
    assert!(!months.is_empty());
    let admin = app.client_as("admin").await;
    let _: Vec<OutboundMessage> = reads_as(&admin, &app, Method::GET, "/api/messages", None, ok).await;

    let missing: ErrorBody =
        reads_as(&hr, &app, Method::GET, "/api/enrollments/req-none", None, StatusCode::NOT_FOUND).await;
    let missing = missing.error.unwrap();
    assert_eq!((missing.message.as_str(), missing.message_en.as_str()), ("记录不存在", "No such record"));
}
