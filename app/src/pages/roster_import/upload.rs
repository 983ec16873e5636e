//! The browser's side of the transfer: the file's bytes, a pause for the event loop, and
//! the rows to the server in chunks of `CHUNK_ROWS` (from the first one it lacks), then
//! the commit. A request that did not get through is sent again with the same key.

use crate::api::{self, ApiFailure, ApiResult};
use shebao_domain::roster::{
    ImportChunk, ImportCommit, ImportRowIn, ImportStatus, RowError, CHUNK_ROWS,
};
use std::collections::HashSet;
use wasm_bindgen_futures::JsFuture;

/// The chosen file's content.
pub async fn file_bytes(file: &web_sys::File) -> Option<Vec<u8>> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Resolves after `ms` (0: on the event loop's next turn, after the page has drawn).
async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let set = web_sys::window()
            .map(|w| w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms));
        if !matches!(set, Some(Ok(_))) {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// A `setTimeout(0)`: lets the page draw and handle input between two slices of work.
pub async fn next_tick() {
    sleep(0).await;
}

/// `call` with a fresh idempotency key, again with the same key (twice, after 1 and 2 s)
/// when it did not reach the server or its answer was lost.
async fn with_retries<T>(call: impl AsyncFn(&str) -> ApiResult<T>) -> ApiResult<T> {
    let key = api::idempotency_key();
    let mut tries = 0;
    loop {
        match call(&key).await {
            Err(ApiFailure::Network) if tries < 2 => {
                tries += 1;
                sleep(1000 * tries).await;
            }
            result => return result,
        }
    }
}

/// The import after the last chunk, and every error the server reported on the way.
pub struct Sent {
    pub status: ImportStatus,
    pub errors: Vec<RowError>,
}

/// Sends the chunks of `rows` the server has not received (from `status.next_seq` on);
/// `progress(received, total)` after each.
pub async fn send_rows(
    mut status: ImportStatus,
    rows: &[ImportRowIn],
    progress: impl Fn(u32, u32),
) -> ApiResult<Sent> {
    // A resumed import comes with the errors of the chunks received before.
    let mut errors = std::mem::take(&mut status.errors);
    progress(status.rows_received, status.rows_total);
    for (seq, chunk) in rows
        .chunks(CHUNK_ROWS)
        .enumerate()
        .skip(status.next_seq as usize)
    {
        let body = ImportChunk {
            seq: seq as u32,
            rows: chunk.to_vec(),
        };
        let id = status.id.clone();
        let mut answer = with_retries(async |key| api::import_rows(&id, &body, key).await).await?;
        errors.append(&mut answer.errors);
        status = answer;
        progress(status.rows_received, status.rows_total);
    }
    Ok(Sent {
        status,
        errors: in_row_order(errors),
    })
}

/// Each error once (a replayed chunk answers what was found before), by row.
fn in_row_order(errors: Vec<RowError>) -> Vec<RowError> {
    let mut seen = HashSet::new();
    let mut once: Vec<RowError> = errors
        .into_iter()
        .filter(|e| seen.insert((e.row, e.field.clone(), e.message.clone())))
        .collect();
    once.sort_by_key(|e| e.row);
    once
}

/// Imports every received row (`only_valid` false: the server refuses if any is wrong) or
/// the valid ones.
pub async fn commit(status: &ImportStatus, only_valid: bool) -> ApiResult<ImportStatus> {
    let body = ImportCommit {
        only_valid,
        version: status.version,
    };
    with_retries(async |key| api::commit_import(&status.id, body.clone(), key.to_string()).await)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(row: u32, field: &str, message: &str) -> RowError {
        RowError {
            row,
            field: field.into(),
            column: field.into(),
            message: message.into(),
        }
    }

    #[test]
    fn errors_reported_twice_are_listed_once_in_row_order() {
        let errors = vec![
            error(7, "name", "请填写姓名"),
            error(3, "resident_id", "校验位不正确"),
            error(3, "salary", "金额格式不正确"),
            error(7, "name", "请填写姓名"),
        ];
        let rows: Vec<(u32, String)> = in_row_order(errors)
            .into_iter()
            .map(|e| (e.row, e.field))
            .collect();
        assert_eq!(
            rows,
            [
                (3, "resident_id".into()),
                (3, "salary".into()),
                (7, "name".into())
            ]
        );
    }
}
