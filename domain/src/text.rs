//! Text as the system keeps it, and text folding for search.
//!
//! What people type reaches the system in many spellings of the same words: "ễ" precomposed
//! or as "e" followed by two combining marks, names padded with non-breaking or ideographic
//! spaces, control characters pasted from other programs. Every text is stored in Unicode
//! Normalization Form C (NFC), trimmed of white space; names and codes also have their inner
//! runs of white space collapsed to one space ([`name`]). Control characters are refused
//! ([`first_control`]): PostgreSQL cannot store U+0000 at all, and the others have no
//! business in a record. Searches compare folded text ([`fold`]), which is normalised first.

use std::borrow::Cow;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// `text` in Unicode Normalization Form C: "Nguye\u{0302}\u{0303}n" becomes "Nguyễn".
/// Borrows when the text is already in NFC, as nearly all input is.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// White space as people type it and as it shows: Unicode `White_Space` (space, tab, line
/// breaks, U+00A0 no-break space, U+3000 ideographic space, ...) and the characters drawn
/// as a blank without being white space (the Hangul fillers U+115F, U+1160, U+3164, U+FFA0,
/// and U+2800 braille blank).
pub fn is_blank(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}' | '\u{2800}'
        )
}

/// What shows as nothing: a character shown as nothing ([`is_default_ignorable`]) that is
/// not drawn as a blank.
pub fn is_invisible(c: char) -> bool {
    is_default_ignorable(c) && !is_blank(c)
}

/// Free text as stored: NFC, without white space ([`is_blank`]) or invisible characters (the
/// U+200B zero-width space and U+FEFF byte order mark that editors leave around pasted text)
/// at either end. Inner white space, line breaks included, is kept. Only white space
/// becomes "", which the rules that require a value refuse as they refuse "".
pub fn clean(text: &str) -> String {
    nfc(text)
        .trim_matches(|c| is_blank(c) || is_invisible(c))
        .to_owned()
}

/// A name or a code as stored: NFC, without the characters that show as nothing, trimmed,
/// and every inner run of white space ([`is_blank`], tabs and line breaks included)
/// replaced by one space, so that "  Nguyễn\u{00A0}\u{00A0}Văn\tA " is stored as "Nguyễn Văn
/// A", and "Ng\u{200B}ọc" as "Ngọc". Only white space becomes "".
pub fn name(text: &str) -> String {
    let normal = nfc(text);
    let mut out = String::with_capacity(normal.len());
    for word in normal.split(is_blank).filter(|w| !w.is_empty()) {
        let word: String = word.chars().filter(|c| !is_invisible(*c)).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// Refuses, as `field`, a phone number that is not 8 to 15 digits, with `+`, spaces, `-`,
/// `.` or brackets between them (a national number has 10, an international one up to 15,
/// ITU-T E.164; a landline with its area code no fewer than 8).
pub fn check_phone(field: &str, phone: &str) -> Result<(), crate::refusal::FieldRefusal> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '.' | '(' | ')'));
    if allowed && (8..=15).contains(&digits) {
        Ok(())
    } else {
        Err(phone_refusal(field))
    }
}

/// What [`check_phone`] answers, as `field`.
pub fn phone_refusal(field: &str) -> crate::refusal::FieldRefusal {
    crate::refusal::FieldRefusal::new(
        field,
        "invalid_phone",
        "Số điện thoại gồm 8 đến 15 chữ số (có thể có +, dấu cách, -, ., ngoặc).",
        "A phone number is 8 to 15 digits (with +, spaces, -, . or brackets).",
    )
}

/// The most combining marks that may follow one letter: Vietnamese written decomposed puts
/// two on a vowel (ế: e, circumflex, acute); a name with more is not a name but a pile of
/// accents.
const MARKS_PER_LETTER: usize = 2;

