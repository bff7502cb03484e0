//! Joining a relative link or `extends` path onto the path of the file it is
//! written in, the way a browser or GitHub resolves it.

/// `dir_of(base)/rel`, with `.` and `..` resolved.
pub fn join_path(base: &str, rel: &str) -> String {
    // An absolute base (`lint-pr runbook /abs/dir/x.md`) keeps its leading `/`.
    let absolute = rel.starts_with('/') || base.starts_with('/');
    let dir = if rel.starts_with('/') {
        ""
    } else {
        base.rsplit_once('/').map_or("", |(d, _)| d)
    };
    // Built in place (runs for every relative link of every runbook): `out[root..]`
    // holds the segments so far, `/`-separated.
    let mut out = String::with_capacity(dir.len() + rel.len() + 1);
    if absolute {
        out.push('/');
    }
    let root = out.len();
    for seg in segments(dir).chain(segments(rel)) {
        match seg {
            "" | "." => {}
            ".." => {
                let kept = out.get(root..).unwrap_or("");
                let last_start = kept.rfind('/').map_or(root, |i| root + i + 1);
                let last = out.get(last_start..).unwrap_or("");
                if !last.is_empty() && last != ".." {
                    // Drop the last segment and the `/` before it.
                    out.truncate(last_start.saturating_sub(1).max(root));
                } else if !absolute {
                    // Above the root of an absolute path there is nothing; stay there.
                    push_segment(&mut out, root, "..");
                }
            }
            s => push_segment(&mut out, root, s),
        }
    }
    out
}

/// `path.split('/')`, scanning bytes: paths are short, and `split`'s searcher costs
/// more to set up than to run on them.
fn segments(path: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(path);
    std::iter::from_fn(move || {
        let r = rest?;
        match r.bytes().position(|b| b == b'/') {
            Some(i) => {
                rest = r.get(i + 1..);
                r.get(..i)
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

fn push_segment(out: &mut String, root: usize, seg: &str) {
    if out.len() > root {
        out.push('/');
    }
    out.push_str(seg);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join_path(".github/lint-pr.yml", "base.yml"),
            ".github/base.yml"
        );
        assert_eq!(
            join_path(".github/lint-pr.yml", "../common/x.yml"),
            "common/x.yml"
        );
        assert_eq!(join_path("lint-pr.yml", "./a/b.yml"), "a/b.yml");
        assert_eq!(join_path("a.yml", "../../x.yml"), "../../x.yml");
        assert_eq!(join_path("a/b/c.md", "../../../x/./y/../z.md"), "../x/z.md");
        assert_eq!(join_path("/a/b.md", "../../c/d.md"), "/c/d.md");
        assert_eq!(join_path("/a/b.md", "/e/../f.md"), "/f.md");
        assert_eq!(join_path("a/b.md", "c/.."), "a");
        assert_eq!(join_path("a//b/x.md", "c//d.md"), "a/b/c/d.md");
        for p in ["", "/", "a", "a/", "/a//b/", "é/ü"] {
            let ours: Vec<&str> = segments(p).collect();
            assert_eq!(ours, p.split('/').collect::<Vec<_>>(), "{p:?}");
        }
        assert_eq!(join_path("/abs/ops/db.md", "../x.md"), "/abs/x.md");
        assert_eq!(join_path("/a.md", "../../x.md"), "/x.md");
        assert_eq!(join_path("runbooks/a.md", "/etc/x.md"), "/etc/x.md");
    }
}
