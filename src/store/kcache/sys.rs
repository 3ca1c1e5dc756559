//! No kernel keyring outside Linux: every read misses, every write fails.

pub fn read(_: &str) -> Option<Vec<u8>> {
    None
}

pub fn write(_: &str, _: &[u8], _: u64) -> bool {
    false
}

pub fn remove(_: &str) {}
