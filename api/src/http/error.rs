//! The one error type of the API and its RFC 9457 `application/problem+json` form.
//!
//! Handlers return [`ApiError`]; how it is written as a response (its `ResponseError` impl,
//! and the middleware that sees the request, writes the body in the caller's language, adds
//! the request id, and turns any other error response into a problem as well) is
//! `http/problem.rs`, which uses this module and is not used by it.

use actix_web::http::StatusCode;
use serde::Serialize;
use tgpl_domain::label::Label;
pub use tgpl_domain::refusal::FieldRefusal;
use tgpl_domain::refusal::Refusal;
use tgpl_persistence::diesel_error;
use tgpl_persistence::StoreError;
use utoipa::ToSchema;

use super::lang::Text;

/// An error answered as a problem document. Boxed, so that `Result<T, ApiError>` stays
/// small on the path that succeeds; its fields are reached through `Deref`.
#[derive(Debug, Clone)]
pub struct ApiError(Box<ErrorBody>);

#[derive(Debug, Clone)]
pub struct ErrorBody {
    pub status: StatusCode,
    /// Stable, machine-readable, snake_case.
    pub code: &'static str,
    pub title: Text,
    pub detail: Text,
    pub errors: Vec<FieldRefusal>,
    /// Seconds, for 429 and 503.
    pub retry_after: Option<u64>,
    /// For 405: the methods the resource has.
    pub allow: Option<String>,
    /// For 409 on an illegal step: what can be done instead, and similar extensions.
    pub extra: Option<serde_json::Value>,
    /// RFC 6749 §5.2 error code, on the token endpoint only.
    pub oauth_error: Option<&'static str>,
    /// For a 5xx: what failed, never sent; logged again with the request's id when the
    /// answer goes (see `problem::render`), since where it was made the request is unknown.
    pub cause: Option<String>,
}

impl std::ops::Deref for ApiError {
    type Target = ErrorBody;
    fn deref(&self) -> &ErrorBody {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ErrorBody {
        &mut self.0
    }
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, title: Text, detail: Text) -> Self {
        Self(Box::new(ErrorBody {
            status,
            code,
            title,
            detail,
            errors: Vec::new(),
            retry_after: None,
            allow: None,
            extra: None,
            oauth_error: None,
            cause: None,
        }))
    }

    pub fn with_oauth(mut self, error: &'static str) -> Self {
        self.oauth_error = Some(error);
        self
    }

