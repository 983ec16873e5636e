//! The roster import through HTTP on the real stack: a file's rows, made into forms as the
//! browser does (`roster::row_form`), sent in chunks that the server checks again, then
//! committed as employees in one batch with one audit entry; errors by row and field, the
//! rejected rows as an .xlsx read back with calamine; chunks taken once and in order,
//! one of twenty concurrent commits winning, and only HR of the branch importing.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use shebao_domain::ids::today_in_china;
use shebao_domain::roster::{guess_mapping, row_form, ColumnNames, RosterCheck, RowError};
use shebao_tests::requests::{get, post, race};
use shebao_tests::xlsx::{download, headers, rows as sheet_rows};
use shebao_tests::{new_employee, resident_id, spawn_app, TestApp};

const HEADERS: [&str; 8] = [
    "序号",
    "姓名",
    "身份证号码",
    "入职日期",
    "月工资",
    "部门",
    "手机号",
    "户籍",
];

/// An ID of someone born in 2002 (no demo employee is that young).
fn id(seq: u32) -> String {
    resident_id("20020315", seq)
}

/// A distinct two-character given name per row number, to find the imported employees.
fn name(n: u32) -> String {
    const CHARS: [char; 10] = ['甲', '乙', '丙', '丁', '戊', '己', '庚', '辛', '壬', '癸'];
    format!(
        "导入{}{}",
        CHARS[(n / 10 % 10) as usize],
        CHARS[(n % 10) as usize]
    )
}

/// A file row (cells as a spreadsheet holds them) of row number `n`.
fn cells(
    n: u32,
    name: &str,
    resident_id: &str,
    hire: &str,
    salary: &str,
    hukou: &str,
) -> Vec<String> {
    [
        &n.to_string(),
        name,
        resident_id,
        hire,
        salary,
        " 研发部 ",
        "138 0013 8000",
        hukou,
    ]
    .map(str::to_string)
    .to_vec()
}

fn header_cells() -> Vec<String> {
    HEADERS.map(str::to_string).to_vec()
}

/// The rows as the browser sends them: numbered as the sheet shows them (header = 1).
fn rows_in(file: &[Vec<String>]) -> Vec<Value> {
    let mapping = guess_mapping(&header_cells());
    file.iter()
        .map(|cells| {
            let n: u32 = cells[0].parse().unwrap();
            json!({"row": n + 1, "form": row_form(cells, &mapping, "br-beijing")})
        })
        .collect()
}

/// `n` valid rows, as sent.
fn clean_rows(n: u32) -> Vec<Value> {
    let file: Vec<Vec<String>> = (1..=n)
        .map(|n| cells(n, &name(n), &id(n), "2025-06-01", "8000", ""))
        .collect();
    rows_in(&file)
}

async fn start(client: &Client, app: &TestApp, rows_total: usize) -> Value {
    let (status, body) = post(
        client,
        app,
        "/api/imports",
        json!({"file_name": "三月入职.xlsx", "branch_id": "br-beijing", "rows_total": rows_total}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        (
            body["state"].as_str(),
            body["next_seq"].as_u64(),
            body["branch_name"].as_str()
        ),
        (Some("uploading"), Some(0), Some("北京分公司"))
    );
    body
}

async fn send(
    client: &Client,
    app: &TestApp,
    import: &Value,
    seq: u32,
    rows: &[Value],
) -> (StatusCode, Value) {
    let id = import["id"].as_str().unwrap();
    post(
        client,
        app,
        &format!("/api/imports/{id}/rows"),
        json!({"seq": seq, "rows": rows}),
    )
    .await
}

async fn commit(
    client: &Client,
    app: &TestApp,
    status: &Value,
    only_valid: bool,
) -> (StatusCode, Value) {
    let id = status["id"].as_str().unwrap();
    post(
        client,
        app,
        &format!("/api/imports/{id}/commit"),
        json!({"only_valid": only_valid, "version": status["version"]}),
    )
    .await
}

fn count(app: &TestApp, sql: &str) -> i64 {
    app.d1_rows(sql)[0]["n"].as_i64().unwrap()
}

fn imported_employees(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT COUNT(*) AS n FROM employees WHERE name LIKE '导入%'",
    )
}

