//! ID numbers other than the plain mainland one, through HTTP on the real stack: a Hong Kong
//! resident's permit typed with full-width digits and spaces is stored plain and reported
//! as a permit; a 15-digit first-generation number is refused with its 18-digit form.

use serde_json::{json, Value};
use shebao_domain::ResidentId;
use shebao_tests::{new_employee, spawn_app};

/// `ascii` with every digit full width (０–９) and an ideographic space after each group.
fn typed_on_a_chinese_keyboard(ascii: &str) -> String {
    let wide: String = ascii
        .chars()
        .map(|c| char::from_u32(u32::from(c) - u32::from('0') + u32::from('０')).unwrap_or(c))
        .collect();
    let groups: Vec<char> = wide.chars().collect();
    format!(
        " {}　{}　{}　",
        groups[..6].iter().collect::<String>(),
        groups[6..14].iter().collect::<String>(),
        groups[14..].iter().collect::<String>()
    )
}

#[tokio::test]
async fn a_hong_kong_permit_typed_full_width_is_stored_plain_and_reported_as_a_permit() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let first17 = "81000019880808001";
    let permit = format!("{first17}{}", ResidentId::check_char(first17).unwrap());
    let typed = typed_on_a_chinese_keyboard(&permit);
    assert_ne!(typed.trim(), permit);

    let mut body = new_employee(&typed);
    body["name"] = json!("陈港生");
    let resp = hr.post(app.url("/api/employees")).json(&body).send().await.unwrap();
    let status = resp.status();
    let created: Value = resp.json().await.unwrap();
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["id_kind"], "hong_kong");
    assert_eq!(created["resident_id_masked"], format!("8100**********{}", &permit[14..]));
    assert_eq!(created["gender"], "male");
    let id = created["id"].as_str().unwrap();

    // Stored as the plain number, read back with its kind.
    let rows = app.d1_rows(&format!("SELECT resident_id FROM employees WHERE id = '{id}'"));
    assert_eq!(rows[0]["resident_id"], permit.as_str());
    let detail: Value = hr.get(app.url(&format!("/api/employees/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["id_kind"], "hong_kong");
    assert_eq!(detail["birth_date"], "1988-08-08");
    let revealed: Value = hr
        .post(app.url(&format!("/api/employees/{id}/reveal-id")))
        .json(&json!({}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(revealed["resident_id"], permit.as_str());

    // The same number typed plain is the same person.
    let mut again = new_employee(&permit);
    again["name"] = json!("陈港生");
    let resp = hr.post(app.url("/api/employees")).json(&again).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let errors: Value = resp.json().await.unwrap();
    assert_eq!(errors["errors"][0]["code"], "id.duplicate", "{errors}");

    // A mainland record says so too.
    let zhangsan: Value = hr.get(app.url("/api/employees/emp-0001")).send().await.unwrap().json().await.unwrap();
    assert_eq!(zhangsan["id_kind"], "mainland");
}

#[tokio::test]
async fn a_15_digit_id_is_refused_with_the_18_digit_number_it_converts_to() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let resp = hr.post(app.url("/api/employees")).json(&new_employee("110105491231002")).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    let error = &body["errors"][0];
    assert_eq!(error["field"], "resident_id", "{body}");
    assert_eq!(error["code"], "id.first_generation");
    assert_eq!(error["suggestion"], "11010519491231002X");
    assert_eq!(error["message"], "15位旧身份证号已停用，请改用18位号码：11010519491231002X");
    assert!(error["message_en"].as_str().unwrap().ends_with("11010519491231002X"), "{error}");

    // The suggestion is accepted as it stands.
    let resp = hr.post(app.url("/api/employees")).json(&new_employee("11010519491231002X")).send().await.unwrap();
    assert_eq!(resp.status(), 201);
}
