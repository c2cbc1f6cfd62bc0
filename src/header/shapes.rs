//! Macros for the value shapes many headers share, so that each header's
//! file only says which shape it has and what is special about it.
//!
//! - [`token_header!`]: one token per element (Supported, Allow-Events, ...).
//! - [`token_params_header!`]: a token and parameters (Event,
//!   Accept-Encoding, Content-Disposition, ...).
//! - [`uri_params_header!`]: `<absoluteURI>` and parameters (Alert-Info,
//!   Error-Info).
//! - [`param_list_header!`]: parameters only, the first without `;`
//!   (P-Charging-Vector).
//! - `name_addr_header!` (in `name_addr.rs`): a name-addr and parameters.
//!
//! Each generated type implements [`super::TypedHeader`], `Display` and
//! `into_owned`; its doc comment comes from the invocation.

/// One token per element: `pub struct $ty<'a>(pub Cow<'a, str>)`.
macro_rules! token_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $ty<'a>(pub std::borrow::Cow<'a, str>);

        impl<'a> $ty<'a> {
            /// The token.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty(std::borrow::Cow::Owned(self.0.into_owned()))
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let mut c = $crate::header::Cursor::new(value);
                let token = c.token()?;
                c.finish()?;
                Ok($ty(std::borrow::Cow::Borrowed(token)))
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                dst.extend_from_slice(self.0.as_bytes());
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// A token and generic parameters:
/// `pub struct $ty<'a> { pub value: Cow<'a, str>, pub params: Params<'a> }`.
/// `check` (a `fn(&str, Option<&str>) -> bool`) vets each parameter as it is
/// parsed; a refused one is [`super::HeaderErrorKind::ParamValue`].
macro_rules! token_params_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident, value = $value_doc:literal, check = $check:path) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty<'a> {
            #[doc = $value_doc]
            pub value: std::borrow::Cow<'a, str>,
            /// The parameters.
            pub params: $crate::params::Params<'a>,
        }

        impl<'a> $ty<'a> {
            /// A value without parameters.
            pub fn new(value: impl Into<std::borrow::Cow<'a, str>>) -> Self {
                $ty {
                    value: value.into(),
                    params: $crate::params::Params::header(),
                }
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty {
                    value: std::borrow::Cow::Owned(self.value.into_owned()),
                    params: self.params.into_owned(),
                }
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let mut c = $crate::header::Cursor::new(value);
                let token = c.token()?;
                let params = c.params_checked($check)?;
                c.finish()?;
                Ok($ty {
                    value: std::borrow::Cow::Borrowed(token),
                    params,
                })
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                dst.extend_from_slice(self.value.as_bytes());
                self.params.encode(dst);
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::syntax::fmt_encoded(f, |out| $crate::header::TypedHeader::encode(self, out))
            }
        }
    };
    ($(#[$doc:meta])* $ty:ident, $name:ident, value = $value_doc:literal) => {
        token_params_header!($(#[$doc])* $ty, $name, value = $value_doc, check = $crate::params::any);
    };
}

/// `LAQUOT absoluteURI RAQUOT *( SEMI generic-param )`:
/// `pub struct $ty<'a> { pub uri: Uri<'a>, pub params: Params<'a> }`.
macro_rules! uri_params_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty<'a> {
            /// The URI (any scheme).
            pub uri: $crate::uri::Uri<'a>,
            /// The parameters.
            pub params: $crate::params::Params<'a>,
        }

        impl<'a> $ty<'a> {
            /// A value without parameters.
            pub fn new(uri: $crate::uri::Uri<'a>) -> Self {
                $ty {
                    uri,
                    params: $crate::params::Params::header(),
                }
            }

            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty {
                    uri: self.uri.into_owned(),
                    params: self.params.into_owned(),
                }
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let mut c = $crate::header::Cursor::new(value);
                let uri = c.angle_uri()?;
                let params = c.params()?;
                c.finish()?;
                Ok($ty { uri, params })
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                dst.push(b'<');
                self.uri.encode(dst);
                dst.push(b'>');
                self.params.encode(dst);
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::syntax::fmt_encoded(f, |out| $crate::header::TypedHeader::encode(self, out))
            }
        }
    };
}

/// Parameters only, the first without `;`: `pub struct $ty<'a>(pub Params<'a>)`.
/// `check` vets each parameter as it is parsed; the `required` ones must be
/// present ([`super::HeaderErrorKind::MissingParam`]).
macro_rules! param_list_header {
    ($(#[$doc:meta])* $ty:ident, $name:ident, check = $check:path, required = [$($required:literal),*]) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $ty<'a>(pub $crate::params::Params<'a>);

        impl<'a> $ty<'a> {
            /// Copies borrowed text so the value outlives the input.
            pub fn into_owned(self) -> $ty<'static> {
                $ty(self.0.into_owned())
            }
        }

        impl<'a> $crate::header::TypedHeader<'a> for $ty<'a> {
            const NAME: $crate::header::HeaderName = $crate::header::HeaderName::$name;

            fn parse(value: &'a str) -> Result<Self, $crate::header::HeaderError> {
                let mut c = $crate::header::Cursor::new(value);
                let params = c.param_list($check)?;
                c.finish()?;
                $(
                    if !params.contains($required) {
                        return Err($crate::header::HeaderError::new(
                            $crate::header::HeaderErrorKind::MissingParam,
                            0,
                        ));
                    }
                )*
                Ok($ty(params))
            }

            fn encode(&self, dst: &mut Vec<u8>) {
                self.0.encode(dst);
            }
        }

        impl std::fmt::Display for $ty<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                $crate::syntax::fmt_encoded(f, |out| $crate::header::TypedHeader::encode(self, out))
            }
        }
    };
}

pub(crate) use {param_list_header, token_header, token_params_header, uri_params_header};
