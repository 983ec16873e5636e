//! Enrollment requests through HTTP on the real stack: maker-checker, the price, undo
//! before execution, execution through the outbox with retries, revocation at the bureau.

use reqwest::StatusCode;
use serde_json::{json, Value};
use shebao_tests::requests::{act, actions, current, executed, form, get, post, race, set_hold_minutes, submitted};
use shebao_tests::spawn_app;

#[tokio::test]
async fn nobody_approves_what_they_submitted() {
    let app = spawn_app().await;
    // An HR manager may both submit and review, but never review their own submission.
    let manager = app.client_as("chen.mgr").await;
    let detail = submitted(&manager, &app, form("enrollment", "emp-0025", current(), current())).await;
    let (status, body) = act(&manager, &app, &detail, "approve", None).await;
    assert_eq!(status, 403);
    assert_eq!(body["error"]["message"], "您创建、修改或提交过此申请，不能审核它；请由另一位主管审核");
    assert_eq!(
        body["error"]["message_en"],
        "You created, changed or submitted this request, so you cannot review it; another supervisor must"
    );
    let specialist_on_own = app.client_as("li.hr").await;
    let mine = submitted(&specialist_on_own, &app, form("enrollment", "emp-0002", current(), current())).await;
    let (status, _) = act(&specialist_on_own, &app, &mine, "approve", None).await;
    assert_eq!(status, 403, "a specialist cannot approve at all");
    let supervisor = app.client_as("wang.lead").await;
    let (status, approved) = act(&supervisor, &app, &mine, "approve", None).await;
    assert_eq!(status, 200);
    assert_eq!(approved["state"], "approved");
    assert!(approved["execute_after"].is_string());
}

#[tokio::test]
async fn twenty_concurrent_approvals_give_one_success() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0003", current(), current())).await;
    let supervisor = app.client_as("wang.lead").await;
    let url = app.url(&format!("/api/enrollments/{}/approve", detail["id"].as_str().unwrap()));
    let results = race((0..20).map(|_| supervisor.post(&url).json(&json!({"version": detail["version"]})))).await;
    let ok = results.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = results.iter().filter(|s| **s == StatusCode::CONFLICT).count();
    assert_eq!((ok, conflicts), (1, 19), "{results:?}");
    assert_eq!(actions(&hr, &app, detail["id"].as_str().unwrap(), "enrollment.approve").await, 1);
}

#[tokio::test]
async fn a_revoke_after_execution_points_to_the_bureau_revocation() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let supervisor = app.client_as("wang.lead").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0004", current(), current())).await;
    let (_, approved) = act(&supervisor, &app, &detail, "approve", None).await;
    let (status, executed) = act(&supervisor, &app, &approved, "execute", None).await;
    assert_eq!(status, 200, "{executed}");
    assert_eq!(executed["state"], "executed");
    assert!(executed["receipt_no"].as_str().unwrap().starts_with("SIM"));
    let (status, body) = act(&supervisor, &app, &executed, "revoke", None).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"].as_str().unwrap().contains("申请社保局撤销"), "{body}");

    // Inside the window the bureau accepts the revocation.
    let (status, _) = act(&hr, &app, &executed, "request-revocation", None).await;
    assert_eq!(status, 422, "a reason is required");
    let (status, asked) = act(&hr, &app, &executed, "request-revocation", Some("误将正常增员报为补缴")).await;
    assert_eq!(status, 200, "{asked}");
    assert_eq!(asked["state"], "revocation_requested", "a second person decides before it is sent");
    let (status, revoked) = act(&supervisor, &app, &asked, "approve-revocation", None).await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["state"], "revoked_at_bureau");
    assert!(revoked["bureau_answer"].as_str().unwrap().contains("模拟社保局"));
}

#[tokio::test]
async fn a_repeated_idempotency_key_creates_nothing_new() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let mut body = form("enrollment", "emp-0005", current(), current());
    body["submit"] = json!(true);
    let send = || hr.post(app.url("/api/enrollments")).header("Idempotency-Key", "k-1").json(&body).send();
    let first: Value = send().await.unwrap().json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.status(), 201);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    let second: Value = again.json().await.unwrap();
    assert_eq!(first["id"], second["id"]);
    let list = get(&hr, &app, "/api/enrollments?employee=emp-0005").await;
    assert_eq!(list["total"], 1);

    // The same for an action: the replay approves nothing twice.
    let supervisor = app.client_as("wang.lead").await;
    let approve = || {
        supervisor
            .post(app.url(&format!("/api/enrollments/{}/approve", first["id"].as_str().unwrap())))
            .header("Idempotency-Key", "approve-1")
            .json(&json!({"version": first["version"]}))
            .send()
    };
    assert_eq!(approve().await.unwrap().status(), 200);
    assert_eq!(approve().await.unwrap().status(), 200);
    assert_eq!(actions(&hr, &app, first["id"].as_str().unwrap(), "enrollment.approve").await, 1);
}

