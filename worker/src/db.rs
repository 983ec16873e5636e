//! D1 through prepared statements with bound parameters only, and the one way every state
//! change is written: its statements, its audit entry and its idempotency record in one
//! atomic batch.

use crate::error::{AppError, AppResult};
use serde::de::DeserializeOwned;
use shebao_domain::cursor::PageFrom;
use std::cell::Cell;
use std::marker::PhantomData;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use worker::{D1Database, D1PreparedStatement};

/// The database of one request (or cron run), counting its round trips to D1: a statement
/// run alone is one, a batch is one. Each answer reports them (`X-D1-Round-Trips`), so the
/// tests can hold every authenticated read to its budget (bench/budgets.toml).
pub struct Db {
    inner: D1Database,
    round_trips: Cell<u32>,
}

impl Db {
    pub fn new(inner: D1Database) -> Db {
        Db { inner, round_trips: Cell::new(0) }
    }

    pub fn round_trips(&self) -> u32 {
        self.round_trips.get()
    }

    fn count(&self) {
        self.round_trips.set(self.round_trips.get() + 1);
    }

    /// Runs `statements` in one round trip, atomically.
    pub async fn batch(&self, statements: Vec<D1PreparedStatement>) -> worker::Result<Vec<Answer>> {
        self.count();
        let database: &worker::worker_sys::D1Database = self.inner.as_ref().unchecked_ref();
        let statements: js_sys::Array = statements.iter().map(|s| JsValue::from(s.inner())).collect();
        let answers = JsFuture::from(database.batch(statements)?).await?;
        Ok(answers.dyn_into::<js_sys::Array>()?.iter().map(|a| Answer(a.unchecked_into())).collect())
    }
}

/// One statement's answer in a batch: its rows and what it changed.
pub struct Answer(worker::worker_sys::D1Result);

impl Answer {
    /// Its rows as `T`, read through JSON: one call out of wasm for all of them
    /// (`JSON.stringify`), where reading the rows' objects field by field crosses over for
    /// every field (a fifth of the claim list's CPU, profiled 2026-12-03).
    pub fn rows<T: DeserializeOwned>(&self) -> AppResult<Vec<T>> {
        let Some(rows) = self.0.results().map_err(worker::Error::from)? else { return Ok(Vec::new()) };
        let text: String = js_sys::JSON::stringify(&rows).map_err(worker::Error::from)?.into();
        Ok(serde_json::from_str(&text)?)
    }

    /// The rows it wrote (an UPDATE's, an INSERT's).
    pub fn changes(&self) -> usize {
        let changes = self.0.meta().and_then(|meta| js_sys::Reflect::get(&meta, &JsValue::from_str("changes")));
        changes.ok().and_then(|n| n.as_f64()).map_or(0, |n| n as usize)
    }
}

