//! Documents of a case file: which kinds are accepted, recognised by their content, not by
//! what the uploader claims.

/// A kind of document the case file accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileKind {
    pub content_type: &'static str,
    pub extensions: &'static [&'static str],
}

const PDF: FileKind = FileKind {
    content_type: "application/pdf",
    extensions: &["pdf"],
};
const PNG: FileKind = FileKind {
    content_type: "image/png",
    extensions: &["png"],
};
const JPEG: FileKind = FileKind {
    content_type: "image/jpeg",
    extensions: &["jpg", "jpeg"],
};
const DOCX: FileKind = FileKind {
    content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extensions: &["docx"],
};
const XLSX: FileKind = FileKind {
    content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    extensions: &["xlsx"],
};
const DOC: FileKind = FileKind {
    content_type: "application/msword",
    extensions: &["doc"],
};
const XLS: FileKind = FileKind {
    content_type: "application/vnd.ms-excel",
    extensions: &["xls"],
};

/// Every accepted kind, for documentation.
pub const ACCEPTED: [FileKind; 7] = [PDF, PNG, JPEG, DOCX, XLSX, DOC, XLS];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileError {
    Empty,
    /// The content is none of the accepted kinds.
    NotAccepted,
    /// The content is of an accepted kind, but not the one the file name says.
    NameDisagrees,
}

impl crate::refusal::Refusal for FileError {
    fn field_refusal(&self) -> crate::refusal::FieldRefusal {
        let (code, vi, en) = match self {
            Self::Empty => ("empty_file", "Tệp rỗng.", "The file is empty."),
            Self::NotAccepted => (
                "unsupported_attachment_type",
                "Chỉ nhận PDF, PNG, JPEG, Word (.doc, .docx) và Excel (.xls, .xlsx).",
                "Only PDF, PNG, JPEG, Word (.doc, .docx) and Excel (.xls, .xlsx) are accepted.",
            ),
            Self::NameDisagrees => (
                "file_name_disagrees",
                "Đuôi tên tệp không khớp với nội dung tệp.",
                "The file name's extension does not match the content.",
            ),
        };
        // The name is what disagrees with the content, and what the uploader mends.
        let field = if *self == Self::NameDisagrees {
            "file_name"
        } else {
            "file"
        };
        crate::refusal::FieldRefusal::new(field, code, vi, en)
    }
}

/// The most characters a file name may have (what file systems keep).
pub const FILE_NAME_MAX: usize = 255;

/// A document's file name, trimmed, or its refusal (`field` `file_name`, code `invalid`): at
/// most [`FILE_NAME_MAX`] characters, a name before its extension (`.pdf` is none), no path
/// (`/`, `\`, `.`, `..`), and nothing that hides what it says: control characters, line and
/// paragraph separators, characters shown as nothing (a zero-width space before `.pdf`
/// leaves no name), and the marks that reorder text (`\u{202e}fdp.exe.pdf` shows as
/// `fdp.exe` backwards).
pub fn check_file_name(file_name: &str) -> Result<&str, crate::refusal::FieldRefusal> {
    let name = file_name.trim();
    let hides = |c: char| {
        c.is_control()
            || crate::text::is_invisible(c)
            || matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    if stem.trim().trim_matches('.').is_empty()
        || name.chars().count() > FILE_NAME_MAX
        || name.contains(['/', '\\'])
        || name.chars().any(hides)
    {
        return Err(crate::refusal::FieldRefusal::new(
            "file_name",
            "invalid",
            "Tên tệp không hợp lệ (cần có tên trước phần đuôi, không quá 255 ký tự, không chứa đường dẫn hay ký tự điều khiển).",
            "Invalid file name (a name before its extension, at most 255 characters, no path and no control characters).",
        ));
    }
    Ok(name)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn extension(file_name: &str) -> Option<String> {
    file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
}

/// What an Office document (a ZIP) names somewhere in its content: its list of parts, and
/// the folders of Word's and Excel's parts.
const OFFICE_MARKERS: [&[u8]; 3] = [b"[Content_Types].xml", b"word/", b"xl/"];
/// The longest marker, less one: what a marker split between two chunks can span.
const CARRY: usize = 18;
/// The first bytes that say the container.
const HEAD: usize = 8;

/// Recognises a document fed in chunks, as it arrives, so that a large file never has to be
/// held in memory: it keeps the first bytes and whether each Office marker has been seen.
#[derive(Debug, Clone, Default)]
pub struct Recogniser {
    head: Vec<u8>,
    len: u64,
    /// The last bytes of what came so far, for markers split across chunks.
    tail: Vec<u8>,
    seen: [bool; 3],
}

impl Recogniser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes the next chunk of the content.
    pub fn feed(&mut self, chunk: &[u8]) {
        if self.head.len() < HEAD {
            let wanted = (HEAD - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(&chunk[..wanted]);
        }
        self.len += chunk.len() as u64;
        let mut boundary = std::mem::take(&mut self.tail);
        boundary.extend_from_slice(&chunk[..chunk.len().min(CARRY)]);
        for (seen, marker) in self.seen.iter_mut().zip(OFFICE_MARKERS) {
            *seen = *seen || contains(&boundary, marker) || contains(chunk, marker);
        }
        boundary.extend_from_slice(&chunk[chunk.len().min(CARRY)..]);
        let keep = boundary.len().saturating_sub(CARRY);
        self.tail = boundary.split_off(keep);
    }

    /// The bytes fed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The kind of the whole content, checked against the file name (see [`recognise`]).
    pub fn finish(&self, file_name: &str) -> Result<FileKind, FileError> {
        if self.len == 0 {
            return Err(FileError::Empty);
        }
        let content = self.head.as_slice();
        let ext = extension(file_name);
        let by_ext = |candidates: &[FileKind]| -> Result<FileKind, FileError> {
            candidates
                .iter()
                .copied()
                .find(|k| ext.as_deref().is_some_and(|e| k.extensions.contains(&e)))
                .ok_or(FileError::NameDisagrees)
        };
        let candidates: &[FileKind] = if content.starts_with(b"%PDF-") {
            &[PDF]
        } else if content.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            &[PNG]
        } else if content.starts_with(&[0xFF, 0xD8, 0xFF]) {
            &[JPEG]
        } else if content.starts_with(b"PK\x03\x04") {
            // Any ZIP could be named .docx: an Office document lists its parts in
            // [Content_Types].xml and keeps them under word/ or xl/.
            let [types, word, xl] = self.seen;
            if !types {
                return Err(FileError::NotAccepted);
            }
            match (word, xl) {
                (true, false) => &[DOCX],
                (false, true) => &[XLSX],
                (true, true) => &[DOCX, XLSX],
                (false, false) => return Err(FileError::NotAccepted),
            }
        } else if content.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            &[DOC, XLS]
        } else {
            return Err(FileError::NotAccepted);
        };
        by_ext(candidates)
    }
}

