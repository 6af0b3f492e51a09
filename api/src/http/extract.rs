//! Extractors that turn bad input into problems that name the field.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::{self, ContentType};
use actix_web::http::StatusCode;
use actix_web::{mime, web, FromRequest, HttpRequest, HttpResponse};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use tgpl_persistence::db::write_transaction;
use tgpl_persistence::DbConnection;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use super::error::{ApiError, FieldRefusal};
use super::lang::Text;
use super::strict_json;
use super::text::clean_pairs;

/// Largest JSON body accepted. Attachments, which are larger, have their own upload path.
pub const JSON_LIMIT: usize = 256 * 1024;

/// A JSON body that was well-formed, of the right shape and valid by its `Validate` rules.
///
/// Wrong content type: 415. Too large: 413. Not JSON: 400 `malformed_json`. Right JSON of
/// the wrong shape (missing field, wrong type, unknown code) or naming a field twice in one
/// object: 422 naming the field path.
#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json::<T>(req, payload);
        Box::pin(async move {
            let value = body.await?;
            validate(&value)?;
            Ok(ValidJson(value))
        })
    }
}

/// Reads a JSON body of type `T`: 415 unless the content type is JSON, 413 past
/// [`JSON_LIMIT`], 400 or 422 (see [`ValidJson`]) when it does not parse as `T`.
fn read_json<T: DeserializeOwned + 'static>(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<T, actix_web::Error>> {
    let json_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON));
    let bytes = web::Bytes::from_request(req, payload);
    async move {
        if !json_type {
            return Err(ApiError::from_status(StatusCode::UNSUPPORTED_MEDIA_TYPE).into());
        }
        let bytes = bytes.await?;
        Ok(parse::<T>(&bytes)?)
    }
}

fn validate(value: &impl Validate) -> Result<(), ApiError> {
    value
        .validate()
        .map_err(|e| ApiError::validation(field_errors(&e)))
}

/// What `value`'s `Validate` rules refuse, as field errors (none when it is valid).
pub fn validation_errors(value: &impl Validate) -> Vec<FieldRefusal> {
    value
        .validate()
        .err()
        .map_or_else(Vec::new, |e| field_errors(&e))
}

/// A JSON body of the right shape, whose `Validate` rules the handler runs itself
/// ([`validation_errors`]): for a request whose every bad field is listed at once, the rules'
/// refusals together with what the domain and the stored data refuse.
#[derive(Debug)]
pub struct ShapedJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ShapedJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = read_json::<T>(req, payload);
        Box::pin(async move { Ok(ShapedJson(body.await?)) })
    }
}

/// Reads the document, cleans its text (see [`super::text::clean_json`]), then gives it
/// its shape.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut document = strict_json::parse(bytes).map_err(|refusal| match refusal {
        strict_json::Refusal::Malformed(e) => malformed(&e),
        strict_json::Refusal::Duplicate(e) => e,
    })?;
    // Every body this API takes is an object (or, where optional, null). serde would also read
    // a struct from an array of its fields in order, which the contract does not allow.
    if !(document.is_object() || document.is_null()) {
        return Err(ApiError::validation(vec![FieldRefusal::new(
            "body",
            "not_an_object",
            "Nội dung phải là một đối tượng JSON.",
            "The body must be a JSON object.",
        )]));
    }
    super::text::clean_json(&mut document)?;
    serde_path_to_error::deserialize(document).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_data() {
            let message = inner.to_string();
            ApiError::validation(vec![data_error("body", &path, &message)])
        } else {
            malformed(&inner)
        }
    })
}

/// A shape error of serde as a field error. serde names a missing or repeated field in its
/// message, at the path of the object that holds it: the problem names the field itself.
/// `whole` names the input when the error is about all of it (`body`, `query`).
fn data_error(whole: &str, path: &str, message: &str) -> FieldRefusal {
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
    };
    let (name, code) = match (named("missing field `"), named("duplicate field `")) {
        (Some(name), _) => (Some(name), "required"),
        (None, Some(name)) => (Some(name), "duplicate_key"),
        (None, None) => (None, "invalid"),
    };
    let field = match (name, path) {
        (Some(name), ".") => name.to_owned(),
        (Some(name), parent) => format!("{parent}.{name}"),
        (None, ".") => whole.to_owned(),
        (None, _) => path.to_owned(),
    };
    let text = data_error_text(message);
    FieldRefusal::new(field, code, text.vi, text.en)
}