#[tokio::test]
async fn a_failing_bureau_call_is_retried_and_the_item_executed_once() {
    let app = spawn_app().await;
    set_hold_minutes(&app, 0).await;
    let admin = app.client_as("admin").await;
    let resp = admin.put(app.url("/api/bureau-simulator")).json(&json!({"fail_next": 1, "fail_percent": 0})).send().await.unwrap();
    assert_eq!(resp.status(), 200);

    let hr = app.client_as("li.hr").await;
    let supervisor = app.client_as("wang.lead").await;
    let detail = submitted(&hr, &app, form("enrollment", "emp-0006", current(), current())).await;
    let (_, approved) = act(&supervisor, &app, &detail, "approve", None).await;
    let id = approved["id"].as_str().unwrap().to_string();

    app.run_cron().await;
    let after_failure = get(&hr, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(after_failure["state"], "filing", "the bureau was down: the filing waits for its retry");

    tokio::time::sleep(std::time::Duration::from_millis(5_500)).await; // the first backoff
    app.run_cron().await;
    app.run_cron().await;
    let done = get(&hr, &app, &format!("/api/enrollments/{id}")).await;
    assert_eq!(done["state"], "executed");
    assert_eq!(actions(&hr, &app, &id, "enrollment.start_filing").await, 1);
    assert_eq!(actions(&hr, &app, &id, "enrollment.bureau_files").await, 1);
    let sim = get(&admin, &app, "/api/bureau-simulator").await;
    assert_eq!(sim["filings"], 1);
    assert_eq!(sim["calls"], 2, "one failed call, one success, nothing after");
}

#[tokio::test]
async fn the_price_is_previewed_and_stored_the_same() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let last = current().prev();
    let first = last.prev().prev();
    let body = form("back_payment", "emp-0007", first, last);
    let (status, preview) = post(&hr, &app, "/api/enrollments/preview", body.clone()).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["price"]["months"].as_array().unwrap().len(), 3);
    let confirmation = preview["confirmation"].as_str().unwrap();
    assert!(confirmation.starts_with("您即将为员工") && confirmation.contains("补缴") && confirmation.contains('¥'), "{confirmation}");
    assert!(preview["explanation"].as_str().unwrap().contains("补缴"));
    assert_ne!(preview["price"]["late_fee_total"], "0.00", "past months are overdue");
    let stored = submitted(&hr, &app, body).await;
    assert_eq!(stored["total"], preview["price"]["total"]);
    assert_eq!(stored["price"]["months"], preview["price"]["months"]);

    // Nothing was written by the preview itself: only the submitted one exists.
    assert_eq!(get(&hr, &app, "/api/enrollments?employee=emp-0007").await["total"], 1);
}

#[tokio::test]
async fn bad_requests_are_refused_with_field_errors() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let codes = |v: &Value| -> Vec<String> {
        v["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_string()).collect()
    };
    let (status, body) = post(&hr, &app, "/api/enrollments", form("enrollment", "emp-0008", current().next(), current().next())).await;
    assert_eq!(status, 422);
    assert!(codes(&body).contains(&"months.future".to_string()), "{body}");

    let (status, body) = post(&hr, &app, "/api/enrollments", form("enrollment", "emp-0019", current(), current())).await;
    assert_eq!(status, 422);
    assert!(codes(&body).contains(&"bureau.insured_elsewhere".to_string()), "{body}");

    let mut zero = form("enrollment", "emp-0008", current(), current());
    zero["base"] = json!("0");
    let (status, body) = post(&hr, &app, "/api/enrollments", zero).await;
    assert_eq!(status, 422);
    assert!(codes(&body).contains(&"base.not_positive".to_string()), "{body}");

    submitted(&hr, &app, form("enrollment", "emp-0008", current(), current())).await;
    let (status, body) = post(&hr, &app, "/api/enrollments", form("enrollment", "emp-0008", current(), current())).await;
    assert_eq!(status, 422);
    assert!(codes(&body).contains(&"enrollment.duplicate".to_string()), "{body}");
    assert_eq!(get(&hr, &app, "/api/enrollments?employee=emp-0008").await["total"], 1, "nothing half-written");
}

