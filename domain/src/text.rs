//! Text folding for search: "Nguyễn Văn A" and "nguyen van a" must find each other.

/// Lower-cases, removes Vietnamese diacritics (precomposed or combining), maps đ to d and
/// collapses runs of white space. The result is what search columns store and what queries
/// are compared against.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if is_combining_mark(c) {
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
        ("đ", 'd'),
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
    use super::fold;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nguyễn Văn A"), "nguyen van a");
        assert_eq!(fold("  TRUNG TÂM   Trợ giúp  "), "trung tam tro giup");
        assert_eq!(fold("Đắk Lắk"), "dak lak");
        assert_eq!(fold("Thừa Thiên Huế"), "thua thien hue");
    }

    #[test]
    fn folds_decomposed_input_like_precomposed() {
        let decomposed = "Nguye\u{0302}\u{0303}n";
        assert_eq!(fold(decomposed), "nguyen");
    }
}