fn malformed(e: &serde_json::Error) -> ApiError {
    ApiError::bad_request(
        "malformed_json",
        Text::new(
            format!(
                "Nội dung không phải JSON hợp lệ (dòng {}, cột {}).",
                e.line(),
                e.column()
            ),
            format!(
                "The body is not valid JSON (line {}, column {}).",
                e.line(),
                e.column()
            ),
        ),
    )
}

/// serde's messages are English and technical. The Vietnamese says what is wrong in its own
/// words, with the field or code serde names and the ones it expects (those are the same in
/// every language); the English keeps serde's words, after what failed when they do not say.
fn data_error_text(serde_message: &str) -> Text {
    let message = serde_message
        .split(" at line ")
        .next()
        .unwrap_or(serde_message);
    let name = message.split('`').nth(1).unwrap_or_default();
    let expected = message
        .split_once("expected one of")
        .map(|(_, list)| list.trim_start_matches(':').trim().replace('`', ""))
        .filter(|list| !list.is_empty());
    let with_list = |vi: String, label: &str| match &expected {
        Some(list) => format!("{vi} {label}: {list}."),
        None => vi,
    };
    let vi = if message.starts_with("missing field") {
        format!("Thiếu trường bắt buộc `{name}`.")
    } else if message.starts_with("duplicate field") {
        format!("Trường `{name}` được ghi hai lần.")
    } else if message.starts_with("unknown field") {
        with_list(
            format!("Trường `{name}` không được hỗ trợ."),
            "Các trường được nhận",
        )
    } else if message.starts_with("unknown code") || message.starts_with("unknown variant") {
        with_list(
            format!("Mã `{name}` không thuộc danh mục cho phép."),
            "Các mã hợp lệ",
        )
    } else if let Some(said) = date_error_text(message) {
        return said;
    } else {
        "Giá trị sai kiểu hoặc sai định dạng.".to_owned()
    };
    let says_what_failed = [
        "missing field",
        "duplicate field",
        "unknown field",
        "unknown code",
        "unknown variant",
        "invalid type",
        "invalid value",
        "invalid length",
    ]
    .iter()
    .any(|start| message.starts_with(start));
    let en = if says_what_failed {
        message.to_owned()
    } else {
        format!("Wrong type or format: {message}.")
    };
    Text::new(vi, en)
}

/// chrono's words for a date or instant that does not read, said for people: a day that
/// does not exist (30 February), or one not written as the contract says.
fn date_error_text(message: &str) -> Option<Text> {
    if message.starts_with("input is out of range") {
        return Some(Text::new(
            "Ngày hoặc giờ không có thật (chẳng hạn 30/02).",
            "Not a real date or time (such as 30 February).",
        ));
    }
    let malformed = [
        "premature end of input",
        "input contains invalid characters",
        "trailing input",
        "input is not enough for unique date and time",
        "no possible date and time matching input",
    ];
    malformed.iter().any(|m| message.starts_with(m)).then(|| {
        Text::new(
            "Ngày viết theo dạng YYYY-MM-DD, thời điểm theo RFC 3339 (2026-03-01T08:30:00+07:00).",
            "A date is written YYYY-MM-DD, an instant as RFC 3339 (2026-03-01T08:30:00+07:00).",
        )
    })
}

/// Flattens validator's nested errors into `{field, code, message}` with dotted paths.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldRefusal> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldRefusal>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    out.push(describe(&path, e));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}[{index}]"), out);
                }
            }
        }
    }
}

