//! Sign-in, sessions and the current user.

pub mod repo;
pub mod routes;
pub mod service;

use serde::Deserialize;
use shebao_domain::api::Me;
use shebao_domain::role::Role;

/// The signed-in user, as every request path sees it.
#[derive(Debug, Clone, Deserialize)]
pub struct User {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub branch_id: Option<String>,
    pub branch_name: Option<String>,
    pub employee_id: Option<String>,
}

impl User {
    pub fn me(&self) -> Me {
        Me {
            id: self.id.clone(),
            login: self.login.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            branch_id: self.branch_id.clone(),
            branch_name: self.branch_name.clone(),
            employee_id: self.employee_id.clone(),
        }
    }
}
