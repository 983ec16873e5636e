//! Prices through HTTP on the real stack: each type's own base, base adjustments priced as
//! the difference to the filed enrollment, the employer's own rates, the late fee
//! recomputed on approval and at filing, and enrollments closed at a city's deadline.

use rust_decimal::Decimal;
use serde_json::{json, Value};
use shebao_domain::contribution::{calculate, Terms};
use shebao_domain::ids::today_in_china;
use shebao_domain::policy::{policy_for, City, InsuranceType};
use shebao_domain::pricing::{price, Price, PriceInputs};
use shebao_domain::enrollment::{RequestKind, ValidRequest};
use shebao_tests::requests::{act, current, executed, form, get, post, submitted};
use shebao_tests::spawn_app;

fn d(v: &Value) -> Decimal {
    v.as_str().unwrap_or_else(|| panic!("not a decimal string: {v}")).parse().unwrap()
}

fn codes(v: &Value) -> Vec<String> {
    v["errors"].as_array().map(|a| a.iter().map(|e| e["code"].as_str().unwrap().to_string()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn a_base_adjustment_costs_the_difference_to_the_filed_enrollment() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let supervisor = app.client_as("wang.lead").await;
    // Filed on a base of 10,000 (pension and medical), then raised to 12,000 this month.
    let enrolled = executed(&hr, &supervisor, &app, "emp-0010").await;
    let mut raise = form("base_adjustment", "emp-0010", current(), current());
    raise["base"] = json!("12000");
    raise["reason"] = json!("调薪");
    let (status, preview) = post(&hr, &app, "/api/enrollments/preview", raise.clone()).await;
    assert_eq!(status, 200, "{preview}");

    let month = &preview["price"]["months"][0];
    let stored_month = &enrolled["price"]["months"][0];
    let types = [InsuranceType::Pension, InsuranceType::Medical];
    let new = calculate(City::Beijing, current(), Decimal::from(12000), &types, &Terms::default()).unwrap();
    let mut expected_total = Decimal::ZERO;
    for (i, t) in types.iter().enumerate() {
        let old_line = stored_month["breakdown"]["lines"].as_array().unwrap().iter().find(|l| l["insurance_type"] == t.code()).unwrap();
        let old = d(&old_line["employer_amount"]) + d(&old_line["employee_amount"]);
        let new_line = new.line(*t).unwrap();
        expected_total += new_line.employer_amount + new_line.employee_amount - old;
        assert_eq!(d(&month["replaces"]["lines"][i]["base"]), d(&old_line["base"]), "the old base is the filed one");
        assert_eq!(d(&month["breakdown"]["lines"][i]["base"]), new_line.base);
    }
    // 2,000 more base: pension 24%, medical 9.8% + 2%.
    assert_eq!(expected_total.to_string(), "716.00");
    assert_eq!(d(&preview["price"]["employer_total"]) + d(&preview["price"]["employee_total"]), expected_total);
    assert!(preview["confirmation"].as_str().unwrap().contains("¥716.00"), "{preview}");

    // Lowered instead, the excess comes back.
    raise["base"] = json!("9000");
    let (_, lower) = post(&hr, &app, "/api/enrollments/preview", raise).await;
    assert_eq!(lower["price"]["total"], "-358.00");
    assert!(lower["confirmation"].as_str().unwrap().contains("退回多缴的 ¥358.00"), "{lower}");

    // Without a filed enrollment there is nothing to adjust.
    let mut orphan = form("base_adjustment", "emp-0011", current(), current());
    orphan["reason"] = json!("调薪");
    let (status, body) = post(&hr, &app, "/api/enrollments/preview", orphan).await;
    assert_eq!(status, 422);
    assert_eq!(codes(&body), ["base_adjustment.not_insured"]);
}

#[tokio::test]
async fn each_type_has_its_own_base_and_the_employer_sets_its_own_rates() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    // A wage of 3,000 in Beijing: pension from the city's minimum, the housing fund on 3,000.
    let mut low = form("enrollment", "emp-0005", current(), current());
    low["base"] = json!("3000");
    low["insurance_types"] = json!(["pension", "housing_fund", "work_injury"]);
    let (status, preview) = post(&hr, &app, "/api/enrollments/preview", low.clone()).await;
    assert_eq!(status, 200, "{preview}");
    let policy = policy_for(City::Beijing, current()).unwrap();
    let lines = preview["price"]["months"][0]["breakdown"]["lines"].as_array().unwrap().clone();
    let line = |code: &str| lines.iter().find(|l| l["insurance_type"] == code).unwrap().clone();
    assert_eq!(d(&line("pension")["base"]), policy.line(InsuranceType::Pension).unwrap().base_min);
    assert_eq!(line("pension")["clamp"], "raised_to_min");
    assert_eq!(line("housing_fund")["base"], "3000.00");
    assert_eq!(line("housing_fund")["clamp"], Value::Null);
    assert_eq!(line("housing_fund")["employer_amount"], "360.00", "12% of 3,000");

    // Maternity is part of medical in Beijing.
    let mut maternity = low.clone();
    maternity["insurance_types"] = json!(["medical", "maternity"]);
    let (status, body) = post(&hr, &app, "/api/enrollments/preview", maternity).await;
    assert_eq!(status, 422);
    assert_eq!(codes(&body), ["insurance_types.maternity_merged"]);

    // The employer's class-2 work-injury rate at 150% and a 5% housing fund.
    let admin = app.client_as("admin").await;
    let rates = json!({"beijing": {"work_injury": {"class": 2, "float_percent": 150}, "housing_fund_rate": "0.05"}});
    let bad = json!({"beijing": {"work_injury": {"class": 1, "float_percent": 50}, "housing_fund_rate": "0.13"}});
    let resp = admin.put(app.url("/api/settings")).json(&json!({"execution_hold_minutes": 120, "employer_rates": bad})).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(codes(&body), ["employer.work_injury_float", "employer.housing_fund_rate"]);
    let resp = hr.put(app.url("/api/settings")).json(&json!({"execution_hold_minutes": 120, "employer_rates": rates})).send().await.unwrap();
    assert_eq!(resp.status(), 403, "only an administrator");
    let resp = admin.put(app.url("/api/settings")).json(&json!({"execution_hold_minutes": 120, "employer_rates": rates})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let settings = get(&hr, &app, "/api/settings").await;
    assert_eq!(settings["employer_rates"]["beijing"]["housing_fund_rate"], "0.05");
    let entries = get(&admin, &app, "/api/audit?entity=settings&id=company").await;
    let change = entries.as_array().unwrap().last().unwrap()["changes"].as_array().unwrap().iter().find(|c| c["field"] == "employer_rates").unwrap().clone();
    assert_eq!(change["after"], "北京：工伤保险 2类 × 150%；住房公积金 5%");
    // The hold alone leaves the rates as they are.
    let resp = admin.put(app.url("/api/settings")).json(&json!({"execution_hold_minutes": 60})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(get(&hr, &app, "/api/settings").await["employer_rates"], json!(rates));

    let (_, preview) = post(&hr, &app, "/api/enrollments/preview", low).await;
    let lines = preview["price"]["months"][0]["breakdown"]["lines"].as_array().unwrap().clone();
    let line = |code: &str| lines.iter().find(|l| l["insurance_type"] == code).unwrap().clone();
    assert_eq!((line("housing_fund")["employer_amount"].as_str(), line("housing_fund")["employee_amount"].as_str()), (Some("150.00"), Some("150.00")));
    assert_eq!(line("work_injury")["employer_rate"], "0.006");
}

/// The stored request's price as if it had been computed `days` ago.
fn priced_days_ago(detail: &Value, days: u64) -> Price {
    let req = ValidRequest {
        kind: RequestKind::from_code(detail["kind"].as_str().unwrap()).unwrap(),
        employee_id: detail["employee_id"].as_str().unwrap().into(),
        insurance_types: serde_json::from_value(detail["insurance_types"].clone()).unwrap(),
        base: d(&detail["base"]),
        from: detail["from_month"].as_str().unwrap().parse().unwrap(),
        to: detail["to_month"].as_str().unwrap().parse().unwrap(),
        reason: None,
    };
    let today = today_in_china() - chrono::Days::new(days);
    price(&req, &PriceInputs { city: City::Beijing, today, terms: Terms::default(), history: &[] }).unwrap()
}

/// Puts an older figure on the request, as if it had been priced and left waiting.
fn age_price(app: &shebao_tests::TestApp, detail: &Value, days: u64) -> Price {
    let old = priced_days_ago(detail, days);
    let json = serde_json::to_string(&old).unwrap().replace('\'', "''");
    let fen = (old.total * Decimal::from(100)).to_string();
    let fen = fen.split('.').next().unwrap();
    let id = detail["id"].as_str().unwrap();
    let out = app.d1_execute(&format!("UPDATE enrollment_requests SET price = '{json}', total_fen = {fen} WHERE id = '{id}'"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    old
}

fn yuan(amount: Decimal) -> String {
    shebao_domain::money::format_yuan(amount)
}

#[tokio::test]
async fn the_late_fee_is_recomputed_on_approval_and_at_filing() {
    let app = spawn_app().await;
    let hr = app.client_as("li.hr").await;
    let supervisor = app.client_as("wang.lead").await;
    let two_back = current().add_months(-2);
    let detail = submitted(&hr, &app, form("back_payment", "emp-0012", two_back, two_back)).await;
    let now = detail["price"].clone();
    assert_ne!(now["late_fee_total"], "0.00");

    // Priced ten days ago and approved today: the figure is today's, the audit shows both.
    let old = age_price(&app, &detail, 10);
    assert!(old.late_fee_total < d(&now["late_fee_total"]));
    let (status, approved) = act(&supervisor, &app, &detail, "approve", None).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["price"]["late_fee_total"], now["late_fee_total"]);
    assert_eq!(approved["total"], now["total"]);
    let entries = get(&hr, &app, &format!("/api/audit?entity=enrollment&id={}", detail["id"].as_str().unwrap())).await;
    let approval = entries.as_array().unwrap().iter().rev().find(|e| e["action"] == "enrollment.approve").unwrap().clone();
    let fee = approval["changes"].as_array().unwrap().iter().find(|c| c["field"] == "late_fee").unwrap().clone();
    assert_eq!((fee["before"].as_str().unwrap(), fee["after"].as_str().unwrap()), (yuan(old.late_fee_total).as_str(), yuan(d(&now["late_fee_total"])).as_str()));
    assert_eq!(fee["label"], "滞纳金");

    // Approved with an older figure and filed today: filing puts today's figure on it.
    let old = age_price(&app, &approved, 5);
    let (status, filed) = act(&supervisor, &app, &approved, "execute", None).await;
    assert_eq!((status.as_u16(), filed["state"].as_str()), (200, Some("executed")), "{filed}");
    assert_eq!(filed["price"]["late_fee_total"], now["late_fee_total"]);
    let entries = get(&hr, &app, &format!("/api/audit?entity=enrollment&id={}", detail["id"].as_str().unwrap())).await;
    let filing = entries.as_array().unwrap().iter().find(|e| e["action"] == "enrollment.bureau_files").unwrap_or_else(|| panic!("{entries}")).clone();
    let total = filing["changes"].as_array().unwrap().iter().find(|c| c["field"] == "total").unwrap().clone();
    assert_eq!((total["before"].as_str().unwrap(), total["after"].as_str().unwrap()), (yuan(old.total).as_str(), yuan(d(&now["total"])).as_str()));

    // A housing-fund-only back-payment of the same month pays no late fee.
    let mut fund = form("back_payment", "emp-0015", two_back, two_back);
    fund["insurance_types"] = json!(["housing_fund"]);
    let (status, preview) = post(&hr, &app, "/api/enrollments/preview", fund).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["price"]["late_fee_total"], "0.00");
    assert_eq!(preview["price"]["months"][0]["late_fee"], Value::Null);
}

#[tokio::test]
async fn shenzhen_closes_this_months_enrollments_at_its_deadline() {
    let app = spawn_app().await;
    let manager = app.client_as("chen.mgr").await;
    let today = today_in_china();
    let policy = policy_for(City::Shenzhen, current()).unwrap();
    assert!(policy.enrollment_closes_at_deadline);
    let due = policy.due_date(current());
    let mut this_month = form("enrollment", "emp-0041", current(), current());
    this_month["insurance_types"] = json!(["pension"]);
    let mut next_month = this_month.clone();
    next_month["from_month"] = json!(current().next().to_string());
    next_month["to_month"] = json!(current().next().to_string());
    let (this_status, this_body) = post(&manager, &app, "/api/enrollments/preview", this_month).await;
    let (next_status, next_body) = post(&manager, &app, "/api/enrollments/preview", next_month).await;
    // Shenzhen's employer pension rate is lower without local hukou (emp-0043 is non-local).
    let last = current().prev();
    let mut local = form("back_payment", "emp-0041", last, last);
    local["insurance_types"] = json!(["pension"]);
    let mut non_local = local.clone();
    non_local["employee_id"] = json!("emp-0043");
    let rate = |v: &Value| d(&v["price"]["months"][0]["breakdown"]["lines"][0]["employer_rate"]);
    let (s1, local) = post(&manager, &app, "/api/enrollments/preview", local).await;
    let (s2, non_local) = post(&manager, &app, "/api/enrollments/preview", non_local).await;
    assert_eq!((s1.as_u16(), s2.as_u16()), (200, 200), "{local} {non_local}");
    let line = policy_for(City::Shenzhen, last).unwrap().line(InsuranceType::Pension).unwrap().clone();
    assert_eq!(rate(&local), line.employer_rate);
    assert_eq!(Some(rate(&non_local)), line.employer_rate_non_local);
    assert!(rate(&non_local) < rate(&local));

    if today > due {
        assert_eq!(this_status, 422, "{this_body}");
        assert_eq!(codes(&this_body), ["months.enrollment_closed"]);
        let message = this_body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(&due.to_string()) && message.contains(&current().next().to_string()), "{message}");
        assert_eq!(next_status, 200, "{next_body}");
    } else {
        assert_eq!(this_status, 200, "{this_body}");
        assert_eq!(next_status, 422);
        assert_eq!(codes(&next_body), ["months.future", "months.future"], "both month fields");
    }
}