    pub fn with_extra(mut self, extra: serde_json::Value) -> Self {
        self.extra = Some(extra);
        self
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            Text::new("Không tìm thấy", "Not found"),
            Text::new(
                "Không tìm thấy tài nguyên yêu cầu, hoặc bạn không có quyền xem tài nguyên này.",
                "The requested resource does not exist or is outside your scope.",
            ),
        )
    }

    pub fn forbidden() -> Self {
        Self::forbidden_because(Text::new(
            "Vai trò của bạn không được phép thực hiện thao tác này.",
            "Your role is not allowed to perform this action.",
        ))
    }

    /// 403 `password_change_required`: the account's password was chosen by an administrator
    /// and its holder has not replaced it yet.
    pub fn password_change_required() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "password_change_required",
            Text::new("Cần đổi mật khẩu", "Password change required"),
            Text::new(
                "Mật khẩu do quản trị viên đặt; hãy đổi mật khẩu (POST /api/v1/me/password) trước khi tiếp tục.",
                "The password was set by an administrator: change it (POST /api/v1/me/password) before anything else.",
            ),
        )
    }

    /// 403 `forbidden`, saying why when the role alone does not.
    pub fn forbidden_because(detail: Text) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            Text::new("Không có quyền", "Forbidden"),
            detail,
        )
    }

    pub fn unauthorized(detail: Text) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            Text::new("Chưa xác thực", "Unauthorized"),
            detail,
        )
    }

    pub fn invalid_token() -> Self {
        Self::unauthorized(Text::new(
            "Mã truy cập thiếu, sai, hết hạn hoặc đã bị thu hồi. Hãy đăng nhập lại.",
            "The access token is missing, invalid, expired or revoked. Log in again.",
        ))
    }

    pub fn validation(errors: Vec<FieldRefusal>) -> Self {
        let mut e = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            Text::new("Dữ liệu không hợp lệ", "Invalid input"),
            Text::new(
                "Một số trường dữ liệu không hợp lệ; xem danh sách lỗi.",
                "Some fields are invalid; see the list of errors.",
            ),
        );
        e.errors = errors;
        e
    }

    /// The same error with each refused field's path put under `prefix`: the refusals of a
    /// body checked as part of a larger one (`cases[2].changes.` + `received_on`).
    pub fn within(mut self, prefix: &str) -> Self {
        for refusal in &mut self.errors {
            refusal.field = format!("{prefix}{}", refusal.field);
        }
        self
    }

    pub fn field(
        field: &str,
        code: &'static str,
        vi: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self::validation(vec![FieldRefusal::new(field, code, vi, en)])
    }

    /// A rule's refusal of a field (see `tgpl_domain::refusal`): 422 naming the field, with
    /// the rule's code and message.
    pub fn refused(refusal: impl Refusal) -> Self {
        Self::from(refusal.field_refusal())
    }

    pub fn bad_request(code: &'static str, detail: Text) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            code,
            Text::new("Yêu cầu không hợp lệ", "Bad request"),
            detail,
        )
    }

    /// 409 `illegal_step`: the step cannot be taken from the record's status, answered as
    /// `status_key` (`state`, `dossier_status`, `report_status`) with the steps allowed from
    /// it as `allowed_steps`.
    pub fn illegal_step(
        record: Label,
        step: Label,
        state: Label,
        (status_key, status): (&str, &str),
        allowed: impl IntoIterator<Item = impl std::fmt::Display>,
    ) -> Self {
        let detail = Text::new(
            format!(
                "Không thể thực hiện bước \"{}\" khi {} đang ở trạng thái \"{}\".",
                step.vi, record.vi, state.vi
            ),
            format!(
                "The step \"{}\" cannot be taken while {} is \"{}\".",
                step.en, record.en, state.en
            ),
        );
        let allowed: Vec<String> = allowed.into_iter().map(|s| s.to_string()).collect();
        let mut extra = serde_json::Map::new();
        extra.insert(status_key.to_owned(), status.into());
        extra.insert("allowed_steps".to_owned(), allowed.into());
        Self::conflict("illegal_step", detail).with_extra(serde_json::Value::Object(extra))
    }

    pub fn conflict(code: &'static str, detail: Text) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            code,
            Text::new("Xung đột dữ liệu", "Conflict"),
            detail,
        )
    }

    pub fn precondition_failed() -> Self {
        Self::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            Text::new("Dữ liệu đã thay đổi", "Precondition failed"),
            Text::new(
                "Bản ghi đã được người khác sửa sau khi bạn tải về (ETag không khớp). Hãy tải lại rồi sửa lại.",
                "The record changed since you read it (ETag mismatch). Reload it and apply your change again.",
            ),
        )
    }

    pub fn precondition_required() -> Self {
        Self::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            Text::new("Thiếu If-Match", "Precondition required"),
            Text::new(
                "Cần gửi tiêu đề If-Match với ETag của bản ghi đã đọc để tránh ghi đè thay đổi của người khác.",
                "Send an If-Match header with the ETag you read, so that nobody's change is overwritten.",
            ),
        )
    }

    /// 503 `code`, to be tried again after `retry_after` seconds, for the reason `detail`.
    fn unavailable_for(code: &'static str, detail: Text, retry_after: u64) -> Self {
        let mut e = Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            code,
            Text::new("Dịch vụ tạm thời không sẵn sàng", "Service unavailable"),
            detail,
        );
        e.retry_after = Some(retry_after);
        e
    }

    pub fn unavailable(retry_after: u64) -> Self {
        Self::unavailable_for(
            "service_unavailable",
            Text::new(
                "Cơ sở dữ liệu tạm thời không phản hồi. Vui lòng thử lại sau.",
                "The database is not answering for now. Please retry later.",
            ),
            retry_after,
        )
    }

    /// 503 `outcome_unknown`: the database stopped answering while committing the change,
    /// which may or may not have been saved. No `Retry-After`: read what was to change before
    /// sending it again.
    pub fn outcome_unknown() -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "outcome_unknown",
            Text::new("Không rõ kết quả", "Outcome unknown"),
            Text::new(
                "Cơ sở dữ liệu ngừng phản hồi khi đang lưu thay đổi; thay đổi có thể đã được lưu hoặc chưa. Hãy xem lại dữ liệu trước khi gửi lại.",
                "The database stopped answering while saving the change, which may or may not have been saved. Read the data again before sending it again.",
            ),
        )
    }

    /// 503: a directory the server stores documents or the database in is (nearly) full, or
    /// cannot be written: retried later, once the operator has made room or mended it.
    pub fn store_unavailable() -> Self {
        Self::unavailable_for(
            "service_unavailable",
            Text::new(
                "Thư mục lưu tài liệu hoặc cơ sở dữ liệu đã đầy hoặc không ghi được.",
                "The directory the server stores documents or the database in is full or cannot be written.",
            ),
            30,
        )
    }

    /// 413 `attachment_too_large`: a document (a case's, a dossier's) over `limit` bytes.
    pub fn attachment_too_large(limit: usize) -> Self {
        let mut e = Self::from_status(StatusCode::PAYLOAD_TOO_LARGE);
        e.code = "attachment_too_large";
        e.detail = Text::new(
            format!("Tệp vượt quá giới hạn {limit} byte."),
            format!("The file exceeds the limit of {limit} bytes."),
        );
        e
    }

    /// 400: the client stopped sending a file's body part-way.
    pub fn upload_interrupted() -> Self {
        Self::bad_request(
            "upload_interrupted",
            Text::new("Tải lên bị gián đoạn.", "The upload was interrupted."),
        )
    }

    /// 503: as many uploads as the server takes at once are in progress (case attachments
    /// and dossier documents share the bound).
    pub fn too_many_uploads() -> Self {
        Self::unavailable_for(
            "too_many_uploads",
            Text::new(
                "Máy chủ đang nhận tối đa số tệp cùng lúc. Vui lòng thử lại sau ít giây.",
                "The server is taking as many uploads at once as it can. Please retry in a few seconds.",
            ),
            5,
        )
    }

    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            Text::new("Lỗi hệ thống", "Internal error"),
            Text::new(
                "Đã xảy ra lỗi không mong muốn. Lỗi đã được ghi lại; hãy báo mã yêu cầu cho quản trị viên.",
                "Something unexpected went wrong. It has been logged; quote the request id to the administrator.",
            ),
        )
    }

    /// The 500 of an error that should not happen, keeping its cause in the log:
    /// `.map_err(ApiError::logged("stored case state"))`. `context` says what failed; the
    /// cause is logged with it, so it must carry no personal data (the parse errors of codes,
    /// serialization and thread-pool errors do not).
    pub fn logged<E: std::fmt::Debug>(context: &'static str) -> impl FnOnce(E) -> Self {
        move |cause| {
            let cause = format!("{context}: {cause:?}");
            log::error!("{cause}");
            let mut e = Self::internal();
            e.cause = Some(cause);
            e
        }
    }

    /// A problem for an error response that came without one (actix's own errors).
    pub fn from_status(status: StatusCode) -> Self {
        let (code, title, detail) = match status.as_u16() {
            400 => (
                "bad_request",
                Text::new("Yêu cầu không hợp lệ", "Bad request"),
                Text::new("Yêu cầu không đọc được.", "The request could not be read."),
            ),
            401 => return Self::invalid_token(),
            403 => return Self::forbidden(),
            404 => (
                "route_not_found",
                Text::new("Không có đường dẫn này", "No such route"),
                Text::new(
                    "Không có API nào ở đường dẫn này; xem /docs.",
                    "No API lives at this path; see /docs.",
                ),
            ),
            405 => (
                "method_not_allowed",
                Text::new("Phương thức không được hỗ trợ", "Method not allowed"),
                Text::new(
                    "Đường dẫn này không hỗ trợ phương thức HTTP đã dùng; xem tiêu đề Allow.",
                    "This path does not support the HTTP method used; see the Allow header.",
                ),
            ),
            413 => (
                "payload_too_large",
                Text::new("Dữ liệu gửi lên quá lớn", "Payload too large"),
                Text::new(
                    "Nội dung yêu cầu vượt quá giới hạn cho phép.",
                    "The request body is larger than allowed.",
                ),
            ),
            415 => (
                "unsupported_media_type",
                Text::new("Kiểu nội dung không được hỗ trợ", "Unsupported media type"),
                Text::new(
                    "Hãy gửi nội dung với Content-Type: application/json.",
                    "Send the body with Content-Type: application/json.",
                ),
            ),
            503 => return Self::unavailable(5),
            s if s >= 500 => return Self::internal(),
            _ => (
                "request_error",
                Text::new("Yêu cầu không thực hiện được", "Request failed"),
                Text::new(
                    "Yêu cầu không thực hiện được.",
                    "The request could not be carried out.",
                ),
            ),
        };
        Self::new(status, code, title, detail)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.code)
    }
}

