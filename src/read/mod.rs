//! Reading a file's bytes and finding out whether they are text tuple-report can parse; and,
//! in [`gather`], turning the paths a user gives into the files to check.

pub mod gather;
mod platform;

use std::path::Path;

/// What a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// The JSON usage report.
    UsageReport,
    /// The CSV user report.
    UserReport,
}

impl FileKind {
    pub fn words(self) -> &'static str {
        match self {
            FileKind::UsageReport => "usage report",
            FileKind::UserReport => "user report",
        }
    }

    /// A file's kind from its extension, if that says: `.json` or `.csv`, in any case.
    pub fn from_extension(path: &str) -> Option<FileKind> {
        let extension = Path::new(path)
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase());
        match extension.as_deref() {
            Some("json") => Some(FileKind::UsageReport),
            Some("csv") => Some(FileKind::UserReport),
            _ => None,
        }
    }

    /// A file's kind from its extension, or else from its first character: `{` or `[` is
    /// JSON, anything else CSV.
    pub fn of(path: &str, bytes: &[u8]) -> FileKind {
        FileKind::from_extension(path).unwrap_or_else(|| {
            let body = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
            match body.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{' | b'[') => FileKind::UsageReport,
                _ => FileKind::UserReport,
            }
        })
    }
}

/// What was read, before any parsing.
pub struct Input {
    /// The path as given on the command line; every diagnostic names the file by it.
    pub path: String,
    pub bytes: Bytes,
    /// What the file is, when the caller says (standard input); otherwise it is told from
    /// the extension or the content.
    pub kind: Option<FileKind>,
}

impl Input {
    /// What the file is: as the caller said, or else as its extension or content says.
    pub fn kind(&self) -> FileKind {
        self.kind
            .unwrap_or_else(|| FileKind::of(&self.path, &self.bytes))
    }

    /// The bytes' memory, to read the next file into, if they were read rather than mapped.
    pub fn into_buffer(self) -> Option<Vec<u8>> {
        match self.bytes.0 {
            Inner::Owned(bytes) => Some(bytes),
            Inner::Mapped(_) => None,
        }
    }

    /// An input from bytes in memory, named `path` in findings.
    pub fn new(path: impl Into<String>, bytes: Vec<u8>) -> Self {
        Input {
            path: path.into(),
            bytes: Bytes(Inner::Owned(bytes)),
            kind: None,
        }
    }
}

/// A file's bytes: read into memory, or, for a large regular file, mapped.
pub struct Bytes(Inner);

enum Inner {
    Owned(Vec<u8>),
    Mapped(memmap2::Mmap),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match &self.0 {
            Inner::Owned(bytes) => bytes,
            Inner::Mapped(map) => map,
        }
    }
}

impl Bytes {
    /// Gives back the memory of the whole pages inside `range`, which the caller is done
    /// with for now. Reading them again is still correct: they come back from the page cache.
    pub fn release(&self, range: std::ops::Range<usize>) {
        if let Inner::Mapped(map) = &self.0 {
            platform::give_back(map, range);
        }
    }
}

/// Files at least this large are mapped rather than read.
const MAP_FROM: u64 = 16 << 20;

/// A file that could not be read at all: exit code 2, not a diagnostic.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
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

/// Reads (or maps) a file; a file that is read goes into `buffer`, emptied first, so that a
/// check of many files reads each into the memory of one before it.
pub fn read(path: &str, mut buffer: Vec<u8>) -> Result<Input, ReadError> {
    let error = |reason: String| ReadError {
        path: path.to_owned(),
        reason,
    };
    let metadata = std::fs::metadata(Path::new(path)).map_err(|e| error(io_reason(&e)))?;
    if metadata.is_dir() {
        return Err(error("it is a directory".into()));
    }
    // Reading a FIFO waits for a writer, for ever if there is none; a device or socket is no
    // export. Standard input (`-`) is the way to pipe a report in.
    if !metadata.is_file() {
        return Err(error(
            "it is not a regular file (a FIFO, device or socket); pipe it to standard input with - instead".into(),
        ));
    }
    if metadata.len() >= MAP_FROM && platform::mapping_allowed() {
        let file = std::fs::File::open(path).map_err(|e| error(io_reason(&e)))?;
        // SAFETY: the map is only read (memmap2 maps it shared and read-only). Were another
        // program to shorten the file while it is checked, reading past the new end would
        // fault; a report being checked is not being written, and tuple-report never writes
        // its inputs.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| error(io_reason(&e)))?;
        platform::advise_sequential(&map);
        return Ok(Input {
            path: path.to_owned(),
            bytes: Bytes(Inner::Mapped(map)),
            kind: None,
        });
    }
    buffer.clear();
    std::fs::File::open(path)
        .and_then(|mut file| std::io::Read::read_to_end(&mut file, &mut buffer))
        .map_err(|e| error(io_reason(&e)))?;
    Ok(Input::new(path, buffer))
}

