//! Personal data through HTTP on the real stack: a masked ID cannot be unmasked by anyone
//! who may not reveal it, neither from what a response says (mask, birth date) nor by
//! searching ID prefixes digit by digit.

use reqwest::Client;
use serde_json::{json, Value};
use shebao_domain::ids::today_in_china;
use shebao_tests::requests::{current, form, submitted};
use shebao_tests::{new_employee, resident_id, spawn_app, TestApp};

const NAME: &str = "隐私测试";
const BIRTH_DATE: &str = "1990-03-07";

/// Roles that may list employees but not reveal their IDs.
const NON_REVEALING: [&str; 3] = ["zhao.fin", "director", "wang.lead"];

/// 李娜 enters 隐私测试, born 1990-03-07, in Beijing; returns the record's id and full ID.
async fn enter_person(app: &TestApp) -> (String, String) {
    let full = resident_id(&BIRTH_DATE.replace('-', ""), 123);
    let mut body = new_employee(&full);
    body["name"] = NAME.into();
    let hr = app.client_as("li.hr").await;
    let resp = hr.post(app.url("/api/employees")).json(&body).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    (created["id"].as_str().unwrap().to_string(), full)
}

async fn get(client: &Client, app: &TestApp, path: &str) -> Value {
    let resp = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "GET {path}");
    resp.json().await.unwrap()
}

async fn search(client: &Client, app: &TestApp, q: &str) -> Vec<String> {
    let page = get(client, app, &format!("/api/employees?q={q}&per_page=100")).await;
    page["items"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

/// Someone born on 1990-03-07, counted here rather than by the domain crate.
fn expected_age() -> u64 {
    let today = today_in_china().to_string();
    let year: u64 = today[..4].parse().unwrap();
    year - 1990 - u64::from(&today[5..] < &BIRTH_DATE[5..])
}

/// The mask shows the first 4 and the last 4 characters and nothing else.
fn assert_four_and_four(masked: &Value, full: &str) {
    let masked = masked.as_str().unwrap();
    assert_eq!(masked, format!("{}**********{}", &full[..4], &full[14..]));
    assert!(masked.chars().filter(|&c| c != '*').count() <= 8, "{masked}");
}

#[tokio::test]
async fn roles_that_may_not_reveal_get_a_four_and_four_mask_and_the_age_but_no_birth_date() {
    let app = spawn_app().await;
    let (id, full) = enter_person(&app).await;
    for login in NON_REVEALING {
        let client = app.client_as(login).await;
        let page = get(&client, &app, &format!("/api/employees?q={NAME}")).await;
        assert_eq!(page["items"].as_array().unwrap().len(), 1, "{login}");
        let item = &page["items"][0];
        assert_four_and_four(&item["resident_id_masked"], &full);

        let detail = get(&client, &app, &format!("/api/employees/{id}")).await;
        assert_four_and_four(&detail["resident_id_masked"], &full);
        assert!(detail.get("birth_date").is_none(), "{login} got a birth date: {detail}");
        assert_eq!(detail["age"], expected_age(), "{login}");
        for text in [page.to_string(), detail.to_string()] {
            assert!(!text.contains(BIRTH_DATE) && !text.contains(&full[6..14]), "{login}: {text}");
        }
        let reveal = client.post(app.url(&format!("/api/employees/{id}/reveal-id"))).json(&json!({})).send().await.unwrap();
        assert_eq!(reveal.status(), 403, "{login}");
    }
}

#[tokio::test]
async fn roles_that_may_reveal_and_the_person_themself_keep_the_birth_date() {
    let app = spawn_app().await;
    let (id, full) = enter_person(&app).await;
    for login in ["li.hr", "chen.mgr"] {
        let client = app.client_as(login).await;
        let detail = get(&client, &app, &format!("/api/employees/{id}")).await;
        assert_four_and_four(&detail["resident_id_masked"], &full);
        assert_eq!(detail["birth_date"], BIRTH_DATE, "{login}");
        assert_eq!(detail["age"], expected_age(), "{login}");
        let reveal = client.post(app.url(&format!("/api/employees/{id}/reveal-id"))).json(&json!({})).send().await.unwrap();
        assert_eq!(reveal.status(), 200, "{login}");
        assert_eq!(reveal.json::<Value>().await.unwrap()["resident_id"], full.as_str());
    }

    // 张三's own record (emp-0001) gives him his own birth date, the one HR sees.
    let hr = app.client_as("li.hr").await;
    let by_hr = get(&hr, &app, "/api/employees/emp-0001").await;
    let zhangsan = app.client_as("zhangsan").await;
    let own = get(&zhangsan, &app, "/api/employees/emp-0001").await;
    assert!(own["birth_date"].is_string(), "{own}");
    assert_eq!(own["birth_date"], by_hr["birth_date"]);
    assert_eq!(own["age"], by_hr["age"]);
}

#[tokio::test]
async fn only_roles_that_may_reveal_find_people_by_id_prefix_and_everyone_finds_them_by_name() {
    let app = spawn_app().await;
    let (id, full) = enter_person(&app).await;
    let hr = app.client_as("li.hr").await;
    assert!(search(&hr, &app, &full[..14]).await.contains(&id), "li.hr finds the person by ID prefix");
    for login in NON_REVEALING {
        let client = app.client_as(login).await;
        for prefix in [&full[..1], &full[..6], &full[..14], full.as_str()] {
            assert_eq!(search(&client, &app, prefix).await, Vec::<String>::new(), "{login} searched {prefix}");
        }
    }
    for login in ["li.hr", "chen.mgr", "admin"].into_iter().chain(NON_REVEALING) {
        let client = app.client_as(login).await;
        assert_eq!(search(&client, &app, NAME).await, vec![id.clone()], "{login} searched the name");
    }
}

#[tokio::test]
async fn a_request_detail_carries_the_masked_id_city_and_hire_date_its_pages_need() {
    let app = spawn_app().await;
    let (id, full) = enter_person(&app).await;
    let hr = app.client_as("li.hr").await;
    let created = submitted(&hr, &app, form("enrollment", &id, current(), current())).await;
    let detail = get(&hr, &app, &format!("/api/enrollments/{}", created["id"].as_str().unwrap())).await;
    for d in [&created, &detail] {
        assert_four_and_four(&d["resident_id_masked"], &full);
        assert_eq!(d["city"], "beijing", "{d}");
        assert_eq!(d["hire_date"], new_employee(&full)["hire_date"], "{d}");
        assert!(!d.to_string().contains(&full[6..14]), "{d}");
    }
}