/// Recognises a document by its first bytes, and checks that the file name's extension
/// names the same kind. Office documents are told apart by the extension once the
/// container (ZIP for the 2007 formats, OLE for the older ones) is recognised.
pub fn recognise(content: &[u8], file_name: &str) -> Result<FileKind, FileError> {
    let mut recogniser = Recogniser::new();
    recogniser.feed(content);
    recogniser.finish(file_name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_file_name_says_a_name_and_hides_nothing() {
        assert_eq!(check_file_name(" don.pdf "), Ok("don.pdf"));
        assert_eq!(check_file_name("Biên bản họp.pdf"), Ok("Biên bản họp.pdf"));
        assert_eq!(check_file_name("README"), Ok("README"));
        for bad in [
            "",
            " ",
            ".pdf",
            " .pdf",
            ".",
            "..",
            "../don.pdf",
            "a\\b.pdf",
            "\u{202e}fdp.exe.pdf",
            "\u{200b}.pdf",
            "a\u{2028}b.pdf",
            "a\u{feff}.pdf",
            "don\u{7}.pdf",
        ] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_file_name(&"a".repeat(256)).is_err());
    }

    use super::*;

    #[test]
    fn documents_are_recognised_by_content() {
        assert_eq!(recognise(b"%PDF-1.7\n...", "don-yeu-cau.pdf"), Ok(PDF));
        assert_eq!(recognise(b"%PDF-1.7\n...", "DON.PDF"), Ok(PDF));
        assert_eq!(
            recognise(
                b"PK\x03\x04..[Content_Types].xml..word/document.xml",
                "bien-ban.docx"
            ),
            Ok(DOCX)
        );
        assert_eq!(
            recognise(
                b"PK\x03\x04..[Content_Types].xml..xl/workbook.xml",
                "bang.xlsx"
            ),
            Ok(XLSX)
        );
        assert_eq!(recognise(&[0xFF, 0xD8, 0xFF, 0xE0], "anh.jpeg"), Ok(JPEG));
    }

    #[test]
    fn disguised_or_unknown_content_is_refused() {
        assert_eq!(
            recognise(b"MZ\x90\x00 executable", "don.pdf"),
            Err(FileError::NotAccepted)
        );
        assert_eq!(
            recognise(b"<html><script>", "don.pdf"),
            Err(FileError::NotAccepted)
        );
        assert_eq!(
            recognise(b"%PDF-1.7", "don.exe"),
            Err(FileError::NameDisagrees)
        );
        assert_eq!(
            recognise(b"PK\x03\x04..[Content_Types].xml..word/", "archive.zip"),
            Err(FileError::NameDisagrees)
        );
        assert_eq!(
            recognise(b"PK\x03\x04..virus.exe", "don.docx"),
            Err(FileError::NotAccepted),
            "a plain ZIP named .docx"
        );
        assert_eq!(recognise(b"", "x.pdf"), Err(FileError::Empty));
    }

    #[test]
    fn content_fed_in_chunks_is_recognised_as_a_whole() {
        let docx = b"PK\x03\x04 ... [Content_Types].xml ... word/document.xml ...";
        // Every split, including those through the markers and the first bytes.
        for size in 1..docx.len() {
            let mut r = Recogniser::new();
            docx.chunks(size).for_each(|c| r.feed(c));
            assert_eq!(r.len(), docx.len() as u64);
            assert_eq!(r.finish("don.docx"), Ok(DOCX), "chunks of {size}");
            assert_eq!(r.finish("don.xlsx"), Err(FileError::NameDisagrees));
        }
        let mut r = Recogniser::new();
        for c in [
            &b"PK\x03\x04 [Content_"[..],
            b"Types].xml x",
            b"l/sheet1.xml",
        ] {
            r.feed(c);
        }
        assert_eq!(r.finish("bang.xlsx"), Ok(XLSX));
        assert_eq!(Recogniser::new().finish("rong.pdf"), Err(FileError::Empty));
    }
}
