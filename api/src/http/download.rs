//! How a stored file goes back to the client that downloads it.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};

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