/// A bound parameter. Integers travel as JavaScript numbers: exact up to 2^53, which
/// covers fen amounts, versions and millisecond timestamps.
#[derive(Clone)]
pub enum Arg {
    Text(String),
    Int(i64),
    Null,
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Text(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(i: i64) -> Self {
        Arg::Int(i)
    }
}
impl<T: Into<Arg>> From<Option<T>> for Arg {
    fn from(o: Option<T>) -> Self {
        o.map_or(Arg::Null, Into::into)
    }
}

impl Arg {
    fn to_js(&self) -> JsValue {
        match self {
            Arg::Text(s) => JsValue::from_str(s),
            // f64 on purpose: an i64 would become a BigInt, which D1 refuses.
            Arg::Int(i) => JsValue::from_f64(*i as f64),
            Arg::Null => JsValue::NULL,
        }
    }
}

/// `args!["a", 1_i64, None::<String>]` builds a parameter list.
#[macro_export]
macro_rules! args {
    ($($a:expr),* $(,)?) => { vec![$($crate::db::Arg::from($a)),*] };
}

/// A list paged by keyset: ordered by column `key`, then `id`, ascending or newest first.
pub struct ListOrder {
    pub key: &'static str,
    pub id: &'static str,
    pub descending: bool,
}

impl ListOrder {
    /// The ` WHERE … ORDER BY … LIMIT ?` of a page from `from` on: the list's `filters`
    /// (their values already in `params`) and the seek past the cursor, read away from it
    /// (`PageFrom::page` puts the rows back in the list's order).
    pub fn page_sql(&self, mut filters: Vec<String>, params: &mut Vec<Arg>, from: &PageFrom, limit: u32) -> String {
        let (key, id) = (self.key, self.id);
        // Onwards in the list's order is `>` ascending and `<` newest first; back, the other.
        let seek = match from {
            PageFrom::First => None,
            PageFrom::After(c) => Some((if self.descending { "<" } else { ">" }, c)),
            PageFrom::Before(c) => Some((if self.descending { ">" } else { "<" }, c)),
        };
        if let Some((op, c)) = seek {
            filters.push(format!("({key}, {id}) {op} (?, ?)"));
            params.extend([Arg::from(c.key()), Arg::from(c.id())]);
        }
        params.push(i64::from(limit).into());
        let filter = if filters.is_empty() { String::new() } else { format!(" WHERE {}", filters.join(" AND ")) };
        let direction = if self.descending == from.backwards() { "ASC" } else { "DESC" };
        format!("{filter} ORDER BY {key} {direction}, {id} {direction} LIMIT ?")
    }
}

pub fn stmt(db: &Db, sql: &str, args: Vec<Arg>) -> AppResult<D1PreparedStatement> {
    let values: Vec<JsValue> = args.iter().map(Arg::to_js).collect();
    Ok(db.inner.prepare(sql).bind(&values)?)
}

pub async fn all<T: DeserializeOwned>(db: &Db, sql: &str, args: Vec<Arg>) -> AppResult<Vec<T>> {
    Query::new(db, sql, args)?.all(db).await
}

pub async fn first<T: DeserializeOwned>(db: &Db, sql: &str, args: Vec<Arg>) -> AppResult<Option<T>> {
    Query::new(db, sql, args)?.first(db).await
}

pub async fn run(db: &Db, sql: &str, args: Vec<Arg>) -> AppResult<()> {
    let statement = stmt(db, sql, args)?;
    db.count();
    statement.run().await?;
    Ok(())
}

/// A read of rows of `T`, prepared but not yet sent: run alone (`all`, `first`), or with
/// other reads in one round trip (`Reads`), so a page that needs several reads still costs
/// one round trip besides the session's.
pub struct Query<T> {
    statement: D1PreparedStatement,
    rows: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Query<T> {
    pub fn new(db: &Db, sql: &str, args: Vec<Arg>) -> AppResult<Query<T>> {
        Ok(Query { statement: stmt(db, sql, args)?, rows: PhantomData })
    }

    pub async fn all(self, db: &Db) -> AppResult<Vec<T>> {
        let mut reads = Reads::default();
        let rows = reads.add(self);
        reads.send(db).await?.rows(rows)
    }

    pub async fn first(self, db: &Db) -> AppResult<Option<T>> {
        Ok(self.all(db).await?.into_iter().next())
    }
}

/// Reads sent together in one batch: one round trip, and one consistent snapshot.
#[derive(Default)]
pub struct Reads {
    statements: Vec<D1PreparedStatement>,
}

/// Where a read's rows will be in the answer of its `Reads`; none for a read left out.
pub struct Slot<T> {
    index: Option<usize>,
    rows: PhantomData<fn() -> T>,
}

impl Reads {
    pub fn add<T>(&mut self, query: Query<T>) -> Slot<T> {
        self.statements.push(query.statement);
        Slot { index: Some(self.statements.len() - 1), rows: PhantomData }
    }

    /// A read only some requests need: left out of the batch unless `wanted`, and then its
    /// slot reads as no rows.
    pub fn add_if<T>(&mut self, wanted: bool, query: impl FnOnce() -> AppResult<Query<T>>) -> AppResult<Slot<T>> {
        Ok(if wanted { self.add(query()?) } else { Slot { index: None, rows: PhantomData } })
    }

    pub async fn send(self, db: &Db) -> AppResult<Read> {
        Ok(Read(db.batch(self.statements).await?))
    }
}

/// The answer of `Reads::send`.
pub struct Read(Vec<Answer>);

impl Read {
    pub fn rows<T: DeserializeOwned>(&self, slot: Slot<T>) -> AppResult<Vec<T>> {
        let Some(index) = slot.index else { return Ok(Vec::new()) };
        match self.0.get(index) {
            Some(answer) => answer.rows(),
            None => Err(AppError::Internal(format!("read {index} missing from its batch"))),
        }
    }