#[tokio::test]
async fn an_approval_revoked_in_time_is_corrected_and_the_reviewer_sees_what_changed() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let supervisor = app.client_as("wang.lead").await;
    // 小李's mistake: a back-payment for a new hire.
    let last = current().prev();
    let mistake = submitted(&hr, &app, form("back_payment", "emp-0009", last, last)).await;
    let (_, approved) = act(&supervisor, &app, &mistake, "approve", None).await;
    let (status, back) = act(&supervisor, &app, &approved, "revoke", None).await;
    assert_eq!(status, 200);
    assert_eq!(back["state"], "submitted");
    assert!(back["execute_after"].is_null());

    let id = back["id"].as_str().unwrap();
    let mut corrected = form("enrollment", "emp-0009", current(), current());
    corrected["version"] = back["version"].clone();
    let resp = hr.patch(app.url(&format!("/api/enrollments/{id}"))).json(&corrected).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let fixed: Value = resp.json().await.unwrap();
    assert_eq!(fixed["kind"], "enrollment");
    let seen: Value = get(&supervisor, &app, &format!("/api/enrollments/{id}")).await;
    let kind_change = seen["changes_since_review"].as_array().unwrap().iter().find(|c| c["field"] == "kind").unwrap().clone();
    assert_eq!((kind_change["before"].as_str(), kind_change["after"].as_str()), (Some("补缴"), Some("正常增员")));
    assert!(seen["actions"].as_array().unwrap().contains(&json!("approve")));

    // A stale version is refused.
    let resp = hr.patch(app.url(&format!("/api/enrollments/{id}"))).json(&corrected).send().await.unwrap();
    assert_eq!(resp.status(), 409);

    let (status, _) = act(&supervisor, &app, &seen, "approve", None).await;
    assert_eq!(status, 200);
    let entries = get(&hr, &app, &format!("/api/audit?entity=enrollment&id={id}")).await;
    let steps: Vec<&str> = entries.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        steps,
        ["enrollment.create", "enrollment.submit", "enrollment.approve", "enrollment.revoke", "enrollment.update", "enrollment.approve"]
    );
}

#[tokio::test]
async fn revocation_is_refused_outside_the_window() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let supervisor = app.client_as("wang.lead").await;
    let executed_of = |employee| executed(&hr, &supervisor, &app, employee);
    // Well past three working days, whatever holidays lie between.
    let thirty_days_ms = 30 * 24 * 60 * 60 * 1000_i64;

    // Our own records say the window has passed: the request is refused before the bureau is asked.
    let late = executed_of("emp-0013").await;
    let id = late["id"].as_str().unwrap();
    let out = app.d1_execute(&format!(
        "UPDATE enrollment_requests SET executed_at = executed_at - {thirty_days_ms} WHERE id = '{id}'"
    ));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (status, body) = act(&hr, &app, &late, "request-revocation", Some("误报")).await;
    assert_eq!(status, 409);
    assert!(body["error"]["message"].as_str().unwrap().contains("已超过社保局撤销期限"), "{body}");

    // The bureau's records say so (its clock is the one that counts): it refuses, and the
    // refusal is tracked on the request.
    let filed_long_ago = executed_of("emp-0014").await;
    let id = filed_long_ago["id"].as_str().unwrap();
    let out = app.d1_execute(&format!(
        "UPDATE bureau_sim_filings SET filed_at = filed_at - {thirty_days_ms} WHERE request_id = '{id}'"
    ));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (status, asked) = act(&hr, &app, &filed_long_ago, "request-revocation", Some("误报")).await;
    assert_eq!(status, 200, "{asked}");
    let (status, refused) = act(&supervisor, &app, &asked, "approve-revocation", None).await;
    assert_eq!(status, 200, "{refused}");
    assert_eq!(refused["state"], "revocation_refused");
    assert!(refused["bureau_answer"].as_str().unwrap().contains("已超过撤销期限"), "{refused}");
}

#[tokio::test]
async fn the_bureau_judges_a_revocation_by_when_it_was_asked_for() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let supervisor = app.client_as("wang.lead").await;
    let filed = executed(&hr, &supervisor, &app, "emp-0015").await;
    let id = filed["id"].as_str().unwrap();
    let (status, asked) = act(&hr, &app, &filed, "request-revocation", Some("误报")).await;
    assert_eq!(status, 200, "{asked}");
    // Asked for inside the window, but the second person approves (and the bureau
    // processes it) thirty days later: the filing, the execution and the request all moved
    // back by thirty days, so only the processing time lies past the window.
    let thirty_days_ms = 30 * 24 * 60 * 60 * 1000_i64;
    for sql in [
        format!("UPDATE bureau_sim_filings SET filed_at = filed_at - {thirty_days_ms} WHERE request_id = '{id}'"),
        format!(
            "UPDATE enrollment_requests SET executed_at = executed_at - {thirty_days_ms}, \
             revocation_requested_at = revocation_requested_at - {thirty_days_ms} WHERE id = '{id}'"
        ),
    ] {
        let out = app.d1_execute(&sql);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let (status, revoked) = act(&supervisor, &app, &asked, "approve-revocation", None).await;
    assert_eq!(status, 200, "{revoked}");
    assert_eq!(revoked["state"], "revoked_at_bureau", "{revoked}");
}
