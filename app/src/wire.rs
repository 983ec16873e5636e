//! Reading the API's JSON into the domain's types (`shebao_domain::api` and what they hold).
//!
//! Why not `serde_json::from_str`: serde's derived readers are generated per type and per
//! field, and for these shapes they came to more download than all the pages that show them
//! (the app has a 250 KB budget). Here the browser's own `JSON.parse` reads the text and each
//! type takes its fields through a handful of shared helpers. The writers stay serde: the
//! JSON is whatever the domain types serialize to (snake_case fields, enum codes, decimals as
//! strings, months as "YYYY-MM"). Every reader builds its type with a struct literal, so a
//! field added to a shape fails to compile here until it is read.

use crate::components::parse_date;
use js_sys::{Array, Reflect, JSON};
use rust_decimal::Decimal;
use shebao_domain::api::{
    Alert, ApiError, AuditEntry, Branch, EmployeeDetail, EmployeePage, EmployeeSummary, ErrorBody, FieldChange, Me,
    PricePreview, RequestCounts, RequestDetail, RequestPage, RequestSummary, RevealedId,
};
use shebao_domain::base::Clamp;
use shebao_domain::contribution::{Breakdown, ContributionLine};
use shebao_domain::enrollment::{RequestAction, RequestKind, RequestState};
use shebao_domain::late_fee::LateFee;
use shebao_domain::money::Rounding;
use shebao_domain::policy::{City, InsuranceType};
use shebao_domain::pricing::{MonthPrice, Price};
use shebao_domain::role::Role;
use shebao_domain::{FieldError, Gender, Period};
use wasm_bindgen::JsValue;

/// The JSON did not have the expected shape.
pub struct Bad;

pub type R<T> = Result<T, Bad>;

/// A JSON object (or array) from `JSON.parse`.
pub struct Obj(JsValue);

pub trait Decode: Sized {
    fn decode(o: &Obj) -> R<Self>;
}

pub fn parse<T: Decode>(text: &str) -> R<T> {
    T::decode(&Obj(JSON::parse(text).map_err(|_| Bad)?))
}

fn items(v: &JsValue) -> R<Vec<JsValue>> {
    if Array::is_array(v) { Ok(Array::from(v).to_vec()) } else { Err(Bad) }
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(o: &Obj) -> R<Self> {
        items(&o.0)?.into_iter().map(|v| T::decode(&Obj(v))).collect()
    }
}

