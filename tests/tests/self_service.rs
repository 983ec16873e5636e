//! Employee self-service through HTTP on the real stack: a change of bank card or contact
//! details takes effect only once HR approves it, card numbers are checked and shown only
//! masked, and an employee can never set an enrollment kind, a base or a removal, nor read
//! anyone else's record.

use reqwest::StatusCode;
use serde_json::{json, Value};
use shebao_tests::requests::{form, current, get, post};
use shebao_tests::spawn_app;

const NEW_CARD: &str = "6217 0000 1000 2000 303";

fn luhn_completed(body: &str) -> String {
    format!("{body}{}", shebao_domain::self_service::luhn_check_digit(body).unwrap())
}

#[tokio::test]
async fn a_new_bank_card_takes_effect_only_when_hr_approves_and_is_shown_masked() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let card = luhn_completed(&NEW_CARD.replace(' ', "")[..18]);
    let before = get(&zhangsan, &app, "/api/employees/emp-0001").await;
    assert_eq!(before["bank_card"], "6222 **** **** 3446");

    // A typo in the card number is caught by its check digit.
    let mut typo = card.clone().into_bytes();
    typo[5] = if typo[5] == b'9' { b'0' } else { typo[5] + 1 };
    let (status, body) = post(&zhangsan, &app, "/api/me/changes", json!({"kind": "bank_card", "bank_card": String::from_utf8(typo).unwrap()})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["code"], "bank_card.check_digit");

    let (status, asked) = post(&zhangsan, &app, "/api/me/changes", json!({"kind": "bank_card", "bank_card": card})).await;
    assert_eq!(status, 201, "{asked}");
    assert_eq!(asked["state"], "pending");
    let masked = format!("{} **** **** {}", &card[..4], &card[card.len() - 4..]);
    assert_eq!(asked["summary"], format!("银行卡改为 {masked}"));
    // Not in effect yet.
    assert_eq!(get(&zhangsan, &app, "/api/employees/emp-0001").await["bank_card"], "6222 **** **** 3446");

    let hr = app.client_as("li.hr").await;
    let pending = hr.get(app.url("/api/changes?state=pending")).send().await.unwrap().text().await.unwrap();
    assert!(pending.contains(&masked) && !pending.contains(&card), "only ever masked: {pending}");
    let finance = app.client_as("zhao.fin").await;
    let id = asked["id"].as_str().unwrap();
    assert_eq!(post(&finance, &app, &format!("/api/changes/{id}/approve"), json!({"version": 1})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(post(&zhangsan, &app, &format!("/api/changes/{id}/approve"), json!({"version": 1})).await.0, StatusCode::FORBIDDEN);
    let (status, approved) = post(&hr, &app, &format!("/api/changes/{id}/approve"), json!({"version": 1})).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "approved");
    assert_eq!(post(&hr, &app, &format!("/api/changes/{id}/approve"), json!({"version": 2})).await.0, StatusCode::CONFLICT);

    // In effect, and stored in full only in the record.
    assert_eq!(get(&zhangsan, &app, "/api/employees/emp-0001").await["bank_card"], masked);
    assert_eq!(app.d1_rows("SELECT bank_card FROM employees WHERE id = 'emp-0001'")[0]["bank_card"], card);
    let audit = get(&hr, &app, "/api/audit?entity=employee&id=emp-0001").await.to_string();
    assert!(audit.contains(&masked) && !audit.contains(&card));
    let mine: Vec<Value> = get(&zhangsan, &app, "/api/me/changes").await.as_array().unwrap().clone();
    assert_eq!(mine[0]["state_label"], "已通过，已生效");
    let told = get(&zhangsan, &app, "/api/notifications").await.to_string();
    assert!(told.contains("更换银行卡") && told.contains("已通过"));
}

