//! What only some systems have, behind `cfg`, each with a portable path that every system
//! (and CI here, through `TUPLE_REPORT_NO_MAP`) compiles and runs.
//!
//! Unix: a large report is mapped, read sequentially (`madvise(MADV_SEQUENTIAL)`), and the
//! pages already checked are given back (`MADV_DONTNEED`), in whole pages of the system's own
//! size (4 KiB on x86_64, 16 KiB on Apple silicon, up to 64 KiB on some aarch64 Linux).
//! Elsewhere (Windows): mapped without advice; nothing is given back early.

/// Whether large files may be mapped: not when `TUPLE_REPORT_NO_MAP` is set (to anything but
/// an empty value), which forces the portable path that reads every file into memory. Tests
/// use it to run both paths on one machine.
pub(super) fn mapping_allowed() -> bool {
    std::env::var_os("TUPLE_REPORT_NO_MAP").is_none_or(|value| value.is_empty())
}

/// Tells the system the map will be read from start to end.
pub(super) fn advise_sequential(map: &memmap2::Mmap) {
    #[cfg(unix)]
    {
        // Advice only: a system that ignores it reads the file all the same.
        let _ = map.advise(memmap2::Advice::Sequential);
    }
    #[cfg(not(unix))]
    let _ = map;
}

/// Gives back the memory of the whole pages inside `range` of `map`.
pub(super) fn give_back(map: &memmap2::Mmap, range: std::ops::Range<usize>) {
    #[cfg(unix)]
    {
        let page = page_size();
        let start = range.start.div_ceil(page) * page;
        let end = (range.end.min(map.len()) / page) * page;
        if end > start {
            // SAFETY: the map is read-only (memmap2 maps it shared, PROT_READ), and the file
            // is not written while it is checked: dropping its pages loses nothing, the
            // kernel reads them back from the file on the next access.
            let _ = unsafe {
                map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start)
            };
        }
    }
    #[cfg(not(unix))]
    let _ = (map, range);
}

/// The system's page size, asked once.
#[cfg(unix)]
fn page_size() -> usize {
    static PAGE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *PAGE.get_or_init(|| {
        // SAFETY: sysconf only reads a system constant.
        let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        usize::try_from(size)
            .ok()
            .filter(|size| size.is_power_of_two())
            .unwrap_or(4096)
    })
}

#[cfg(all(test, unix))]
mod tests {
    /// The page size comes from the system, and is a power of two of at least 4 KiB.
    #[test]
    fn the_page_size_is_the_system_s() {
        let page = super::page_size();
        assert!(page >= 4096 && page.is_power_of_two(), "{page}");
    }
}