/// Refuses, as the person's `field`, a name that names nobody: blank, without a letter, or
/// with combining marks on no letter or piled past [`MARKS_PER_LETTER`].
pub fn check_person_name(field: &str, name: &str) -> Result<(), crate::refusal::FieldRefusal> {
    use unicode_normalization::char::is_combining_mark;
    let refused =
        |code, vi: &str, en: &str| Err(crate::refusal::FieldRefusal::new(field, code, vi, en));
    if name.trim().is_empty() {
        return refused("blank", "Không được để trống.", "Must not be blank.");
    }
    let mut marks = 0;
    let mut after_letter = false;
    for c in name.chars() {
        if is_combining_mark(c) {
            marks += 1;
            if !after_letter || marks > MARKS_PER_LETTER {
                return refused(
                    "stray_marks",
                    "Tên có dấu không đặt trên chữ cái nào, hoặc chồng quá nhiều dấu.",
                    "The name has accents on no letter, or piled too many.",
                );
            }
        } else {
            marks = 0;
            after_letter = c.is_alphabetic();
        }
    }
    if !name.chars().any(char::is_alphabetic) {
        return refused("no_letter", "Tên phải có chữ cái.", "A name has letters.");
    }
    Ok(())
}

/// The first character of `text` that no stored text may contain: the control characters
/// (Unicode category Cc: U+0000 to U+001F, U+007F to U+009F) other than tab, line feed and
/// carriage return, which free text such as a case summary legitimately holds (names and
/// codes turn them into spaces, see [`name`]); and the bidirectional controls (U+061C,
/// U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which reorder what is shown so that
/// "\u{202E}fdp.exe" reads as another name: Vietnamese text has no use for them.
pub fn first_control(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    })
}

/// Characters that Unicode says a program shows as nothing when it cannot show them
/// (`Default_Ignorable_Code_Point`, DerivedCoreProperties.txt: the soft hyphen, joiners, the
/// word joiner, variation selectors, fillers, ...). Two names that differ only by them look
/// the same, so folding drops them.
fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Lower-cases, removes Vietnamese diacritics (precomposed or combining) and the characters
/// shown as nothing ([`is_default_ignorable`] but not drawn as a blank), maps đ (and its
/// look-alike ð) to d and collapses runs of white space ([`is_blank`]). The text is normalised to NFC
/// first, so that every spelling of a letter folds alike. The result is what search columns store and what
/// queries are compared against.
pub fn fold(text: &str) -> String {
    let text = nfc(text);
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if is_blank(c) {
            pending_space = !out.is_empty();
            continue;
        }
        if is_combining_mark(c) || is_invisible(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(base_letter(c));
    }
    out
}