fn describe(path: &str, e: &validator::ValidationError) -> FieldRefusal {
    let param = |name: &str| e.params.get(name).map(|v| v.to_string());
    let (code, vi, en) = match e.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => (
                "length",
                format!("Độ dài phải từ {min} đến {max} ký tự."),
                format!("Length must be between {min} and {max} characters."),
            ),
            (Some(min), None) => (
                "length",
                format!("Cần ít nhất {min} ký tự."),
                format!("At least {min} characters are needed."),
            ),
            (None, Some(max)) => (
                "length",
                format!("Tối đa {max} ký tự."),
                format!("At most {max} characters."),
            ),
            _ => (
                "length",
                "Độ dài không hợp lệ.".into(),
                "Invalid length.".into(),
            ),
        },
        "too_many_items" => (
            "too_many",
            format!("Tối đa {} mục.", param("max").unwrap_or_default()),
            format!("At most {} items.", param("max").unwrap_or_default()),
        ),
        "invalid_phone" => return tgpl_domain::text::phone_refusal(path),
        "email" => (
            "email",
            "Địa chỉ thư điện tử không hợp lệ.".into(),
            "Not a valid e-mail address.".into(),
        ),
        "range" => (
            "range",
            format!(
                "Giá trị phải trong khoảng {} đến {}.",
                param("min").unwrap_or_default(),
                param("max").unwrap_or_default()
            ),
            format!(
                "The value must be between {} and {}.",
                param("min").unwrap_or_default(),
                param("max").unwrap_or_default()
            ),
        ),
        _ => {
            let en = e
                .message
                .as_ref()
                .map(|m| m.to_string())
                .unwrap_or_else(|| "Invalid value.".into());
            ("invalid", "Giá trị không hợp lệ.".into(), en)
        }
    };
    FieldRefusal::new(path, code, vi, en)
}

/// A JSON body that may be left out entirely (an empty body, with or without
/// `Content-Type`), or sent as `null`.
/// When one is sent it is held to the rules of [`ValidJson`]: a malformed body is an error,
/// never silently treated as absent.
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for OptionalJson<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        // Left out: a body of length 0, whatever `Content-Type` says (clients that always
        // send `application/json` send it on an empty body too), or no body and no type.
        let length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        let no_type = req.headers().get(header::CONTENT_TYPE).is_none();
        if length == Some("0") || (no_type && length.is_none()) {
            return Box::pin(async { Ok(OptionalJson(None)) });
        }
        let body = read_json::<Option<T>>(req, payload);
        Box::pin(async move {
            let value = body.await?;
            if let Some(value) = &value {
                validate(value)?;
            }
            Ok(OptionalJson(value))
        })
    }
}

/// Query parameters, parsed so that an invalid one is named: `page_size=abc` answers 422
/// with the field `page_size` (actix's own `web::Query` cannot say which parameter failed).
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> std::ops::Deref for Query<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let cleaned = match clean_pairs(form_urlencoded::parse(req.query_string().as_bytes())) {
            Ok(cleaned) => cleaned,
            Err(e) => return std::future::ready(Err(ApiError::validation(vec![e]).into())),
        };
        let parser = form_urlencoded::parse(cleaned.as_bytes());
        let parsed = serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(parser));
        std::future::ready(parsed.map(Query).map_err(|e| {
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            ApiError::validation(vec![data_error("query", &path, &message)]).into()
        }))
    }
}

/// A form body (`application/x-www-form-urlencoded`), as the OAuth token endpoint takes.
/// Over [`FORM_LIMIT`]: 413 `payload_too_large`, like any body over its limit. Every other
/// failure is 400 `invalid_request` in OAuth style: wrong content type, a body that does not
/// read as a form, wrong shape, or a field holding a control character (named in `errors`).
/// Values are normalised to NFC, secrets excepted (see [`super::text::clean_pairs`]).
#[derive(Debug)]
pub struct Form<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let pairs = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        Box::pin(async move {
            let pairs = pairs.await?.into_inner();
            let cleaned = clean_pairs(pairs).map_err(form_field_refused)?;
            serde_urlencoded::from_str(&cleaned)
                .map(Form)
                .map_err(|e| invalid_form(&e).into())
        })
    }
}

