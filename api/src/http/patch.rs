//! Partial updates: a field absent from the body keeps its stored value, a field present
//! replaces it (`null` clears an optional one, whose body type is then `Option<Option<T>>`).

/// Replaces `stored` with the value `given`, if one was given.
pub fn set<T>(stored: &mut T, given: Option<T>) {
    if let Some(value) = given {
        *stored = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_keeps_present_replaces_and_null_clears() {
        let mut phone = Some("0241".to_owned());
        set(&mut phone, None);
        assert_eq!(phone.as_deref(), Some("0241"));
        set(&mut phone, Some(Some("0909".to_owned())));
        assert_eq!(phone.as_deref(), Some("0909"));
        set(&mut phone, Some(None));
        assert_eq!(phone, None);
    }
}
