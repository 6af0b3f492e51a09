//! Documents sent by the portal: inline in a filing or a supplement (base64), or uploaded
//! one at a time; each checked and hashed before it is kept.

use super::*;

/// A document sent inside a JSON request, its bytes in base64.
#[derive(Debug, Clone, Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InlineDocument {
    /// With its extension (`don-yeu-cau.pdf`).
    #[schema(min_length = 1, max_length = 255)]
    #[validate(length(min = 1, max = 255))]
    pub file_name: String,
    /// The file's bytes, base64 (RFC 4648, with padding).
    pub content_base64: String,
}

/// Reads documents sent inline for `dossier_id`: each decoded, then read as
/// [`read_document`]. Every refusal names its document (`{field}[i]`).
pub fn read_documents(
    field: &str,
    documents: &[InlineDocument],
    dossier_id: &str,
    limit: usize,
    errors: &mut Vec<FieldRefusal>,
) -> Vec<DocumentRow> {
    let mut rows = Vec::new();
    for (i, document) in documents.iter().enumerate() {
        let at = format!("{field}[{i}]");
        let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&document.content_base64)
        else {
            errors.push(FieldRefusal::new(
                format!("{at}.content_base64"),
                "invalid_base64",
                "Nội dung tệp không phải base64 hợp lệ.",
                "The content is not valid base64.",
            ));
            continue;
        };
        match read_document(
            &format!("{at}."),
            &format!("{at}.content_base64"),
            &document.file_name,
            bytes,
            dossier_id,
            limit,
        ) {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    rows
}

/// One document of `dossier_id`: within `limit` bytes, with a plain file name, and
/// recognised by its content as case attachments are. A refusal of the name names
/// `{prefix}file_name`; one of the content (empty, too large, of no accepted kind) names
/// `content_field`.
pub fn read_document(
    prefix: &str,
    content_field: &str,
    file_name: &str,
    bytes: Vec<u8>,
    dossier_id: &str,
    limit: usize,
) -> Result<DocumentRow, FieldRefusal> {
    let file_name = tgpl_domain::attachment::check_file_name(file_name)
        .map_err(|refusal| refusal.at(format!("{prefix}file_name")))?;
    if bytes.len() > limit {
        return Err(FieldRefusal::new(
            content_field,
            "too_large",
            format!("Tệp vượt quá giới hạn {limit} byte."),
            format!("The file exceeds the limit of {limit} bytes."),
        ));
    }
    let kind = recognise(&bytes, file_name).map_err(|e| {
        let refusal = tgpl_domain::refusal::Refusal::field_refusal(&e);
        match e {
            FileError::NameDisagrees => refusal.at(format!("{prefix}file_name")),
            FileError::Empty | FileError::NotAccepted => refusal.at(content_field),
        }
    })?;
    Ok(DocumentRow {
        id: tgpl_persistence::new_id(),
        dossier_id: dossier_id.to_owned(),
        file_name: file_name.to_owned(),
        content_type: kind.content_type.to_owned(),
        size_bytes: bytes.len() as i64,
        sha256: hex::encode(Sha256::digest(&bytes)),
        content: bytes,
        received_at: tgpl_persistence::now(),
    })
}