#[tokio::test]
async fn contact_changes_and_base_reviews_are_decided_by_hr_with_reasons() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let hr = app.client_as("li.hr").await;
    let phone_before = get(&zhangsan, &app, "/api/employees/emp-0001").await["phone"].clone();
    let (status, body) = post(&zhangsan, &app, "/api/me/changes", json!({"kind": "contact", "phone": "123", "email": "x@"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"].as_array().unwrap().len(), 2);
    let (status, asked) = post(&zhangsan, &app, "/api/me/changes", json!({"kind": "contact", "phone": "139 1234 5678"})).await;
    assert_eq!(status, 201, "{asked}");
    let id = asked["id"].as_str().unwrap();
    // Rejecting needs a reason; then nothing changes on the record.
    assert_eq!(post(&hr, &app, &format!("/api/changes/{id}/reject"), json!({"version": 1})).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, rejected) = post(&hr, &app, &format!("/api/changes/{id}/reject"), json!({"version": 1, "reason": "请先完成手机号实名认证"})).await;
    assert_eq!(status, 200);
    assert_eq!(rejected["state"], "rejected");
    assert_eq!(get(&zhangsan, &app, "/api/employees/emp-0001").await["phone"], phone_before);
    assert!(get(&zhangsan, &app, "/api/notifications").await.to_string().contains("实名认证"));

    // A base review asks HR to look; it never sets the base.
    let (status, body) = post(&zhangsan, &app, "/api/me/changes", json!({"kind": "base_review"})).await;
    assert_eq!((status, body["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reason")));
    let salary = get(&zhangsan, &app, "/api/employees/emp-0001").await["salary"].clone();
    let (status, review) = post(&zhangsan, &app, "/api/me/changes", json!({"kind": "base_review", "reason": "今年起月薪已调整为 25,000 元"})).await;
    assert_eq!(status, 201);
    let id = review["id"].as_str().unwrap();
    let (status, _) = post(&hr, &app, &format!("/api/changes/{id}/approve"), json!({"version": 1, "reason": "将按新工资提交基数调整"})).await;
    assert_eq!(status, 200);
    assert_eq!(get(&zhangsan, &app, "/api/employees/emp-0001").await["salary"], salary);
}

#[tokio::test]
async fn an_employee_never_sets_a_kind_a_base_or_a_removal_nor_reads_anyone_else() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    // The self-service form has no base: sending one makes the request invalid.
    let (status, _) = post(&zhangsan, &app, "/api/me/changes", json!({"kind": "contact", "phone": "13912345678", "base": "50000"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for kind in ["enrollment", "back_payment", "removal", "base_adjustment"] {
        let (status, _) = post(&zhangsan, &app, "/api/enrollments", form(kind, "emp-0001", current(), current())).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{kind}");
    }
    let record = get(&zhangsan, &app, "/api/employees/emp-0001").await;
    let patch = zhangsan
        .patch(app.url("/api/employees/emp-0001"))
        .json(&json!({"version": record["version"], "salary": "50000"}))
        .send()
        .await
        .unwrap();
    assert_eq!(patch.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&zhangsan, &app, "/api/employees/emp-0001").await["salary"], record["salary"]);
    for path in ["/api/employees/emp-0002", "/api/employees/emp-0002/contributions", "/api/employees", "/api/changes", "/api/runs"] {
        let status = zhangsan.get(app.url(path)).send().await.unwrap().status();
        assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{path}: {status}");
    }
    // HR has no self-service requests of its own.
    let hr = app.client_as("li.hr").await;
    assert_eq!(post(&hr, &app, "/api/me/changes", json!({"kind": "contact", "phone": "13912345678"})).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_proof_of_contributions_is_verified_by_its_link_without_signing_in() {
    let app = spawn_app().await;
    let zhangsan = app.client_as("zhangsan").await;
    let (status, proof) = post(&zhangsan, &app, "/api/me/proofs", json!({})).await;
    assert_eq!(status, 201, "{proof}");
    let code = proof["code"].as_str().unwrap();
    assert_eq!(code.len(), 32, "128 random bits");
    assert!(proof["months"].as_array().unwrap().len() >= 12, "at least a year");
    assert!(proof["summary"].as_str().unwrap().contains("断缴 1 个月"), "{}", proof["summary"]);
    assert!(proof["resident_id_masked"].as_str().unwrap().contains("****"));
    assert_eq!(proof["employer_name"], "北京分公司");
    // Whoever has the link sees the same proof; any other code is unknown.
    let anyone = app.client();
    let seen: Value = anyone.get(app.url(&format!("/api/proofs/{code}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(seen, proof);
    assert_eq!(anyone.get(app.url(&format!("/api/proofs/{}", "0".repeat(32)))).send().await.unwrap().status(), 404);
    let hr = app.client_as("li.hr").await;
    assert_eq!(post(&hr, &app, "/api/me/proofs", json!({})).await.0, StatusCode::FORBIDDEN);
}
