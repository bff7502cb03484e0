"""What a retention pass costs SQLite's one connection: a jobs table of
migration 3's schema holding N jobs (default 400,000; all but the newest 40,000
older than the cut-off, a third `done`, the rest `superseded`, one in a
thousand `dead`), pruned the way `Store::prune` does (the bound once, then
`DELETE … LIMIT batch` until a batch comes back short). Prints the time per
batch (p50, p99, max): how long a delivery arriving meanwhile can wait for
the connection.

    python3 bench/retention_replay.py [rowid|index] [BATCH] [N]

`rowid` is the statement lint-pr runs (`NOT INDEXED`: ids in order, stops after
BATCH rows); `index` the same statement without `NOT INDEXED`, which SQLite
runs through `jobs_due` and a sort. The database goes to $REPLAY_DIR (default:
the system's temp dir). See bench/README.md, "Retention".
"""
import os
import sqlite3
import sys
import tempfile
import time

plan = sys.argv[1] if len(sys.argv) > 1 else "rowid"
if plan not in ("rowid", "index"):
    sys.exit(f"retention_replay.py: unknown plan {plan!r}: expected rowid or index")
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 200
total = int(sys.argv[3]) if len(sys.argv) > 3 else 400_000
path = os.path.join(os.environ.get("REPLAY_DIR", tempfile.gettempdir()), "lint-pr-retention.db")
for suffix in ("", "-wal", "-shm"):
    try:
        os.remove(path + suffix)
    except FileNotFoundError:
        pass
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA foreign_keys=ON")
db.executescript("""
CREATE TABLE deliveries (delivery_id TEXT PRIMARY KEY, event TEXT NOT NULL, action TEXT NOT NULL, received_ms INTEGER NOT NULL);
CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id TEXT NOT NULL REFERENCES deliveries(delivery_id), key TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL, last_error TEXT, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL DEFAULT 0, lease_until INTEGER, repo TEXT, pr INTEGER);
CREATE INDEX jobs_key ON jobs(key, id);
CREATE INDEX jobs_due ON jobs(state, next_attempt_at);
CREATE INDEX jobs_lease ON jobs(lease_until) WHERE state = 'running';
CREATE INDEX jobs_queued_key ON jobs(key) WHERE state = 'queued';
CREATE UNIQUE INDEX jobs_running_key ON jobs(key) WHERE state = 'running';
""")
t0 = 1_700_000_000_000
payload = '{"installation":1,"repo":"octo/repo","pr":123,"head_sha":"' + "a" * 40 + '","author":"someone","draft":false}'
db.execute("BEGIN")
for i in range(total):
    d = f"{i:08x}-b361-11eb-8c8c-0123456789ab"
    db.execute("INSERT INTO deliveries VALUES (?,?,?,?)", (d, "pull_request", "synchronize", t0 + i * 10))
    state = "done" if i % 3 == 0 else "superseded"
    if i % 1000 == 7:
        state = "dead"
    if i >= total - 20_000:
        state = "queued" if i % 5 else "done"
    db.execute(
        "INSERT INTO jobs (delivery_id, key, payload, state, not_before, created_ms, updated_ms, next_attempt_at, repo, pr) VALUES (?,?,?,?,?,?,?,?,?,?)",
        (d, f"pr:1:octo/repo#{i % 20000}", payload, state, 0, t0 + i * 10, t0 + i * 10, 0, "octo/repo", i % 20000),
    )
db.execute("COMMIT")
cut = t0 + (total - 40_000) * 10
start = time.perf_counter()
bound = db.execute(
    "SELECT COALESCE((SELECT id FROM jobs WHERE created_ms >= ?1 ORDER BY id LIMIT 1), (SELECT MAX(id) + 1 FROM jobs), 0)",
    (cut,),
).fetchone()[0]
bound_ms = (time.perf_counter() - start) * 1000
hint = "NOT INDEXED " if plan == "rowid" else ""
delete = f"DELETE FROM jobs WHERE id IN (SELECT id FROM jobs {hint}WHERE id < ?1 AND state IN ('done', 'superseded') ORDER BY id LIMIT ?2)"
times = []
deleted = 0
start = time.perf_counter()
while True:
    t = time.perf_counter()
    n = db.execute(delete, (bound, batch)).rowcount
    times.append(time.perf_counter() - t)
    deleted += n
    if n < batch:
        break
elapsed = time.perf_counter() - start
times.sort()
ms = lambda q: times[min(len(times) - 1, int(len(times) * q))] * 1000
print(
    f"{plan}, batch {batch}: {os.path.getsize(path) / 1e6:.0f} MB, bound {bound_ms:.1f} ms once, "
    f"deleted {deleted} in {len(times)} batches ({elapsed:.2f} s): "
    f"p50 {ms(0.5):.2f} ms, p99 {ms(0.99):.2f} ms, max {times[-1] * 1000:.1f} ms a batch"
)
