//! What `/proc/PID/status` says of a process the benchmarks started (Linux).

/// The process's peak resident set (VmHWM), in MB; NaN when it cannot be read
/// (the process is gone, or this is not Linux).
pub(crate) fn peak_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|st| {
            st.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}
