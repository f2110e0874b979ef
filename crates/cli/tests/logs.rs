//! The server's log as a file or a pipe receives it: plain text without terminal
//! colour codes, or one JSON object a line with `--log-format json` (issue 16).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Starts `ponder serve` on a free port of a new site with `extra` arguments and
/// returns the lines its log had written by the time it said it was serving.
fn first_log_lines(extra: &[&str]) -> Vec<String> {
    let data = tempfile::tempdir().expect("temp dir");
    let mut server = Command::new(env!("CARGO_BIN_EXE_ponder"))
        .args(extra)
        .args(["serve", "--addr", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .env_remove("PONDER_LOG_FORMAT")
        .env_remove("PONDER_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ponder starts");
    let stderr = server.stderr.take().expect("a pipe");
    let mut lines = Vec::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.expect("a line of text");
        let serving = line.contains("serving on http://127.0.0.1:");
        lines.push(line);
        if serving || lines.len() > 50 {
            break;
        }
    }
    let _ = server.kill();
    let _ = server.wait();
    lines
}

#[test]
fn issue16_a_log_written_to_a_pipe_has_no_colour_codes() {
    let lines = first_log_lines(&[]);
    assert!(
        lines
            .last()
            .is_some_and(|l| l.contains("INFO") && l.contains("serving on")),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| !l.contains('\u{1b}')), "{lines:?}");
    // The address it really listens on, not the 0 it was asked for.
    assert!(
        !lines.last().is_some_and(|l| l.ends_with(":0")),
        "{lines:?}"
    );
}

#[test]
fn issue16_json_logs_are_one_object_a_line() {
    let lines = first_log_lines(&["--log-format", "json"]);
    assert!(!lines.is_empty());
    for line in &lines {
        let value: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert_eq!(value["level"], "INFO", "{line}");
        assert!(value["timestamp"].is_string(), "{line}");
        assert!(value["fields"]["message"].is_string(), "{line}");
    }
    let last = &lines[lines.len() - 1];
    assert!(last.contains("serving on"), "{last}");
}