impl Obj {
    fn get(&self, key: &str) -> JsValue {
        Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    /// A string that may be null or absent.
    fn opt(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    fn s(&self, key: &str) -> R<String> {
        self.opt(key).ok_or(Bad)
    }

    fn num(&self, key: &str) -> R<f64> {
        self.get(key).as_f64().ok_or(Bad)
    }

    fn int(&self, key: &str) -> R<i64> {
        Ok(self.num(key)? as i64)
    }

    fn count(&self, key: &str) -> R<u32> {
        Ok(self.num(key)? as u32)
    }

    fn flag(&self, key: &str) -> R<bool> {
        self.get(key).as_bool().ok_or(Bad)
    }

    /// Decimals travel as strings ("1234.50").
    fn dec(&self, key: &str) -> R<Decimal> {
        self.s(key)?.parse().map_err(|_| Bad)
    }

    fn period(&self, key: &str) -> R<Period> {
        Period::parse(&self.s(key)?).map_err(|_| Bad)
    }

    /// An enum by its code (its serde form).
    fn code<T>(&self, key: &str, from: fn(&str) -> Option<T>) -> R<T> {
        from(&self.s(key)?).ok_or(Bad)
    }

    fn codes<T>(&self, key: &str, from: fn(&str) -> Option<T>) -> R<Vec<T>> {
        items(&self.get(key))?.into_iter().map(|v| v.as_string().and_then(|s| from(&s)).ok_or(Bad)).collect()
    }

    fn opt_obj(&self, key: &str) -> Option<Obj> {
        let v = self.get(key);
        v.is_object().then_some(Obj(v))
    }

    fn one<T: Decode>(&self, key: &str) -> R<T> {
        T::decode(&self.opt_obj(key).ok_or(Bad)?)
    }

    fn maybe<T: Decode>(&self, key: &str) -> R<Option<T>> {
        self.opt_obj(key).map(|o| T::decode(&o)).transpose()
    }

    /// A list that may be absent (serde's `default`).
    fn list<T: Decode>(&self, key: &str) -> R<Vec<T>> {
        let v = self.get(key);
        if v.is_undefined() || v.is_null() { Ok(Vec::new()) } else { Vec::decode(&Obj(v)) }
    }
}

// ---- sessions, branches, employees, audit ----

impl Decode for Me {
    fn decode(o: &Obj) -> R<Self> {
        Ok(Me {
            id: o.s("id")?,
            login: o.s("login")?,
            display_name: o.s("display_name")?,
            role: o.code("role", Role::from_code)?,
            branch_id: o.opt("branch_id"),
            branch_name: o.opt("branch_name"),
            employee_id: o.opt("employee_id"),
        })
    }
}

impl Decode for Branch {
    fn decode(o: &Obj) -> R<Self> {
        Ok(Branch { id: o.s("id")?, name: o.s("name")?, city: o.s("city")?, city_name: o.s("city_name")? })
    }
}

impl Decode for EmployeeSummary {
    fn decode(o: &Obj) -> R<Self> {
        Ok(EmployeeSummary {
            id: o.s("id")?,
            name: o.s("name")?,
            resident_id_masked: o.s("resident_id_masked")?,
            branch_id: o.s("branch_id")?,
            branch_name: o.s("branch_name")?,
            department: o.opt("department"),
            hire_date: o.s("hire_date")?,
            status: o.s("status")?,
        })
    }
}

impl Decode for EmployeePage {
    fn decode(o: &Obj) -> R<Self> {
        Ok(EmployeePage {
            items: o.list("items")?,
            total: o.count("total")?,
            page: o.count("page")?,
            per_page: o.count("per_page")?,
        })
    }
}

fn gender(code: &str) -> Option<Gender> {
    match code {
        "male" => Some(Gender::Male),
        "female" => Some(Gender::Female),
        _ => None,
    }
}

impl Decode for EmployeeDetail {
    fn decode(o: &Obj) -> R<Self> {
        Ok(EmployeeDetail {
            id: o.s("id")?,
            name: o.s("name")?,
            resident_id_masked: o.s("resident_id_masked")?,
            birth_date: o.opt("birth_date"),
            age: o.count("age")?,
            gender: o.code("gender", gender)?,
            branch_id: o.s("branch_id")?,
            branch_name: o.s("branch_name")?,
            city: o.s("city")?,
            department: o.opt("department"),
            phone: o.opt("phone"),
            email: o.opt("email"),
            hire_date: o.s("hire_date")?,
            salary: o.dec("salary")?,
            status: o.s("status")?,
            version: o.int("version")?,
            created_at: o.s("created_at")?,
            updated_at: o.s("updated_at")?,
        })
    }
}

impl Decode for RevealedId {
    fn decode(o: &Obj) -> R<Self> {
        Ok(RevealedId { resident_id: o.s("resident_id")? })
    }
}

impl Decode for FieldChange {
    fn decode(o: &Obj) -> R<Self> {
        Ok(FieldChange { field: o.s("field")?, label: o.s("label")?, before: o.opt("before"), after: o.opt("after") })
    }
}

impl Decode for Alert {
    fn decode(o: &Obj) -> R<Self> {
        Ok(Alert { id: o.int("id")?, request_id: o.opt("request_id"), message: o.s("message")?, created_at: o.s("created_at")? })
    }
}

impl Decode for AuditEntry {
    fn decode(o: &Obj) -> R<Self> {
        Ok(AuditEntry {
            id: o.int("id")?,
            at: o.s("at")?,
            actor_name: o.s("actor_name")?,
            action: o.s("action")?,
            action_label: o.s("action_label")?,
            changes: o.list("changes")?,
        })
    }
}

impl Decode for FieldError {
    fn decode(o: &Obj) -> R<Self> {
        Ok(FieldError { field: o.s("field")?, code: o.s("code")?, message: o.s("message")? })
    }
}

impl Decode for ApiError {
    fn decode(o: &Obj) -> R<Self> {
        Ok(ApiError { code: o.s("code")?, message: o.s("message")? })
    }
}

impl Decode for ErrorBody {
    fn decode(o: &Obj) -> R<Self> {
        Ok(ErrorBody { error: o.maybe("error")?, errors: o.list("errors")? })
    }
}

// ---- enrollment requests and their price ----

fn rounding(code: &str) -> Option<Rounding> {
    match code {
        "fen_half_up" => Some(Rounding::FenHalfUp),
        "jiao_up" => Some(Rounding::JiaoUp),
        "yuan_half_up" => Some(Rounding::YuanHalfUp),
        _ => None,
    }
}

fn clamp(code: &str) -> Option<Clamp> {
    match code {
        "raised_to_min" => Some(Clamp::RaisedToMin),
        "lowered_to_max" => Some(Clamp::LoweredToMax),
        _ => None,
    }
}

impl Decode for ContributionLine {
    fn decode(o: &Obj) -> R<Self> {
        Ok(ContributionLine {
            insurance_type: o.code("insurance_type", InsuranceType::from_code)?,
            base: o.dec("base")?,
            clamp: o.opt("clamp").map(|c| clamp(&c).ok_or(Bad)).transpose()?,
            employer_rate: o.dec("employer_rate")?,
            employee_rate: o.dec("employee_rate")?,
            employer_amount: o.dec("employer_amount")?,
            employee_amount: o.dec("employee_amount")?,
            rounding: o.code("rounding", rounding)?,
            explanation: o.s("explanation")?,
        })
    }
}

impl Decode for Breakdown {
    fn decode(o: &Obj) -> R<Self> {
        Ok(Breakdown {
            city: o.code("city", City::from_code)?,
            period: o.period("period")?,
            provisional: o.flag("provisional")?,
            lines: o.list("lines")?,
            employer_total: o.dec("employer_total")?,
            employee_total: o.dec("employee_total")?,
            total: o.dec("total")?,
        })
    }
}

impl Decode for LateFee {
    fn decode(o: &Obj) -> R<Self> {
        Ok(LateFee { arrears: o.dec("arrears")?, days: o.int("days")?, amount: o.dec("amount")?, explanation: o.s("explanation")? })
    }
}

impl Decode for MonthPrice {
    fn decode(o: &Obj) -> R<Self> {
        Ok(MonthPrice {
            period: o.period("period")?,
            breakdown: o.one("breakdown")?,
            due_date: parse_date(&o.s("due_date")?).ok_or(Bad)?,
            late_fee: o.maybe("late_fee")?,
        })
    }
}

impl Decode for Price {
    fn decode(o: &Obj) -> R<Self> {
        Ok(Price {
            kind: o.code("kind", RequestKind::from_code)?,
            insurance_types: o.codes("insurance_types", InsuranceType::from_code)?,
            months: o.list("months")?,
            employer_total: o.dec("employer_total")?,
            employee_total: o.dec("employee_total")?,
            late_fee_total: o.dec("late_fee_total")?,
            total: o.dec("total")?,
            provisional: o.flag("provisional")?,
        })
    }
}

impl Decode for PricePreview {
    fn decode(o: &Obj) -> R<Self> {
        Ok(PricePreview { price: o.one("price")?, confirmation: o.s("confirmation")?, explanation: o.opt("explanation") })
    }
}

impl Decode for RequestSummary {
    fn decode(o: &Obj) -> R<Self> {
        Ok(RequestSummary {
            id: o.s("id")?,
            kind: o.code("kind", RequestKind::from_code)?,
            state: o.code("state", RequestState::from_code)?,
            employee_id: o.s("employee_id")?,
            employee_name: o.s("employee_name")?,
            branch_id: o.s("branch_id")?,
            branch_name: o.s("branch_name")?,
            insurance_types: o.codes("insurance_types", InsuranceType::from_code)?,
            base: o.dec("base")?,
            from_month: o.period("from_month")?,
            to_month: o.period("to_month")?,
            total: o.dec("total")?,
            created_by_name: o.s("created_by_name")?,
            execute_after: o.opt("execute_after"),
            version: o.int("version")?,
            updated_at: o.s("updated_at")?,
        })
    }
}

impl Decode for RequestDetail {
    /// The summary's fields sit in the same object (`#[serde(flatten)]`).
    fn decode(o: &Obj) -> R<Self> {
        Ok(RequestDetail {
            summary: RequestSummary::decode(o)?,
            resident_id_masked: o.s("resident_id_masked")?,
            city: o.code("city", City::from_code)?,
            hire_date: o.s("hire_date")?,
            reason: o.opt("reason"),
            price: o.one("price")?,
            submitted_by_name: o.opt("submitted_by_name"),
            reject_reason: o.opt("reject_reason"),
            receipt_no: o.opt("receipt_no"),
            executed_at: o.opt("executed_at"),
            revocation_deadline: o.opt("revocation_deadline"),
            revocation_reason: o.opt("revocation_reason"),
            bureau_answer: o.opt("bureau_answer"),
            actions: o.codes("actions", RequestAction::from_code)?,
            changes_since_review: o.list("changes_since_review")?,
        })
    }
}

impl Decode for RequestPage {
    fn decode(o: &Obj) -> R<Self> {
        Ok(RequestPage { items: o.list("items")?, total: o.count("total")? })
    }
}

impl Decode for RequestCounts {
    fn decode(o: &Obj) -> R<Self> {
        Ok(RequestCounts {
            draft: o.count("draft")?,
            submitted: o.count("submitted")?,
            rejected: o.count("rejected")?,
            approved: o.count("approved")?,
            revocation_requested: o.count("revocation_requested")?,
            filing_failed: o.count("filing_failed")?,
        })
    }
}
