//! Reading a file's bytes and finding out whether they are text tuple-report can parse.

use std::path::Path;

/// What was read, before any parsing.
pub struct Input {
    /// The path as given on the command line; every diagnostic names the file by it.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file that could not be read at all: exit code 2, not a diagnostic.
#[derive(Debug)]
pub struct ReadError {
    pub path: String,
    pub reason: String,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot read {}: {}",
            crate::text::escape(&self.path),
            self.reason
        )
    }
}

impl std::error::Error for ReadError {}

pub fn read(path: &str) -> Result<Input, ReadError> {
    let error = |reason: String| ReadError {
        path: path.to_owned(),
        reason,
    };
    let metadata = std::fs::metadata(Path::new(path)).map_err(|e| error(io_reason(&e)))?;
    if metadata.is_dir() {
        return Err(error("it is a directory".into()));
    }
    let bytes = std::fs::read(path).map_err(|e| error(io_reason(&e)))?;
    Ok(Input {
        path: path.to_owned(),
        bytes,
    })
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => error.to_string(),
    }
}

/// How the bytes are encoded, as far as it matters for JSON.
#[derive(Debug, PartialEq, Eq)]
pub enum Encoding<'a> {
    /// UTF-8 text, after the byte order mark if there was one.
    Utf8 { text: &'a str, bom: bool },
    /// UTF-16, told by its byte order mark or by the NUL bytes of ASCII text.
    Utf16 { big_endian: bool, bom: bool },
    /// Not UTF-8: the offset of the first byte that is not, after any byte order mark.
    Invalid { offset: usize, bom: bool },
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn encoding(bytes: &[u8]) -> Encoding<'_> {
    match bytes {
        [0xFE, 0xFF, ..] => {
            return Encoding::Utf16 {
                big_endian: true,
                bom: true,
            }
        }
        [0xFF, 0xFE, ..] => {
            return Encoding::Utf16 {
                big_endian: false,
                bom: true,
            }
        }
        // Text in UTF-16 without a mark: ASCII characters come with a NUL byte beside them.
        [0, b, ..] if *b != 0 => {
            return Encoding::Utf16 {
                big_endian: true,
                bom: false,
            }
        }
        [a, 0, ..] if *a != 0 => {
            return Encoding::Utf16 {
                big_endian: false,
                bom: false,
            }
        }
        _ => {}
    }
    let bom = bytes.starts_with(UTF8_BOM);
    let body = if bom { &bytes[UTF8_BOM.len()..] } else { bytes };
    match std::str::from_utf8(body) {
        Ok(text) => Encoding::Utf8 { text, bom },
        Err(error) => Encoding::Invalid {
            offset: error.valid_up_to(),
            bom,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_the_encodings_apart() {
        assert_eq!(
            encoding(b"{}"),
            Encoding::Utf8 {
                text: "{}",
                bom: false
            }
        );
        assert_eq!(
            encoding(b"\xEF\xBB\xBF{}"),
            Encoding::Utf8 {
                text: "{}",
                bom: true
            }
        );
        assert_eq!(
            encoding(b""),
            Encoding::Utf8 {
                text: "",
                bom: false
            }
        );
        assert_eq!(
            encoding(b"\xFF\xFE{\0}\0"),
            Encoding::Utf16 {
                big_endian: false,
                bom: true
            }
        );
        assert_eq!(
            encoding(b"\0{\0}"),
            Encoding::Utf16 {
                big_endian: true,
                bom: false
            }
        );
        assert_eq!(
            encoding(b"{\0}\0"),
            Encoding::Utf16 {
                big_endian: false,
                bom: false
            }
        );
        assert_eq!(
            encoding(b"{\"a\xE9\"}"),
            Encoding::Invalid {
                offset: 3,
                bom: false
            }
        );
    }

    #[test]
    fn unreadable_paths_are_errors() {
        let missing = read("no/such/file.json").err().unwrap();
        assert_eq!(
            missing.to_string(),
            "cannot read no/such/file.json: no such file"
        );
        let dir = read("src").err().unwrap();
        assert_eq!(dir.reason, "it is a directory");
    }
}
