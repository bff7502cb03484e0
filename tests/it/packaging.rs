//! `Dockerfile` and `app.yml` checked against the real binary and SPEC
//! "Packaging". Issue 4. No image builder runs in `cargo test`; docs/deploy.md
//! records the real buildah build of this Dockerfile (issue #14).

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

// --- release archives: release.yml, action.yml and Cargo.toml agree (#14) ---

/// The archive names `.github/workflows/release.yml` attaches to a release, by
/// target: its build matrix put through its `ARCHIVE` template.
fn release_archives() -> std::collections::BTreeMap<String, String> {
    let text = read(&root().join(".github/workflows/release.yml"));
    let wf: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let build = &wf["jobs"]["build"];
    let template = build["env"]["ARCHIVE"]
        .as_str()
        .expect("release.yml: jobs.build.env.ARCHIVE names the archive");
    let include = build["strategy"]["matrix"]["include"]
        .as_array()
        .expect("release.yml: jobs.build.strategy.matrix.include lists the targets");
    let mut out = std::collections::BTreeMap::new();
    for entry in include {
        let target = entry["target"].as_str().unwrap();
        let archive = entry["archive"].as_str().unwrap();
        let name = template
            .replace("${{ matrix.target }}", target)
            .replace("${{ matrix.archive }}", archive);
        assert!(!name.contains("${{"), "release.yml ARCHIVE: {template}");
        out.insert(target.to_string(), name);
    }
    out
}

/// The install step of `action.yml`: its script.
fn action_install_script() -> String {
    let text = read(&root().join("action.yml"));
    let action: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let steps = action["runs"]["steps"].as_array().unwrap();
    let install = steps
        .iter()
        .find(|s| s["id"] == "install")
        .expect("action.yml: a step with id: install");
    install["run"].as_str().unwrap().to_string()
}

