//! The `holo-emulator` command: its first line of output, its errors and its help.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_holo-emulator");

/// Kills the child process when the test ends, pass or fail.
struct KillOnDrop(Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Reads the first line of the child's standard output, waiting at most `timeout`.
fn first_line(child: &mut Child, timeout: Duration) -> String {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = sender.send(line);
    });
    receiver
        .recv_timeout(timeout)
        .expect("the emulator printed its first line in time")
}

#[tokio::test]
async fn first_line_names_base_url() {
    let data = holo_emulator::default_data_dir();
    let child = Command::new(BINARY)
        .arg("--data")
        .arg(&data)
        .args(["--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let mut child = KillOnDrop(child);
    let line = first_line(&mut child.0, Duration::from_secs(60));
    let line = line.trim_end_matches('\n');

    let port = line
        .strip_prefix("listening on http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/v2"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = port.parse().expect("numeric port");
    assert_ne!(port, 0);

    let url = format!("http://127.0.0.1:{port}/v2/sets/base1");
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let body: serde_json::Value = client
        .get(&url)
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON body");
    assert_eq!(body["data"]["name"], "Base");
}

#[test]
fn missing_data_folder_is_named() {
    let output = Command::new(BINARY)
        .args(["--data", "/nonexistent/pokemon-data", "--port", "0"])
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/pokemon-data"), "{stderr}");
}

#[test]
fn rates_outside_unit_interval_are_rejected() {
    for flag in [
        "--error-rate",
        "--drop-rate",
        "--truncate-rate",
        "--bad-card-rate",
    ] {
        let output = Command::new(BINARY)
            .args(["--data", "/unused", flag, "1.5"])
            .output()
            .expect("the binary runs");
        assert!(!output.status.success(), "{flag} 1.5 accepted");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(flag) && stderr.contains("outside 0..1"),
            "{stderr}"
        );
    }
}

#[test]
fn help_documents_every_flag() {
    let output = Command::new(BINARY)
        .arg("--help")
        .output()
        .expect("the binary runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    let flags = [
        "--data ",
        "--data-next",
        "--port",
        "--latency-ms",
        "--price-date",
        "--seed",
        "--rate-limit",
        "--error-rate",
        "--drop-rate",
        "--truncate-rate",
        "--unstable-order",
        "--bad-card-rate",
    ];
    for flag in flags {
        assert!(help.contains(flag), "{flag} missing from --help:\n{help}");
    }
    assert!(help.contains("milliseconds"), "{help}");
    assert!(help.contains("per minute"), "{help}");
}
