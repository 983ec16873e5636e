//! Lists exported as .xlsx (`?format=xlsx`) through HTTP on the real stack, and read back
//! with calamine: the same rows and figures as the JSON, Chinese headers, money as numbers
//! shown with two decimals, dates as dates, the header row frozen; only for those who may
//! read the list.

use calamine::{Data, DataType};
use reqwest::{Client, StatusCode};
use rust_decimal::Decimal;
use shebao_tests::requests::{current, form, get, post, submitted};
use shebao_tests::runs::run_lines;
use shebao_tests::xlsx::{assert_laid_out, download, headers, rows, yuan};
use shebao_tests::{new_employee, resident_id, spawn_app, TestApp};

#[tokio::test]
async fn the_employee_list_exports_the_rows_hr_sees_with_dates_as_dates() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let page = get(&hr, &app, "/api/employees?per_page=100").await;
    let items = page["items"].as_array().unwrap();
    let bytes = download(&hr, &app, "/api/employees?format=xlsx").await;
    let rows = rows(&bytes);
    assert_eq!(headers(&rows[0]), ["姓名", "身份证号", "分公司", "部门", "入职日期", "状态"]);
    assert!(page["next"].is_null(), "the branch's employees fit one page of 100");
    assert_eq!(rows.len() - 1, items.len(), "every employee of the branch");
    for (row, item) in rows[1..].iter().zip(items) {
        assert_eq!(row[0].to_string(), item["name"].as_str().unwrap());
        assert_eq!(row[1].to_string(), item["resident_id_masked"].as_str().unwrap(), "only masked");
        assert_eq!(row[2].to_string(), "北京分公司");
        assert_eq!(row[5].to_string(), if item["status"] == "active" { "在职" } else { "已离职" });
        assert!(row[4].is_datetime(), "a date, not text: {:?}", row[4]);
        assert_eq!(row[4].as_date().unwrap().to_string(), item["hire_date"].as_str().unwrap());
    }
    assert_laid_out(&bytes, "yyyy-mm-dd");
    // A search exports what it finds.
    let first = items[0]["name"].as_str().unwrap();
    let found = rows_of(&hr, &app, &format!("/api/employees?format=xlsx&q={first}")).await;
    assert!(found.len() >= 2 && found[1..].iter().all(|r| r[0].to_string().contains(first)));

    // An employee reads no list, as a file neither; another branch's list is not HR's.
    let zhangsan = app.client_as("zhangsan").await;
    assert_eq!(zhangsan.get(app.url("/api/employees?format=xlsx")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(hr.get(app.url("/api/employees?format=xlsx&branch=br-shenzhen")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(hr.get(app.url("/api/employees?format=pdf")).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
}

async fn rows_of(client: &Client, app: &TestApp, path: &str) -> Vec<Vec<Data>> {
    rows(&download(client, app, path).await)
}

#[tokio::test]
async fn a_runs_lines_export_holds_the_same_figures_as_its_pages() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let runs = get(&hr, &app, "/api/runs?branch=br-beijing").await;
    let run = runs.as_array().unwrap().iter().find(|r| r["state"] == "archived").expect("an archived month").clone();
    let id = run["id"].as_str().unwrap();
    let lines = run_lines(&hr, &app, id).await;
    let bytes = download(&hr, &app, &format!("/api/runs/{id}?format=xlsx")).await;
    let rows = rows(&bytes);
    assert_eq!(headers(&rows[0]), ["员工编号", "姓名", "险种", "缴费基数", "单位缴纳", "个人缴纳"]);
    assert_eq!(rows.len() - 1, lines.len());
    for (row, line) in rows[1..].iter().zip(&lines) {
        assert_eq!(row[0].to_string(), line["employee_id"].as_str().unwrap());
        assert_eq!(row[1].to_string(), line["employee_name"].as_str().unwrap());
        for (cell, field) in [(3, "base"), (4, "employer_amount"), (5, "employee_amount")] {
            assert_eq!(yuan(&row[cell]), line[field].as_str().unwrap().parse::<Decimal>().unwrap(), "{field}");
        }
    }
    let employer: Decimal = rows[1..].iter().map(|r| yuan(&r[4])).sum();
    assert_eq!(employer, run["employer_total"].as_str().unwrap().parse::<Decimal>().unwrap(), "the file adds up to the run");
    assert_laid_out(&bytes, "#,##0.00");

    // An employee reads no run, as a file neither.
    let zhangsan = app.client_as("zhangsan").await;
    assert_eq!(zhangsan.get(app.url(&format!("/api/runs/{id}?format=xlsx"))).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_request_and_claim_lists_export_what_their_readers_see() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // A draft and a submitted request of the test's.
    let mut hired = Vec::new();
    for seq in [801, 802] {
        let (status, employee) = post(&hr, &app, "/api/employees", new_employee(&resident_id("19900101", seq))).await;
        assert_eq!(status, 201, "{employee}");
        hired.push(employee["id"].as_str().unwrap().to_string());
    }
    let (status, draft) = post(&hr, &app, "/api/enrollments", form("enrollment", &hired[0], current(), current())).await;
    assert_eq!(status, 201, "{draft}");
    submitted(&hr, &app, form("enrollment", &hired[1], current(), current())).await;
    let page = get(&hr, &app, "/api/enrollments").await;
    let items = page["items"].as_array().unwrap();
    assert!(items.len() >= 2);
    let requests = rows_of(&hr, &app, "/api/enrollments?format=xlsx").await;
    assert_eq!(headers(&requests[0])[..3], ["申请编号", "类型", "状态"]);
    assert_eq!(requests.len() - 1, items.len());
    for (row, item) in requests[1..].iter().zip(items) {
        assert_eq!(row[0].to_string(), item["id"].as_str().unwrap());
        assert_eq!(row[3].to_string(), item["employee_name"].as_str().unwrap());
        assert_eq!(yuan(&row[9]), item["total"].as_str().unwrap().parse::<Decimal>().unwrap());
    }
    // A state filter exports what it shows.
    let drafts = get(&hr, &app, "/api/enrollments?state=draft").await["items"].as_array().unwrap().len();
    assert!(drafts >= 1 && drafts < items.len());
    assert_eq!(rows_of(&hr, &app, "/api/enrollments?state=draft&format=xlsx").await.len() - 1, drafts);

    let claims = get(&hr, &app, "/api/claims?per_page=100").await;
    let claims = claims["items"].as_array().unwrap();
    let rows = rows_of(&hr, &app, "/api/claims?format=xlsx").await;
    assert_eq!(headers(&rows[0]), ["报销编号", "员工", "类型", "金额", "就诊开始", "就诊结束", "医院", "状态", "提交时间"]);
    assert_eq!(rows.len() - 1, claims.len());
    for (row, claim) in rows[1..].iter().zip(claims) {
        assert_eq!(row[0].to_string(), claim["id"].as_str().unwrap());
        assert_eq!(yuan(&row[3]), claim["amount"].as_str().unwrap().parse::<Decimal>().unwrap());
        assert!(row[4].is_datetime(), "a date: {:?}", row[4]);
        assert_eq!(row[7].to_string(), claim["state_label"].as_str().unwrap());
    }
    let zhangsan = app.client_as("zhangsan").await;
    assert_eq!(zhangsan.get(app.url("/api/enrollments?format=xlsx")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(hr.get(app.url("/api/claims?format=csv")).send().await.unwrap().status(), StatusCode::BAD_REQUEST);
}
