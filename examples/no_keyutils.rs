#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Runs a command where the kernel refuses keyutils, as a container's seccomp profile
//! does: a seccomp filter makes add_key(2), request_key(2) and keyctl(2) fail with ENOSYS,
//! then the command is executed (the filter stays on across exec). For the tests of the
//! kernel keyring cache's silent fallback (tests/cli/e2e/kcache.rs).
//!
//! Usage: no_keyutils CMD [ARGS…]

#[cfg(target_os = "linux")]
fn main() {
    use std::os::unix::process::CommandExt;

    let args: Vec<String> = std::env::args().skip(1).collect();
    assert!(!args.is_empty(), "usage: no_keyutils CMD [ARGS…]");
    let nr_offset = 0u32; // struct seccomp_data: int nr at offset 0
    let errno = libc::SECCOMP_RET_ERRNO | (libc::ENOSYS as u32 & libc::SECCOMP_RET_DATA);
    let stmt = |code: u16, k: u32| libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    };
    let jeq = |k: u32, jt: u8| libc::sock_filter {
        code: (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16,
        jt,
        jf: 0,
        k,
    };
    let mut filter = [
        stmt(
            (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16,
            nr_offset,
        ),
        jeq(libc::SYS_add_key as u32, 3),
        jeq(libc::SYS_request_key as u32, 2),
        jeq(libc::SYS_keyctl as u32, 1),
        stmt(
            (libc::BPF_RET | libc::BPF_K) as u16,
            libc::SECCOMP_RET_ALLOW,
        ),
        stmt((libc::BPF_RET | libc::BPF_K) as u16, errno),
    ];
    let prog = libc::sock_fprog {
        len: filter.len() as u16,
        filter: filter.as_mut_ptr(),
    };
    // SAFETY: prctl with a valid, live filter program.
    unsafe {
        assert_eq!(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), 0);
        assert_eq!(
            libc::prctl(
                libc::PR_SET_SECCOMP,
                libc::SECCOMP_MODE_FILTER,
                &prog as *const libc::sock_fprog,
            ),
            0,
            "seccomp refused: {}",
            std::io::Error::last_os_error()
        );
    }
    let err = std::process::Command::new(&args[0]).args(&args[1..]).exec();
    panic!("cannot run {}: {err}", args[0]);
}

#[cfg(not(target_os = "linux"))]
fn main() {
    eprintln!("no_keyutils: Linux only");
    std::process::exit(2);
}
