//! The one shape most listings share: every row of one table for one key (a zone, a plan),
//! in the order the SQL gives, on either backend.

use crate::{Result, Store, on_pool};

impl Store {
    /// The rows one SELECT with one key (`$1`) reads, as `T` on either backend: the shape of
    /// every "all X of this zone (or plan), oldest first" listing.
    pub(crate) async fn rows_by<T>(&self, sql: &'static str, key: i64) -> Result<Vec<T>>
    where
        T: Send
            + Unpin
            + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        on_pool!(self, pool => {
            Ok(sqlx::query_as::<_, T>(sql).bind(key).fetch_all(pool).await?)
        })
    }
}
