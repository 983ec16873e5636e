//! Who is signed in, shared by every page.

use crate::api::{ApiFailure, ApiResult};
use leptos::prelude::*;
use shebao_domain::api::Me;

#[derive(Clone, Copy)]
pub struct Session {
    pub user: RwSignal<Option<Me>>,
}

impl Session {
    /// A call that found the session gone signs the user out, so the shell shows the login.
    pub fn check<T>(self, result: ApiResult<T>) -> ApiResult<T> {
        if matches!(result, Err(ApiFailure::Unauthorized)) {
            self.user.set(None);
        }
        result
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
