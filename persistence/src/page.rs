//! Offset paging with a hard maximum page size.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// 1-based.
    pub page: u32,
    pub size: u32,
}

impl PageRequest {
    pub fn limit(self) -> i64 {
        i64::from(self.size)
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page.saturating_sub(1)) * i64::from(self.size)
    }
}

#[derive(Debug, Clone)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T> Paged<T> {
    /// A page with the total number of matching rows. `count` runs only when the page cannot
    /// tell: a page that is not full ends the list, so the total is the rows before it plus its
    /// own. A selective search (a name that matches a handful of people) then costs one scan
    /// instead of two.
    pub fn counted<E>(
        items: Vec<T>,
        page: PageRequest,
        count: impl FnOnce() -> Result<i64, E>,
    ) -> Result<Self, E> {
        let shown = items.len() as i64;
        let ends_the_list = shown < page.limit() && (shown > 0 || page.offset() == 0);
        let total = if ends_the_list {
            page.offset() + shown
        } else {
            count()?
        };
        Ok(Self { items, total })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(shown: usize, page: u32, stored: i64) -> (i64, bool) {
        let mut counted = false;
        let paged = Paged::counted(vec![(); shown], PageRequest { page, size: 20 }, || {
            counted = true;
            Ok::<_, ()>(stored)
        })
        .unwrap();
        (paged.total, counted)
    }

    #[test]
    fn the_total_is_counted_only_when_the_page_cannot_tell_it() {
        assert_eq!(counted(4, 1, 4), (4, false), "a short first page");
        assert_eq!(counted(0, 1, 0), (0, false), "nothing at all");
        assert_eq!(counted(7, 3, 47), (47, false), "a short last page");
        assert_eq!(counted(20, 1, 95), (95, true), "a full page");
        assert_eq!(counted(0, 9, 95), (95, true), "a page past the end");
    }
}