fn errors_of(body: &Value) -> Vec<(u64, String, String)> {
    body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap().to_string(),
                e["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn error_message(body: &Value) -> String {
    body["error"]["message"]
        .as_str()
        .or(body["errors"][0]["message"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
async fn a_clean_file_in_two_chunks_becomes_employees_with_one_audit_entry() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // Dates, salaries and hukou as spreadsheets hold them: 45809 is Excel's 2025-06-01.
    let shapes = [
        ("2025/6/1", "8,000元", "本地"),
        ("20250601", "￥9000", "外地"),
        ("45809", "10000.5", ""),
        ("2025年6月1日", "12000", "农村户口"),
    ];
    let file: Vec<Vec<String>> = (1..=30)
        .map(|n| {
            let (hire, salary, hukou) = shapes[(n % 4) as usize];
            cells(n, &name(n), &id(n), hire, salary, hukou)
        })
        .collect();
    let rows = rows_in(&file);
    let import = start(&hr, &app, rows.len()).await;

    let (status, first) = send(&hr, &app, &import, 0, &rows[..20]).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(
        (
            first["rows_received"].as_u64(),
            first["next_seq"].as_u64(),
            first["rejected"].as_u64()
        ),
        (Some(20), Some(1), Some(0))
    );
    assert_eq!(errors_of(&first), []);

    // After a reload the page finds the unfinished import and where to go on.
    let unfinished = get(&hr, &app, "/api/imports").await;
    let listed = unfinished["imports"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (
            listed[0]["id"].clone(),
            listed[0]["next_seq"].as_u64(),
            listed[0]["rows_received"].as_u64()
        ),
        (import["id"].clone(), Some(1), Some(20))
    );

    let (status, second) = send(&hr, &app, &import, 1, &rows[20..]).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(
        (
            second["rows_received"].as_u64(),
            second["rows_total"].as_u64()
        ),
        (Some(30), Some(30))
    );
    assert_eq!(
        imported_employees(&app),
        0,
        "nothing is an employee before the commit"
    );

    let (status, done) = commit(&hr, &app, &second, false).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (
            done["state"].as_str(),
            done["imported"].as_u64(),
            done["rejected"].as_u64()
        ),
        (Some("imported"), Some(30), Some(0))
    );
    assert_eq!(imported_employees(&app), 30);

    // In the list HR works with, with the values normalized.
    let page = get(&hr, &app, "/api/employees?q=导入&per_page=100").await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 30);
    assert!(
        items.iter().all(|e| e["hire_date"] == "2025-06-01"
            && e["department"] == "研发部"
            && e["branch_id"] == "br-beijing"),
        "{page}"
    );
    let stored: Vec<(String, i64, String, String)> = (4..=7)
        .map(|n| {
            let r = &app.d1_rows(&format!(
                "SELECT resident_id, salary_fen, hukou, phone FROM employees WHERE name = '{}'",
                name(n)
            ))[0];
            (
                r["resident_id"].as_str().unwrap().into(),
                r["salary_fen"].as_i64().unwrap(),
                r["hukou"].as_str().unwrap().into(),
                r["phone"].as_str().unwrap().into(),
            )
        })
        .collect();
    let phone = "13800138000".to_string();
    assert_eq!(
        stored,
        [
            (id(4), 800_000, "local".to_string(), phone.clone()),
            (id(5), 900_000, "non_local".to_string(), phone.clone()),
            (id(6), 1_000_050, "local".to_string(), phone.clone()),
            (id(7), 1_200_000, "non_local".to_string(), phone),
        ]
    );
    let one = items
        .iter()
        .find(|e| e["name"] == name(4).as_str())
        .unwrap();
    let detail = get(
        &hr,
        &app,
        &format!("/api/employees/{}", one["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (detail["salary"].as_str(), detail["hukou"].as_str()),
        (Some("8000.00"), Some("local")),
        "{detail}"
    );

    // On the audit log as one import with its row count.
    let entries = app
        .d1_rows("SELECT entity, entity_id, changes FROM audit_log WHERE action = 'import.commit'");
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0]["entity"].as_str(),
            entries[0]["entity_id"].as_str()
        ),
        (Some("import"), import["id"].as_str())
    );
    let changes: Vec<Value> =
        serde_json::from_str(entries[0]["changes"].as_str().unwrap()).unwrap();
    let after = |field: &str| {
        changes
            .iter()
            .find(|c| c["field"] == field)
            .and_then(|c| c["after"].as_str())
            .map(str::to_string)
    };
    assert_eq!(
        (after("file_name"), after("imported"), after("rejected")),
        (
            Some("三月入职.xlsx".into()),
            Some("30".into()),
            Some("0".into())
        )
    );

    // Finished: no longer offered to resume, and not importable twice.
    assert_eq!(get(&hr, &app, "/api/imports").await["imports"], json!([]));
    let (status, body) = commit(&hr, &app, &done, false).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(imported_employees(&app), 30);
}