fn is_combining_mark(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

fn base_letter(c: char) -> char {
    const GROUPS: [(&str, char); 7] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ìíỉĩị", 'i'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ùúủũụưừứửữự", 'u'),
        ("ỳýỷỹỵ", 'y'),
        // "ð" is the lower case of "Ð" (U+00D0), which some fonts and keyboards give for "Đ".
        ("đð", 'd'),
    ];
    if c.is_ascii() {
        return c;
    }
    GROUPS
        .iter()
        .find(|(letters, _)| letters.contains(c))
        .map_or(c, |(_, base)| *base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_is_digits_with_their_usual_marks() {
        for fine in ["0912 345 678", "+84 (24) 3825-1234", "024.3825.1234"] {
            assert!(check_phone("phone", fine).is_ok(), "{fine}");
        }
        for bad in [
            "abc",
            "=1+1",
            "1234567",
            "0912345678901234",
            "0912 345 678 ext",
        ] {
            assert!(check_phone("phone", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_person_s_name_has_letters_and_accents_on_them() {
        for fine in [
            "Lò Văn Pao",
            "Nguyễn Thị Ánh",
            "Nguye\u{0302}\u{0301}n",
            "H'Hen Niê",
            "Y Moan",
        ] {
            assert!(check_person_name("full_name", fine).is_ok(), "{fine}");
        }
        let code = |name: &str| check_person_name("full_name", name).unwrap_err().code;
        assert_eq!(code("  "), "blank");
        assert_eq!(code("\u{0301}\u{0301}"), "stray_marks");
        assert_eq!(code("a\u{0301}\u{0301}\u{0301}"), "stray_marks");
        assert_eq!(code("- 1 -"), "no_letter");
        assert_eq!(code("1\u{0301}"), "stray_marks");
    }

    const DECOMPOSED: &str = "Nguye\u{0302}\u{0303}n Thi\u{0323} Hu\u{031b}o\u{031b}\u{0300}ng";

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(fold("  TRUNG TÂM   Trợ giúp  "), "trung tam tro giup");
        assert_eq!(fold("Đắk Lắk"), "dak lak");
        assert_eq!(fold("\u{00d0}à Nẵng"), "da nang");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
    }

    #[test]
    fn invisible_characters_fold_away_and_reordering_ones_are_refused() {
        for hidden in [
            '\u{2060}', '\u{200D}', '\u{200B}', '\u{FEFF}', '\u{00AD}', '\u{180E}', '\u{FE0F}',
        ] {
            assert_eq!(
                fold(&format!("Phạm{hidden} Văn Ẩn")),
                "pham van an",
                "{hidden:?}"
            );
            assert_eq!(fold(&format!("Ng{hidden}ọc")), "ngoc", "{hidden:?}");
            assert_eq!(name(&format!("Ng{hidden}ọc")), "Ngọc", "{hidden:?}");
        }
        // Drawn as a blank: a space between words.
        for blank in ['\u{3164}', '\u{FFA0}', '\u{115F}', '\u{2800}'] {
            assert_eq!(fold(&format!("Lưu{blank}Thị")), "luu thi", "{blank:?}");
            assert_eq!(name(&format!("Lưu{blank}Thị")), "Lưu Thị", "{blank:?}");
        }
        assert_eq!(first_control("\u{202E}Văn phòng"), Some('\u{202E}'));
        assert_eq!(first_control("a\u{2066}b"), Some('\u{2066}'));
        assert_eq!(first_control("Dòng một\nDòng hai\tcột"), None);
    }

    #[test]
    fn folds_decomposed_input_like_precomposed() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(fold(decomposed), "nguyen");
        assert_eq!(fold(DECOMPOSED), fold("Nguyễn Thị Hường"));
    }

    #[test]
    fn folds_every_spelling_of_a_letter_alike() {
        // Not Vietnamese, so not stripped: but both spellings must give the same key.
        assert_eq!(fold("Franc\u{0327}ois"), fold("François"));
        assert_eq!(fold("Nguyễn\u{00A0}\u{3000}Văn"), "nguyen van");
    }

    #[test]
    fn normalises_to_nfc() {
        assert_eq!(nfc(DECOMPOSED), "Nguyễn Thị Hường");
        assert!(matches!(nfc("Nguyễn"), Cow::Borrowed(_)));
    }

    #[test]
    fn names_are_trimmed_and_collapsed() {
        assert_eq!(name(DECOMPOSED), "Nguyễn Thị Hường");
        assert_eq!(
            name(" \u{00A0}Nguyễn\u{00A0}\u{00A0}Văn\t\n A\u{3000}"),
            "Nguyễn Văn A"
        );
        assert_eq!(name("\u{200B}TTTGPL-HN\u{FEFF}"), "TTTGPL-HN");
    }

    #[test]
    fn only_white_space_is_empty() {
        for blank in [
            "",
            "     ",
            "\u{00A0}\u{00A0}",
            "\t\t",
            "\u{3000}",
            " \n\r ",
        ] {
            assert_eq!(name(blank), "", "{blank:?}");
            assert_eq!(clean(blank), "", "{blank:?}");
        }
    }

    #[test]
    fn free_text_keeps_its_lines() {
        assert_eq!(
            clean("  Dòng một\n\n  dòng  hai\u{00A0}"),
            "Dòng một\n\n  dòng  hai"
        );
        assert_eq!(clean(DECOMPOSED), "Nguyễn Thị Hường");
    }

    #[test]
    fn control_characters_are_found() {
        assert_eq!(first_control("gd\0hn"), Some('\0'));
        assert_eq!(first_control("a\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(first_control("a\u{7f}"), Some('\u{7f}'));
        assert_eq!(first_control("a\u{85}"), Some('\u{85}'));
        assert_eq!(first_control("dòng một\r\n\tdòng hai"), None);
        assert_eq!(first_control("Nguyễn\u{00A0}Văn"), None);
    }
}
