//! `Dockerfile` and `app.yml` checked against the real binary and SPEC
//! "Packaging" (there is no Docker engine here). Issue 4.

use clap::CommandFactory;
use lint_pr::cli::Cli;

use crate::support::{read, root};

/// Dockerfile instructions with `\` continuations joined: (INSTRUCTION, rest).
fn instructions() -> Vec<(String, String)> {
    let text = read(&root().join("Dockerfile"));
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        if let Some(cont) = line.strip_suffix('\\') {
            current.push_str(cont);
            current.push(' ');
            continue;
        }
        current.push_str(line);
        let (ins, rest) = current.split_once(' ').unwrap_or((&current, ""));
        out.push((ins.to_uppercase(), rest.trim().to_string()));
        current.clear();
    }
    out
}

fn default_listen_port() -> String {
    let cmd = Cli::command();
    let serve = cmd.find_subcommand("serve").expect("serve subcommand");
    let listen = serve
        .get_arguments()
        .find(|a| a.get_id() == "listen")
        .expect("--listen");
    let default = listen.get_default_values()[0].to_str().unwrap().to_string();
    default.rsplit(':').next().unwrap().to_string()
}

#[test]
fn dockerfile_matches_the_binary() {
    let ins = instructions();
    let all = |name: &str| {
        ins.iter()
            .filter(|(i, _)| i == name)
            .map(|(_, r)| r.clone())
            .collect::<Vec<_>>()
    };
    let froms = all("FROM");
    assert!(
        froms.len() >= 2 && froms[0].to_lowercase().contains(" as build"),
        "multi-stage: {froms:?}"
    );
    assert!(
        all("RUN")
            .iter()
            .any(|r| r.contains("cargo build --release --locked")),
        "release build from Cargo.lock"
    );
    // The runtime stage: everything after the last FROM.
    let last_from = ins.iter().rposition(|(i, _)| i == "FROM").unwrap();
    let runtime = &ins[last_from..];
    let rt = |name: &str| {
        runtime
            .iter()
            .filter(|(i, _)| i == name)
            .map(|(_, r)| r.clone())
            .collect::<Vec<_>>()
    };
    assert!(
        rt("RUN").iter().any(|r| r.contains("ca-certificates")),
        "CA certificates for HTTPS to GitHub"
    );
    let user = rt("USER");
    assert_eq!(user.len(), 1, "{user:?}");
    assert!(
        !["root", "0", "0:0"].contains(&user[0].as_str()),
        "non-root: {user:?}"
    );
    let port = default_listen_port();
    assert_eq!(
        rt("EXPOSE"),
        std::slice::from_ref(&port),
        "EXPOSE matches the default --listen"
    );
    let env = rt("ENV").join(" ");
    assert!(
        env.contains(&format!("LINT_PR_LISTEN=0.0.0.0:{port}")),
        "{env}"
    );
    let health = rt("HEALTHCHECK");
    assert_eq!(health.len(), 1);
    assert!(
        health[0].contains("/healthz") && health[0].contains(&format!("127.0.0.1/{port}")),
        "{health:?}"
    );
    let volume = rt("VOLUME");
    assert_eq!(volume.len(), 1);
    assert!(
        env.contains(&format!("LINT_PR_DATABASE_URL=sqlite://{}/", volume[0])),
        "the SQLite file is on the volume: {env}"
    );
    assert!(
        rt("COPY")
            .iter()
            .any(|c| c.contains("--from=build") && c.ends_with("/usr/local/bin/lint-pr"))
    );
    assert_eq!(rt("ENTRYPOINT"), [r#"["lint-pr"]"#]);
    assert_eq!(rt("CMD"), [r#"["serve"]"#]);
}

#[test]
fn app_manifest_asks_for_what_lint_pr_uses() {
    let text = read(&root().join("app.yml"));
    let app: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(app["name"], "lint-pr");
    assert!(
        app["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
    assert!(
        app["hook_attributes"]["url"]
            .as_str()
            .unwrap()
            .ends_with("/webhook"),
        "the route of `serve`"
    );
    assert_eq!(
        app["default_permissions"],
        serde_json::json!({"checks": "write", "pull_requests": "read", "contents": "read", "metadata": "read"})
    );
    assert_eq!(
        app["default_events"],
        serde_json::json!(["pull_request", "check_run", "check_suite"])
    );
}
