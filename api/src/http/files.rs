//! How files come and go over HTTP: a refused upload, and a download's name.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::http::StatusCode;
use tgpl_domain::attachment::FileError;

use super::error::ApiError;

/// A file uploaded as a request's body (a case attachment, a dossier document) and refused:
/// 415 `unsupported_attachment_type` for content of no accepted kind, whatever its name;
/// otherwise 422 naming `file` (empty) or `file_name` (it disagrees with the content).
pub fn upload_refused(e: FileError) -> ApiError {
    let mut error = ApiError::refused(e);
    if e == FileError::NotAccepted {
        error.status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        error.code = "unsupported_attachment_type";
    }
    error
}

/// `attachment` with the file's name: as sent where it is ASCII; otherwise folded to ASCII
/// in `filename` for old clients, and whole in `filename*` (RFC 6266, RFC 8187), which
/// clients prefer, so that a Vietnamese name reaches every client unmangled. Case
/// attachments and dossier documents are named the same way.
pub fn disposition(file_name: &str) -> ContentDisposition {
    let mut parameters = Vec::new();
    if file_name.is_ascii() {
        parameters.push(DispositionParam::Filename(file_name.to_owned()));
    } else {
        let folded: String = tgpl_domain::text::fold(file_name)
            .chars()
            .map(|c| if c.is_ascii() { c } else { '_' })
            .collect();
        parameters.push(DispositionParam::Filename(folded));
        parameters.push(DispositionParam::FilenameExt(header::ExtendedValue {
            charset: header::Charset::Ext("UTF-8".to_owned()),
            language_tag: None,
            value: file_name.as_bytes().to_vec(),
        }));
    }
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters,
    }
}
