//! The language of messages for people: Vietnamese by default, English on request.

use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::HttpRequest;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// The one of a message's two texts that is in this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// Picks from `Accept-Language`: English when an `en` range outranks every `vi` range;
    /// Vietnamese otherwise, including when the header is absent or unreadable.
    pub fn of(req: &HttpRequest) -> Self {
        let Some(header) = req
            .headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
        else {
            return Self::Vi;
        };
        let mut best_vi = 0.0f32;
        let mut best_en = 0.0f32;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            match primary {
                "vi" => best_vi = best_vi.max(q),
                "en" => best_en = best_en.max(q),
                _ => {}
            }
        }
        if best_en > best_vi {
            Self::En
        } else {
            Self::Vi
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Vi => "vi",
            Self::En => "en",
        }
    }
}

/// A message for people in both languages; the response picks one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub vi: String,
    pub en: String,
}

impl Text {
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            vi: vi.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.vi, &self.en)
    }
}