/// The OAuth-style refusal of a credential field, sent in the form or in `Authorization:
/// Basic`, that holds a control character: 400 `invalid_request` naming the field.
pub fn form_field_refused(e: FieldRefusal) -> ApiError {
    let mut error = invalid_request(Text::new(
        format!("Yêu cầu không hợp lệ: `{}` chứa ký tự điều khiển.", e.field),
        format!("Invalid request: `{}` holds a control character.", e.field),
    ));
    error.errors.push(e);
    error
}

/// Largest form body accepted: credentials are short.
pub const FORM_LIMIT: usize = 16 * 1024;

/// A form whose fields do not make a token request, said as for JSON bodies
/// ([`data_error_text`]).
fn invalid_form(e: &serde_urlencoded::de::Error) -> ApiError {
    let text = data_error_text(&e.to_string());
    invalid_request(Text::new(
        format!("Biểu mẫu không hợp lệ: {}", text.vi),
        format!("Invalid form body: {}", text.en),
    ))
}

/// A body that could not be read as a form at all. actix's own messages are English and
/// technical, so none of them is passed on.
fn unreadable_form(e: &actix_web::error::UrlencodedError) -> ApiError {
    use actix_web::error::UrlencodedError;
    match e {
        UrlencodedError::Overflow { .. } => ApiError::from_status(StatusCode::PAYLOAD_TOO_LARGE),
        UrlencodedError::ContentType => invalid_request(Text::new(
            "Hãy gửi biểu mẫu với Content-Type: application/x-www-form-urlencoded.",
            "Send the form with Content-Type: application/x-www-form-urlencoded.",
        )),
        _ => invalid_request(Text::new(
            "Nội dung không đọc được như một biểu mẫu.",
            "The body could not be read as a form.",
        )),
    }
}

fn invalid_request(detail: Text) -> ApiError {
    ApiError::bad_request("invalid_request", detail).with_oauth("invalid_request")
}

/// Error handlers for actix's own extractors, so their failures are problems too.
pub fn configure_extractors(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(JSON_LIMIT))
        .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::not_found().into()))
        .app_data(
            web::FormConfig::default()
                .limit(FORM_LIMIT)
                .error_handler(|e, _| unreadable_form(&e).into()),
        );
}

