//! The JSON shapes of `/api`, shared by the worker (which writes them) and the app (which
//! reads them), so the two cannot drift apart.

use crate::role::Role;
use crate::validation::FieldError;
use crate::Gender;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Me {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub branch_id: Option<String>,
    pub branch_name: Option<String>,
    pub employee_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub id: String,
    pub name: String,
    pub city: String,
    pub city_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployeeSummary {
    pub id: String,
    pub name: String,
    pub resident_id_masked: String,
    pub branch_id: String,
    pub branch_name: String,
    pub department: Option<String>,
    pub hire_date: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployeePage {
    pub items: Vec<EmployeeSummary>,
    pub total: u32,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployeeDetail {
    pub id: String,
    pub name: String,
    /// Always masked; the full number comes only from the audited reveal endpoint.
    pub resident_id_masked: String,
    pub birth_date: String,
    pub gender: Gender,
    pub branch_id: String,
    pub branch_name: String,
    pub city: String,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub hire_date: String,
    pub salary: Decimal,
    pub status: String,
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// The body of `PATCH /api/employees/{id}`: the fields to change, and the version the
/// editor saw (a stale version gets 409).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EmployeePatch {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hire_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salary: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RevealedId {
    pub resident_id: String,
}

/// One field's change in an audit entry: "增员类型 正常 → 补缴".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub label: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor_name: String,
    pub action: String,
    pub action_label: String,
    pub changes: Vec<FieldChange>,
}

/// Every error answer: `{"error": {...}}`, or for 422 `{"errors": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ApiError>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

/// What an audit action is called on a timeline.
pub fn action_label_zh(action: &str) -> &'static str {
    match action {
        "employee.create" => "创建员工档案",
        "employee.update" => "修改员工档案",
        "employee.reveal_id" => "查看完整身份证号",
        "user.setup_admin" => "创建首个管理员",
        _ => "其他操作",
    }
}

/// What a field is called in an audit entry and under a form.
pub fn field_label_zh(field: &str) -> &'static str {
    match field {
        "name" => "姓名",
        "resident_id" => "身份证号",
        "branch_id" => "分公司",
        "department" => "部门",
        "phone" => "手机号",
        "email" => "邮箱",
        "hire_date" => "入职日期",
        "salary" => "月工资",
        "status" => "状态",
        _ => "其他",
    }
}