impl From<FieldRefusal> for ApiError {
    fn from(r: FieldRefusal) -> Self {
        Self::validation(vec![r])
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(),
            StoreError::VersionMismatch => Self::precondition_failed(),
            StoreError::Conflict(what) => {
                log::info!("write refused by a constraint: {what}");
                Self::conflict(
                    "conflict",
                    Text::new(
                        "Dữ liệu trùng hoặc tham chiếu không tồn tại.",
                        "The data duplicates an existing record or refers to a missing one.",
                    ),
                )
            }
            StoreError::Unavailable(why) => {
                log::warn!("database unavailable: {why}");
                let mut e = Self::unavailable(5);
                e.cause = Some(format!("database unavailable: {why}"));
                e
            }
            StoreError::Setup(why) | StoreError::Other(why) => {
                log::error!("database error: {why}");
                let mut e = Self::internal();
                e.cause = Some(format!("database error: {why}"));
                e
            }
        }
    }
}

impl From<diesel_error::Error> for ApiError {
    fn from(e: diesel_error::Error) -> Self {
        StoreError::from(e).into()
    }
}

/// The problem document as it goes over the wire (RFC 9457, with extensions).
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:tgpl:problem:<code>`.
    #[serde(rename = "type")]
    pub type_: String,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code. Any operation may answer these: `bad_request`,
    /// `malformed_json`, `not_an_object` and `request_error` (400, the body or the query
    /// does not read); `unauthorized` (401: no token, or one missing, invalid, expired or
    /// revoked; the token endpoint answers RFC 6749's `error` too); `forbidden` (403);
    /// `not_found` (404, also what lies outside the caller's scope) and `route_not_found` (no
    /// such path); `method_not_allowed` (405); `request_timeout` (408); `conflict` (409, a
    /// write refused by the storage's own rules); `precondition_failed` (412, `If-Match` names
    /// another version) and `precondition_required` (428, it is missing where required);
    /// `payload_too_large` (413); `unsupported_media_type` (415); `validation_failed` (422,
    /// `errors` names each field; among their codes `duplicate_key` for a JSON key given
    /// twice, `control_character` for an invisible character in text, `unknown_code` for a
    /// code outside its vocabulary, `unknown_sort`, `range`, `in_future`, and `before_start` for a
    /// list's span that ends before it starts);
    /// `too_many_attempts` (429, with `Retry-After`); `internal_error` (500);
    /// `service_unavailable` (503, the database does not answer) and `too_many_uploads` (503,
    /// as many uploads as the server takes are in progress), both with `Retry-After`.
    /// Operations name the codes of their own rules in their responses. Codes are added over
    /// time: treat an unknown one by its status.
    pub code: String,
    pub detail: String,
    /// The request path.
    pub instance: String,
    /// Quote it to the administrator: it finds this request in the server log.
    pub request_id: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// RFC 6749 error code, on the token endpoint only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    #[schema(value_type = Object)]
    pub extra: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// Where in the input: a body field's path (`participation.valid_to`, `documents[2].name`),
    /// a query parameter's name (`page_size`), or an uploaded file's cell (`file[E2]`).
    pub field: String,
    pub code: String,
    pub message: String,
}