/// A file sent as the whole body, held in memory: `too_large` past `limit` bytes (checked
/// as it arrives, so no more is read), 400 `upload_interrupted` when the client stops
/// part-way.
pub async fn whole_body(
    payload: &mut web::Payload,
    limit: usize,
    too_large: impl FnOnce() -> ApiError,
) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = futures_util::StreamExt::next(payload).await {
        let chunk = chunk.map_err(|_| ApiError::upload_interrupted())?;
        if bytes.len() + chunk.len() > limit {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// The `If-Match` header of a request, if any.
#[derive(Debug, Clone)]
pub struct IfMatch(pub Option<String>);

impl IfMatch {
    /// Fails with 412 when the header names another version than `current`, and with 428
    /// when it is missing.
    pub fn require(&self, current: &str) -> Result<(), ApiError> {
        match &self.0 {
            None => Err(ApiError::precondition_required()),
            Some(_) => self.check(current),
        }
    }

    /// [`IfMatch::require`] for a stored record: 428 without the header, 412 when it names
    /// another version than the record's.
    pub fn require_current(
        &self,
        record: &impl tgpl_persistence::versioned::Versioned,
    ) -> Result<(), ApiError> {
        self.require(&etag(record.version()))
    }

    /// [`IfMatch::check`] for a stored record: 412 when the header names another version
    /// than the record's.
    pub fn check_current(
        &self,
        record: &impl tgpl_persistence::versioned::Versioned,
    ) -> Result<(), ApiError> {
        self.check(&etag(record.version()))
    }

    /// Fails with 412 when the header is present and names another version than `current`.
    pub fn check(&self, current: &str) -> Result<(), ApiError> {
        match &self.0 {
            Some(given)
                if given.trim() != "*" && !given.split(',').any(|t| t.trim() == current) =>
            {
                Err(ApiError::precondition_failed())
            }
            _ => Ok(()),
        }
    }
}

impl IfMatch {
    /// Whether the client named a version (`*` names none).
    pub fn names_version(&self) -> bool {
        self.0.as_deref().is_some_and(|given| given.trim() != "*")
    }

    /// Runs `attempt` (a change: load, check, save) in a transaction, and runs it again when
    /// its save lost to a concurrent change of the same record and the client named no
    /// version: a precondition the client never sent cannot fail. The next attempt reads the
    /// record as the winner left it and answers what the rules say of that (409
    /// `already_decided`, `illegal_step`, ...). Each lost attempt means another change was
    /// made, so the attempts are bounded only to stop a runaway.
    pub fn settle<T>(
        &self,
        conn: &mut DbConnection,
        mut attempt: impl FnMut(&mut DbConnection) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        const ATTEMPTS: usize = 20;
        let mut lost = 0;
        loop {
            match write_transaction(conn, &mut attempt) {
                Err(e)
                    if e.status == StatusCode::PRECONDITION_FAILED
                        && !self.names_version()
                        && lost + 1 < ATTEMPTS =>
                {
                    lost += 1;
                }
                outcome => return outcome,
            }
        }
    }
}

impl FromRequest for IfMatch {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let value = req
            .headers()
            .get(header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        std::future::ready(Ok(IfMatch(value)))
    }
}

/// The entity tag of a versioned record.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// One versioned record as the answer: with its `ETag`, and when it was just created (201)
/// with its `Location`, `{collection}/{id}`.
pub fn record(
    status: StatusCode,
    collection: &str,
    id: &str,
    version: i64,
    body: &impl Serialize,
) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    if status == StatusCode::CREATED {
        res.insert_header((header::LOCATION, format!("{collection}/{id}")));
    }
    res.insert_header((header::ETAG, etag(version))).json(body)
}

/// `application/json` for hand-built responses.
pub fn json_type() -> ContentType {
    ContentType::json()
}

/// For required fields of a partial update, with `#[serde(default, deserialize_with = "kept")]`:
/// absent keeps the value (`None`), and `null` is refused (422 naming the field), since a
/// required value is never cleared and `null` must not pass silently for "keep".
pub fn kept<'de, D: Deserializer<'de>, T: Deserialize<'de>>(de: D) -> Result<Option<T>, D::Error> {
    T::deserialize(de).map(Some)
}

/// For optional fields of a partial update, with `#[serde(default, deserialize_with =
/// "present")]`: tells a field that is absent (`None`: keep) from one that is `null`
/// (`Some(None)`: clear).
pub fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    de: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::data_error_text;

    #[test]
    fn dates_that_do_not_read_are_said_for_people() {
        let text = data_error_text("input is out of range at line 1 column 30");
        assert!(text.en.starts_with("Not a real date"), "{}", text.en);
        assert!(text.vi.contains("30/02"));
        let text = data_error_text("premature end of input at line 1 column 22");
        assert!(text.en.contains("YYYY-MM-DD"), "{}", text.en);
    }

    #[test]
    fn parser_messages_are_said_in_each_language() {
        let text = data_error_text("missing field `organization_id` at line 1 column 2");
        assert_eq!(text.vi, "Thiếu trường bắt buộc `organization_id`.");
        assert_eq!(text.en, "missing field `organization_id`");
        let text = data_error_text("unknown code `xx`, expected one of: male, female");
        assert_eq!(
            text.vi,
            "Mã `xx` không thuộc danh mục cho phép. Các mã hợp lệ: male, female."
        );
        let text = data_error_text("unknown field `extra`, expected one of `a`, `b`");
        assert_eq!(
            text.vi,
            "Trường `extra` không được hỗ trợ. Các trường được nhận: a, b."
        );
        let text = data_error_text("unknown field `extra`, there are no fields");
        assert_eq!(text.vi, "Trường `extra` không được hỗ trợ.");
        let text = data_error_text("invalid digit found in string");
        assert_eq!(text.vi, "Giá trị sai kiểu hoặc sai định dạng.");
        assert_eq!(
            text.en,
            "Wrong type or format: invalid digit found in string."
        );
        let text = data_error_text("invalid value: integer `9223372036854775808`, expected i64");
        assert_eq!(text.vi, "Giá trị sai kiểu hoặc sai định dạng.");
        assert!(text.en.starts_with("invalid value"));
    }
}
