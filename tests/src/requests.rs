//! Helpers for the API tests: an enrollment form, the calls a person makes, and races of them.

use crate::TestApp;
use reqwest::{Client, RequestBuilder, StatusCode};
use serde_json::{json, Value};
use shebao_domain::ids::today_in_china;
use shebao_domain::Period;

pub fn current() -> Period {
    Period::of(today_in_china())
}

pub fn form(kind: &str, employee: &str, from: Period, to: Period) -> Value {
    json!({
        "kind": kind, "employee_id": employee, "insurance_types": ["pension", "medical"],
        "base": "10000", "from_month": from.to_string(), "to_month": to.to_string(),
        "reason": if kind == "back_payment" { "入职时漏报" } else { "" }
    })
}

pub async fn post(client: &Client, app: &TestApp, path: &str, body: Value) -> (StatusCode, Value) {
    let resp = client.post(app.url(path)).json(&body).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Sends `requests` all at once and gives their statuses, in order: the races a version
/// guard must win once. wrangler's dev proxy now and then answers one of many parallel
/// POSTs with its own 503 "Your worker restarted mid-request" (never one of ours): that
/// request is sent again, as a client would, which the version guard makes safe.
pub async fn race(requests: impl IntoIterator<Item = RequestBuilder>) -> Vec<StatusCode> {
    let sent: Vec<_> = requests
        .into_iter()
        .map(|request| {
            tokio::spawn(async move {
                for _ in 0..3 {
                    let resp = request.try_clone().expect("a body that clones").send().await.unwrap();
                    let status = resp.status();
                    if status != StatusCode::SERVICE_UNAVAILABLE || !resp.text().await.unwrap_or_default().starts_with(DEV_PROXY_RESTARTED) {
                        return status;
                    }
                }
                StatusCode::SERVICE_UNAVAILABLE
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for s in sent {
        statuses.push(s.await.unwrap());
    }
    statuses
}

/// How wrangler's dev proxy (ProxyWorker) begins its 503.
const DEV_PROXY_RESTARTED: &str = "Your worker restarted mid-request";

pub async fn get(client: &Client, app: &TestApp, path: &str) -> Value {
    let resp = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "GET {path}");
    resp.json().await.unwrap()
}

/// Creates and submits a request as `client`; returns its detail.
pub async fn submitted(client: &Client, app: &TestApp, body: Value) -> Value {
    let mut body = body;
    body["submit"] = json!(true);
    let (status, detail) = post(client, app, "/api/enrollments", body).await;
    assert_eq!(status, 201, "{detail}");
    assert_eq!(detail["state"], "submitted");
    detail
}

pub async fn act(client: &Client, app: &TestApp, detail: &Value, action: &str, reason: Option<&str>) -> (StatusCode, Value) {
    let id = detail["id"].as_str().unwrap();
    post(client, app, &format!("/api/enrollments/{id}/{action}"), json!({"version": detail["version"], "reason": reason})).await
}

pub async fn set_hold_minutes(app: &TestApp, minutes: i64) {
    let admin = app.client_as("admin").await;
    let resp = admin.put(app.url("/api/settings")).json(&json!({"execution_hold_minutes": minutes})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
}

pub async fn actions(client: &Client, app: &TestApp, id: &str, action: &str) -> usize {
    let entries: Vec<Value> = get(client, app, &format!("/api/audit?entity=enrollment&id={id}")).await.as_array().unwrap().clone();
    entries.iter().filter(|e| e["action"] == action).count()
}


/// An enrollment of this month for `employee`, submitted by `maker`, approved and sent at
/// once by `checker`: its detail once the bureau filed it.
pub async fn executed(maker: &Client, checker: &Client, app: &TestApp, employee: &str) -> Value {
    let detail = submitted(maker, app, form("enrollment", employee, current(), current())).await;
    let (_, approved) = act(checker, app, &detail, "approve", None).await;
    let (status, executed) = act(checker, app, &approved, "execute", None).await;
    assert_eq!((status.as_u16(), executed["state"].as_str()), (200, Some("executed")), "{executed}");
    executed
}