#[test]
fn the_action_downloads_what_the_release_workflow_builds() {
    let release = release_archives();
    let script = action_install_script();
    // `Linux-X64) target=x86_64-unknown-linux-musl ext=tar.gz ;;`
    let arm = regex::Regex::new(r"(?m)^\s*(\S+)\) target=(\S+) ext=(\S+) ;;$").unwrap();
    let template = r#"archive="lint-pr-${target}.${ext}""#;
    assert!(
        script.contains(template),
        "action.yml's install step must name the archive {template}"
    );
    let mut runners = Vec::new();
    let mut targets = std::collections::BTreeSet::new();
    for c in arm.captures_iter(&script) {
        let (runner, target, ext) = (&c[1], &c[2], &c[3]);
        let name = format!("lint-pr-{target}.{ext}");
        assert_eq!(
            release.get(target),
            Some(&name),
            "action.yml downloads {name} on {runner}, which release.yml does not build"
        );
        runners.push(runner.to_string());
        targets.insert(target.to_string());
    }
    for runner in [
        "Linux-X64",
        "Linux-ARM64",
        "macOS-X64",
        "macOS-ARM64",
        "Windows-X64",
    ] {
        assert!(
            runners.iter().any(|r| r == runner),
            "action.yml has no release archive for {runner}"
        );
    }
    let built: std::collections::BTreeSet<String> = release.keys().cloned().collect();
    assert_eq!(
        targets, built,
        "every archive release.yml builds is one some runner downloads"
    );
    // Same tag and checksum file on both sides.
    assert!(script.contains("/releases/download/v$version/$archive"));
    assert!(script.contains(r#""$url.sha256""#) && script.contains("sha256sum -c"));
    let workflow = read(&root().join(".github/workflows/release.yml"));
    assert!(workflow.contains(r#"sha256sum "$ARCHIVE" > "$ARCHIVE.sha256""#));
    assert!(workflow.contains(r#"[ "v$version" != "$GITHUB_REF_NAME" ]"#));
}

/// `key = "value"` of `[section]` in Cargo.toml (enough TOML for these lines).
fn cargo_toml_value(section: &str, key: &str) -> Option<String> {
    let text = read(&root().join("Cargo.toml"));
    let mut current = "";
    for line in text.lines() {
        let line = line.trim();
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = s;
        } else if current == section
            && let Some((k, v)) = line.split_once('=')
            && k.trim() == key
        {
            return Some(v.trim().trim_matches('"').to_string());
        }
    }
    None
}

#[test]
fn binstall_finds_the_release_archives() {
    let release = release_archives();
    let base = "package.metadata.binstall";
    let url = cargo_toml_value(base, "pkg-url").expect("[package.metadata.binstall] pkg-url");
    assert_eq!(
        cargo_toml_value(base, "bin-dir").as_deref(),
        Some("{ bin }{ binary-ext }"),
        "release.yml puts lint-pr at the archive's root"
    );
    let repo = cargo_toml_value("package", "repository").expect("package.repository");
    for (target, name) in &release {
        let section = format!("{base}.overrides.{target}");
        let url = cargo_toml_value(&section, "pkg-url").unwrap_or_else(|| url.clone());
        let expanded = url
            .replace("{ repo }", &repo)
            .replace("{ version }", "1.2.3")
            .replace("{ target }", target);
        assert_eq!(
            expanded,
            format!("{repo}/releases/download/v1.2.3/{name}"),
            "Cargo.toml's binstall pkg-url for {target}"
        );
        let fmt = cargo_toml_value(&section, "pkg-fmt")
            .or_else(|| cargo_toml_value(base, "pkg-fmt"))
            .unwrap();
        let want = if name.ends_with(".zip") { "zip" } else { "tgz" };
        assert_eq!(fmt, want, "binstall pkg-fmt for {name}");
    }
}

// --- the image's health check and user, run for real (no image builder here) ---

/// The HEALTHCHECK's `CMD [...]`, as its argv.
fn healthcheck_argv() -> Vec<String> {
    let ins = instructions();
    let (_, rest) = ins
        .iter()
        .rfind(|(i, _)| i == "HEALTHCHECK")
        .expect("Dockerfile: HEALTHCHECK");
    let json = &rest[rest.find("CMD [").expect("HEALTHCHECK ... CMD [exec form]") + 4..];
    serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("HEALTHCHECK CMD is not a JSON array ({e}): {json}"))
}

/// Run the health check with the image's port replaced by `port`.
fn healthcheck(argv: &[String], port: u16) -> bool {
    let (prog, args) = argv.split_first().unwrap();
    let args: Vec<String> = args
        .iter()
        .map(|a| a.replace("127.0.0.1/3000", &format!("127.0.0.1/{port}")))
        .collect();
    std::process::Command::new(prog)
        .args(&args)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

#[test]
fn the_dockerfile_healthcheck_passes_against_the_real_server_and_fails_without_it() {
    // See: #14 — no image builder can pull base images here, so the parts of the
    // image that can be run are run: its HEALTHCHECK against `lint-pr serve`.
    let argv = healthcheck_argv();
    assert!(argv.join(" ").contains("127.0.0.1/3000"), "{argv:?}");
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let port = free();
    let dir = tempfile::tempdir().unwrap();
    let key = crate::support::app::private_key();
    let mut server = std::process::Command::new(assert_cmd::cargo::cargo_bin("lint-pr"))
        .arg("serve")
        .env("LINT_PR_LISTEN", format!("127.0.0.1:{port}"))
        .env("LINT_PR_APP_ID", "1")
        .env("LINT_PR_PRIVATE_KEY", key)
        .env("LINT_PR_WEBHOOK_SECRET", "s")
        .env("LINT_PR_GITHUB_API_URL", "http://127.0.0.1:9")
        .env(
            "LINT_PR_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("q.db").display()),
        )
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut healthy = false;
    while !healthy && std::time::Instant::now() < deadline {
        healthy = healthcheck(&argv, port);
        if !healthy {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        healthy,
        "the HEALTHCHECK never passed against lint-pr serve on {port}"
    );
    assert!(
        !healthcheck(&argv, free()),
        "the HEALTHCHECK passes with nothing listening: it checks nothing"
    );
}

#[test]
fn the_image_user_is_the_one_created_and_owns_the_volume() {
    let ins = instructions();
    let last_from = ins.iter().rposition(|(i, _)| i == "FROM").unwrap();
    let runtime = &ins[last_from..];
    let user = runtime.iter().find(|(i, _)| i == "USER").unwrap().1.clone();
    let volume = runtime
        .iter()
        .find(|(i, _)| i == "VOLUME")
        .unwrap()
        .1
        .clone();
    let run = runtime
        .iter()
        .filter(|(i, _)| i == "RUN")
        .map(|(_, r)| r.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        run.contains(&format!("useradd --system --uid {user} ")),
        "USER {user} is created with that uid: {run}"
    );
    assert!(
        run.contains(&format!("mkdir -p {volume}"))
            && run.contains(&format!("chown lint-pr {volume}")),
        "the volume {volume} exists and belongs to the user: {run}"
    );
}
