//! One error type for every handler. It answers with a status and a marker; the session
//! layer, which knows the user's language, turns the marker into a translated page (or JSON
//! for the API), so no handler writes an error text of its own.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Debug)]
pub enum WebError {
    /// Not logged in: pages redirect to the login form, the API answers 401.
    Unauthenticated,
    /// Logged in (or public) but not allowed: 403.
    Forbidden,
    NotFound,
    /// The request cannot be answered as asked; the key names the reason in the locale files.
    BadRequest(&'static str),
    /// Too many failed logins.
    TooManyAttempts,
    /// The CSRF token is missing or wrong.
    Csrf,
    Internal(anyhow::Error),
}

/// Put on an error response; the session layer renders it.
#[derive(Debug, Clone)]
pub struct ErrorMarker {
    pub status: StatusCode,
    /// Locale key of the message.
    pub key: &'static str,
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated => StatusCode::UNAUTHORIZED,
            WebError::Forbidden => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            WebError::Unauthenticated => "error-unauthenticated",
            WebError::Forbidden => "error-forbidden",
            WebError::NotFound => "error-not-found",
            WebError::BadRequest(k) => k,
            WebError::TooManyAttempts => "error-too-many-attempts",
            WebError::Csrf => "error-csrf",
            WebError::Internal(_) => "error-internal",
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::Internal(e) = &self {
            tracing::error!("internal error: {e:#}");
        }
        let marker = ErrorMarker {
            status: self.status(),
            key: self.key(),
        };
        let mut r = marker.status.into_response();
        r.extensions_mut().insert(marker);
        r
    }
}

impl From<anyhow::Error> for WebError {
    fn from(e: anyhow::Error) -> Self {
        WebError::Internal(e)
    }
}

impl From<veilig_store::StoreError> for WebError {
    fn from(e: veilig_store::StoreError) -> Self {
        WebError::Internal(e.into())
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(e.into())
    }
}

pub type WebResult<T> = Result<T, WebError>;
