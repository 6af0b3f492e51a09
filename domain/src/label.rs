//! Codes of the vocabulary and their labels for people, in Vietnamese and English.

use serde::Serialize;

/// A human label in both languages of the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    pub vi: &'static str,
    pub en: &'static str,
}

impl Label {
    pub const fn new(vi: &'static str, en: &'static str) -> Self {
        Self { vi, en }
    }
}

/// A closed vocabulary whose values have a stable ASCII snake_case code and a label.
///
/// Implemented by every enumeration that travels over the API, so that the reference-data
/// endpoints, parsing and storage all read codes from one place.
pub trait Vocabulary: Sized + Copy + 'static {
    /// Every value, in the order people expect to see them.
    const ALL: &'static [Self];

    fn code(self) -> &'static str;

    fn label(self) -> Label;

    fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.code() == code)
    }
}

/// Declares an enumeration with its codes and labels, and implements [`Vocabulary`],
/// `Display` (the code) and serde (as the code) for it.
#[macro_export]
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $variant:ident = $code:literal { vi: $vi:literal, en: $en:literal } ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $( $variant ),+ }

        impl $crate::label::Vocabulary for $name {
            const ALL: &'static [Self] = &[ $( $name::$variant ),+ ];

            fn code(self) -> &'static str {
                match self { $( $name::$variant => $code ),+ }
            }

            fn label(self) -> $crate::label::Label {
                match self { $( $name::$variant => $crate::label::Label { vi: $vi, en: $en } ),+ }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::label::Vocabulary::code(*self))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::label::UnknownCode;
            fn from_str(code: &str) -> Result<Self, Self::Err> {
                <$name as $crate::label::Vocabulary>::from_code(code)
                    .ok_or_else(|| $crate::label::UnknownCode(code.to_owned()))
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::label::Vocabulary::code(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                <$name as $crate::label::Vocabulary>::from_code(&code).ok_or_else(|| {
                    let expected: Vec<&str> = <$name as $crate::label::Vocabulary>::ALL
                        .iter()
                        .map(|v| $crate::label::Vocabulary::code(*v))
                        .collect();
                    ::serde::de::Error::custom(format!(
                        "unknown code `{code}`, expected one of: {}",
                        expected.join(", ")
                    ))
                })
            }
        }
    };
}

/// A code that is not part of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown code `{}`", self.0)
    }
}

impl std::error::Error for UnknownCode {}