#[tokio::test]
async fn bad_rows_are_reported_by_row_and_field_and_only_the_valid_ones_import() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // Registered already, before the file is sent.
    let (status, body) = post(&hr, &app, "/api/employees", new_employee(&id(99))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let mut bad_checksum = id(2);
    let last = if bad_checksum.ends_with('0') {
        "1"
    } else {
        "0"
    };
    bad_checksum.replace_range(17.., last);
    let file = vec![
        cells(1, &name(1), &id(1), "2025-06-01", "8000", ""),
        cells(2, &name(2), &bad_checksum, "2025-06-01", "8000", ""),
        cells(3, "", &id(3), "2025-06-01", "8000", ""),
        cells(4, &name(4), &id(4), "2025-06-01", "abc", ""),
        cells(5, &name(5), &id(5), "2025-06-01", "8000", ""),
        // The second chunk: a repeat of the first row's ID, and the registered one.
        cells(6, &name(6), &id(6), "2025-06-01", "8000", ""),
        cells(7, &name(7), &id(1).to_lowercase(), "2025-06-01", "8000", ""),
        cells(8, &name(8), &id(8), "2025-06-01", "8000", ""),
        cells(9, &name(9), &id(99), "2025-06-01", "8000", ""),
        cells(10, &name(10), &id(10), "2025-06-01", "8000", ""),
    ];
    let rows = rows_in(&file);
    let import = start(&hr, &app, rows.len()).await;
    let (status, first) = send(&hr, &app, &import, 0, &rows[..5]).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let found: Vec<(u64, String)> = errors_of(&first)
        .into_iter()
        .map(|(row, field, _)| (row, field))
        .collect();
    assert_eq!(
        found,
        [
            (3, "resident_id".into()),
            (4, "name".into()),
            (5, "salary".into())
        ]
    );
    let (status, second) = send(&hr, &app, &import, 1, &rows[5..]).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    assert_eq!(
        errors_of(&second),
        [
            (8, "resident_id".into(), "与第 2 行的身份证号重复".into()),
            (10, "resident_id".into(), "该身份证号已在员工名册中".into())
        ]
    );
    assert_eq!(
        (
            second["rejected"].as_u64(),
            second["rows_received"].as_u64()
        ),
        (Some(5), Some(10))
    );

    // The server says what the browser said over the whole file.
    let mut check = RosterCheck::new(today_in_china());
    check.mark_registered(&id(99));
    let columns = ColumnNames::of_fields();
    let in_browser: Vec<RowError> = rows
        .iter()
        .flat_map(|r| {
            check.check(
                r["row"].as_u64().unwrap() as u32,
                &serde_json::from_value(r["form"].clone()).unwrap(),
                &columns,
            )
        })
        .collect();
    let status_now = get(
        &hr,
        &app,
        &format!("/api/imports/{}", import["id"].as_str().unwrap()),
    )
    .await;
    let on_server: Vec<RowError> = serde_json::from_value(status_now["errors"].clone()).unwrap();
    assert_eq!(on_server, in_browser);
    assert_eq!(on_server.len(), 5);

    // Nothing imported while a row is wrong, unless HR asks for the valid rows.
    let (status, body) = commit(&hr, &app, &second, false).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(
        error_message(&body),
        "有 5 行错误，请修正后重新导入，或选择仅导入有效行"
    );
    assert_eq!(imported_employees(&app), 0);

    // The rejected rows as a file, with their values and an error column.
    let path = format!("/api/imports/{}/rejected", import["id"].as_str().unwrap());
    let resp = hr.get(app.url(&path)).send().await.unwrap();
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&urlencoded("导入被拒绝的行-三月入职.xlsx")),
        "{disposition}"
    );
    let sheet = sheet_rows(&download(&hr, &app, &path).await);
    assert_eq!(
        headers(&sheet[0]),
        [
            "行号",
            "姓名",
            "身份证号",
            "入职日期",
            "月工资",
            "部门",
            "手机号",
            "邮箱",
            "户籍",
            "错误"
        ]
    );
    let listed: Vec<(String, String, String, String)> = sheet[1..]
        .iter()
        .map(|r| {
            (
                r[0].to_string(),
                r[1].to_string(),
                r[4].to_string(),
                r[9].to_string(),
            )
        })
        .collect();
    assert_eq!(listed.len(), 5, "{listed:?}");
    assert_eq!(
        listed.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
        ["3", "4", "5", "8", "10"]
    );
    assert_eq!(
        (listed[1].1.as_str(), listed[2].2.as_str()),
        ("", "abc"),
        "the values as they were"
    );
    assert!(listed[0].3.contains("校验"), "{}", listed[0].3);
    assert_eq!(
        (listed[1].3.as_str(), listed[2].3.as_str()),
        ("请输入姓名", "工资格式不正确")
    );
    assert_eq!(listed[3].3, "与第 2 行的身份证号重复");
    assert_eq!(listed[4].3, "该身份证号已在员工名册中");
    assert_eq!(sheet[1][5].to_string(), "研发部");

    let (status, done) = commit(&hr, &app, &second, true).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert_eq!(
        (done["imported"].as_u64(), done["rejected"].as_u64()),
        (Some(5), Some(5))
    );
    let imported = app.d1_rows("SELECT name FROM employees WHERE name LIKE '导入%'");
    let mut names: Vec<String> = imported
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    let mut valid: Vec<String> = [1, 5, 6, 8, 10].map(name).to_vec();
    valid.sort();
    assert_eq!(names, valid);
    assert_eq!(
        count(
            &app,
            &format!(
                "SELECT COUNT(*) AS n FROM employees WHERE resident_id = '{}'",
                id(99)
            )
        ),
        1
    );
    let entry = app.d1_rows("SELECT changes FROM audit_log WHERE action = 'import.commit'");
    assert_eq!(entry.len(), 1);
    let changes = entry[0]["changes"].as_str().unwrap();
    assert!(
        changes.contains(r#""field":"imported","label":"导入行数","before":null,"after":"5""#),
        "{changes}"
    );
    assert!(
        changes.contains(r#""field":"rejected","label":"拒绝行数","before":null,"after":"5""#),
        "{changes}"
    );
}

fn urlencoded(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn chunks_are_taken_once_and_in_order_and_a_late_registration_stops_the_commit() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let rows = clean_rows(3);
    let import = start(&hr, &app, rows.len()).await;
    let import_id = import["id"].as_str().unwrap();
    let stored_rows = || {
        count(
            &app,
            &format!("SELECT COUNT(*) AS n FROM import_rows WHERE import_id = '{import_id}'"),
        )
    };

    // A chunk skipped: refused, nothing written.
    let (status, body) = send(&hr, &app, &import, 1, &rows[..2]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(error_message(&body).contains("应先上传第 1 批"), "{body}");
    assert_eq!(stored_rows(), 0);

    let (status, first) = send(&hr, &app, &import, 0, &rows[..2]).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    // The same chunk again (a retry after a lost answer): the same answer, written once.
    let (status, again) = send(&hr, &app, &import, 0, &rows[..2]).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(
        (
            again["rows_received"].as_u64(),
            again["next_seq"].as_u64(),
            again["version"].clone()
        ),
        (Some(2), Some(1), first["version"].clone())
    );
    assert_eq!(stored_rows(), 2);

    // Not all rows yet; more rows than declared; rows out of file order.
    let (status, body) = commit(&hr, &app, &first, true).await;
    assert_eq!(
        (status, error_message(&body)),
        (
            StatusCode::CONFLICT,
            "文件尚未上传完：已收到 2 / 3 行".to_string()
        )
    );
    let (status, body) = send(&hr, &app, &import, 1, &rows).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = send(&hr, &app, &import, 1, &rows[..1]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(stored_rows(), 2);

    // Someone else's import: another HR who may edit the branch reads it, but cannot add to it.
    let manager = app.client_as("chen.mgr").await;
    assert_eq!(
        get(&manager, &app, &format!("/api/imports/{import_id}")).await["rows_received"],
        2
    );
    assert_eq!(
        send(&manager, &app, &import, 1, &rows[2..]).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&manager, &app, "/api/imports").await["imports"],
        json!([]),
        "only one's own to resume"
    );
    let zhangsan = app.client_as("zhangsan").await;
    assert_eq!(
        zhangsan
            .get(app.url(&format!("/api/imports/{import_id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let (status, last) = send(&hr, &app, &import, 1, &rows[2..]).await;
    assert_eq!(status, StatusCode::OK, "{last}");
    // A commit with the version of before the last chunk is stale.
    assert_eq!(
        commit(&hr, &app, &first, false).await.0,
        StatusCode::CONFLICT
    );

    // Someone registers one of the file's people meanwhile: the commit writes nothing.
    let (status, body) = post(&hr, &app, "/api/employees", new_employee(&id(2))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = commit(&hr, &app, &last, false).await;
    assert_eq!(
        (status, error_message(&body)),
        (
            StatusCode::CONFLICT,
            "有身份证号已被登记，请重新检查".to_string()
        ),
        "{body}"
    );
    assert_eq!(imported_employees(&app), 0);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import.commit'"
        ),
        0
    );
    assert_eq!(
        get(&hr, &app, &format!("/api/imports/{import_id}")).await["state"],
        "uploading"
    );
}

#[tokio::test]
async fn of_twenty_concurrent_commits_exactly_one_imports() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let rows = clean_rows(12);
    let import = start(&hr, &app, rows.len()).await;
    let (status, received) = send(&hr, &app, &import, 0, &rows).await;
    assert_eq!(status, StatusCode::OK, "{received}");

    let url = app.url(&format!(
        "/api/imports/{}/commit",
        import["id"].as_str().unwrap()
    ));
    let mut winners = 0;
    for status in race((0..20).map(|_| hr.post(&url).json(&json!({"only_valid": false, "version": received["version"]})))).await {
        assert!(
            status == StatusCode::OK || status == StatusCode::CONFLICT,
            "{status}"
        );
        winners += usize::from(status == StatusCode::OK);
    }
    assert_eq!(winners, 1);
    assert_eq!(imported_employees(&app), 12);
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import.commit'"
        ),
        1
    );
}

#[tokio::test]
async fn only_hr_who_may_edit_the_branch_imports() {
    let app = spawn_app().await;
    let body =
        |branch: &str| json!({"file_name": "入职.csv", "branch_id": branch, "rows_total": 5});
    for login in ["zhangsan", "wang.lead", "zhao.fin"] {
        let client = app.client_as(login).await;
        assert_eq!(
            post(&client, &app, "/api/imports", body("br-beijing"))
                .await
                .0,
            StatusCode::FORBIDDEN,
            "{login}"
        );
    }
    let hr = app.client_as("li.hr").await;
    // 北京's HR is another branch's HR to 上海.
    assert_eq!(
        post(&hr, &app, "/api/imports", body("br-shanghai")).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, refused) = post(
        &hr,
        &app,
        "/api/imports",
        json!({"file_name": " ", "branch_id": "br-beijing", "rows_total": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["file_name", "rows_total"]);
    assert_eq!(
        post(
            &hr,
            &app,
            "/api/imports",
            json!({"file_name": "a.xlsx", "branch_id": "br-beijing", "rows_total": 100_001})
        )
        .await
        .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        post(&hr, &app, "/api/imports", body("br-nowhere")).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM imports"), 0);

    // The group's HR manager imports into any branch; a retried start is one import.
    let manager = app.client_as("chen.mgr").await;
    let started = |key: &'static str| {
        manager
            .post(app.url("/api/imports"))
            .header("Idempotency-Key", key)
            .json(&body("br-shanghai"))
            .send()
    };
    let first: Value = started("start-1").await.unwrap().json().await.unwrap();
    let again = started("start-1").await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
    assert_eq!(count(&app, "SELECT COUNT(*) AS n FROM imports"), 1);
    // 北京's HR neither sees nor downloads 上海's import.
    let path = format!("/api/imports/{}/rejected", first["id"].as_str().unwrap());
    assert_eq!(
        hr.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}