    pub fn first<T: DeserializeOwned>(&self, slot: Slot<T>) -> AppResult<Option<T>> {
        Ok(self.rows(slot)?.into_iter().next())
    }
}

/// A state change ready to be written. Unguarded: `statements` end with the audit entry.
/// Guarded: statement `guarded` is an UPDATE … WHERE version = ? that must change exactly
/// one row (or the change lost a race and nothing is written), and the statement right
/// after it is the audit entry, written with `changes() = 1`.
pub struct Change {
    pub statements: Vec<D1PreparedStatement>,
    pub guarded: Option<usize>,
}

/// Writes a change atomically. The audit insert after a guarded UPDATE must be written as
/// `INSERT … SELECT … WHERE changes() = 1`, so a lost race writes no audit entry either.
pub async fn commit(db: &Db, change: Change) -> AppResult<()> {
    if change.statements.is_empty() {
        return Ok(());
    }
    let results = db.batch(change.statements).await.map_err(classify)?;
    if let Some(i) = change.guarded {
        if results.get(i).map_or(0, Answer::changes) != 1 {
            return Err(AppError::stale());
        }
    }
    Ok(())
}

/// Constraint failures are conflicts the caller can act on; anything else is internal.
pub fn classify(e: worker::Error) -> AppError {
    let text = e.to_string();
    if text.contains("UNIQUE constraint failed") {
        AppError::Conflict("记录已存在".into())
    } else {
        AppError::Internal(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unique_constraint_is_a_conflict_and_anything_else_internal() {
        let unique = worker::Error::RustError("D1_ERROR: UNIQUE constraint failed: employees.resident_id".into());
        assert!(matches!(classify(unique), AppError::Conflict(_)));
        let other = worker::Error::RustError("D1_ERROR: no such column".into());
        assert!(matches!(classify(other), AppError::Internal(m) if m.contains("no such column")));
    }

    #[test]
    fn args_bind_text_integers_and_null() {
        let bound = args!["a", 7_i64, None::<String>, Some("b".to_string())];
        let kinds: Vec<String> = bound
            .iter()
            .map(|a| match a {
                Arg::Text(s) => format!("text {s}"),
                Arg::Int(i) => format!("int {i}"),
                Arg::Null => "null".into(),
            })
            .collect();
        assert_eq!(kinds, ["text a", "int 7", "null", "text b"]);
    }

    #[test]
    fn a_keyset_page_seeks_past_its_cursor_and_reads_away_from_it() {
        use shebao_domain::cursor::ListCursor;
        let at = ListCursor::at("k", "i");
        let sql = |descending, from: &PageFrom| {
            let mut params = Vec::new();
            let order = ListOrder { key: "t.k", id: "t.id", descending };
            (order.page_sql(vec!["t.b = ?".into()], &mut params, from, 21), params.len())
        };
        let cases = [
            (false, PageFrom::First, " WHERE t.b = ? ORDER BY t.k ASC, t.id ASC LIMIT ?", 1),
            (false, PageFrom::After(at.clone()), " WHERE t.b = ? AND (t.k, t.id) > (?, ?) ORDER BY t.k ASC, t.id ASC LIMIT ?", 3),
            (false, PageFrom::Before(at.clone()), " WHERE t.b = ? AND (t.k, t.id) < (?, ?) ORDER BY t.k DESC, t.id DESC LIMIT ?", 3),
            (true, PageFrom::First, " WHERE t.b = ? ORDER BY t.k DESC, t.id DESC LIMIT ?", 1),
            (true, PageFrom::After(at.clone()), " WHERE t.b = ? AND (t.k, t.id) < (?, ?) ORDER BY t.k DESC, t.id DESC LIMIT ?", 3),
            (true, PageFrom::Before(at), " WHERE t.b = ? AND (t.k, t.id) > (?, ?) ORDER BY t.k ASC, t.id ASC LIMIT ?", 3),
        ];
        for (descending, from, expected, params) in cases {
            assert_eq!(sql(descending, &from), (expected.to_string(), params), "{from:?}");
        }
    }
}