pub(crate) fn io_reason(error: &std::io::Error) -> String {
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

/// [`encoding`] of an input, checking a large one piece by piece and giving back the memory
/// of each piece once checked.
pub fn encoding_of(input: &Input) -> Encoding<'_> {
    const PIECE: usize = 8 << 20;
    let bytes: &[u8] = &input.bytes;
    if bytes.len() < 2 * PIECE {
        return encoding(bytes);
    }
    let bom = bytes.starts_with(UTF8_BOM);
    let start = if bom { UTF8_BOM.len() } else { 0 };
    if let utf16 @ Encoding::Utf16 { .. } = encoding(&bytes[..start + 4]) {
        return utf16;
    }
    // A piece starts where a character does (a byte that is not a continuation byte), so
    // that the pieces are UTF-8 exactly when the whole is.
    let mut from = start;
    while from < bytes.len() {
        let mut to = (from + PIECE).min(bytes.len());
        for _ in 0..3 {
            if to < bytes.len() && bytes[to] & 0xC0 == 0x80 {
                to -= 1;
            }
        }
        if std::str::from_utf8(&bytes[from..to]).is_err() {
            // Where exactly, as one pass over the whole would say: rare enough to find so.
            let valid = match std::str::from_utf8(&bytes[start..]) {
                Err(error) => error.valid_up_to(),
                Ok(_) => bytes.len() - start,
            };
            return Encoding::Invalid { offset: valid, bom };
        }
        input.bytes.release(from..to);
        from = to;
    }
    // SAFETY: every byte after the mark was checked to be UTF-8 just above, piece by piece
    // (a piece starts only on a character boundary, and none was invalid).
    let text = unsafe { std::str::from_utf8_unchecked(&bytes[start..]) };
    Encoding::Utf8 { text, bom }
}

pub fn encoding(bytes: &[u8]) -> Encoding<'_> {
    // (big-endian, with a byte order mark) of UTF-16 text; without a mark, ASCII characters
    // come with a NUL byte beside them.
    let utf16 = match bytes {
        [0xFE, 0xFF, ..] => Some((true, true)),
        [0xFF, 0xFE, ..] => Some((false, true)),
        [0, b, ..] if *b != 0 => Some((true, false)),
        [a, 0, ..] if *a != 0 => Some((false, false)),
        _ => None,
    };
    if let Some((big_endian, bom)) = utf16 {
        return Encoding::Utf16 { big_endian, bom };
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

    /// A large input is checked in pieces on several threads: characters cut by the pieces'
    /// edges, a bad byte just past an edge, and the earliest of two bad bytes.
    #[test]
    fn large_inputs_are_checked_piece_by_piece_as_one() {
        // 2- and 4-byte characters, so that every piece edge falls inside one of them.
        let unit = "a\u{e9}\u{1F600}"; // 1 + 2 + 4 bytes: 7 does not divide 8 MB
        let text = unit.repeat((20 << 20) / unit.len());
        for bom in [false, true] {
            let mut bytes = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
            bytes.extend_from_slice(text.as_bytes());
            let input = Input::new("big.json", bytes.clone());
            assert_eq!(encoding_of(&input), Encoding::Utf8 { text: &text, bom });

            let mut broken = bytes.clone();
            let skip = usize::from(bom) * 3;
            let late = skip + (8 << 20) + 1;
            let later = skip + (17 << 20);
            broken[later] = 0xFF;
            broken[late] = 0xFF;
            let valid_up_to = std::str::from_utf8(&broken[skip..])
                .unwrap_err()
                .valid_up_to();
            let input = Input::new("big.json", broken);
            assert_eq!(
                encoding_of(&input),
                Encoding::Invalid {
                    offset: valid_up_to,
                    bom
                }
            );
            assert!(valid_up_to <= late - skip);
        }
        let mut starts_inside = vec![0x80u8];
        starts_inside.extend(text.as_bytes());
        let input = Input::new("big.json", starts_inside);
        assert_eq!(
            encoding_of(&input),
            Encoding::Invalid {
                offset: 0,
                bom: false
            }
        );
    }

    #[test]
    fn kinds_come_from_the_extension_then_the_content() {
        assert_eq!(FileKind::of("a.JSON", b"Email"), FileKind::UsageReport);
        assert_eq!(FileKind::of("a.csv", b"{}"), FileKind::UserReport);
        assert_eq!(
            FileKind::of("export", b"\xEF\xBB\xBF \n{\"a\":1}"),
            FileKind::UsageReport
        );
        assert_eq!(
            FileKind::of("export.txt", b"Email,Name"),
            FileKind::UserReport
        );
        assert_eq!(FileKind::of("-", b""), FileKind::UserReport);
        assert_eq!(FileKind::from_extension("a/b.txt"), None);
    }

    #[test]
    fn unreadable_paths_are_errors() {
        let missing = read("no/such/file.json", Vec::new()).err().unwrap();
        assert_eq!(
            missing.to_string(),
            "cannot read no/such/file.json: no such file"
        );
        let dir = read("src", Vec::new()).err().unwrap();
        assert_eq!(dir.reason, "it is a directory");
    }
}
