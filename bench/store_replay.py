"""Replay of lint-pr serve's SQLite write pattern under issue 12's flood, outside
serve: groups of 8 deliveries per BEGIN IMMEDIATE ... COMMIT at synchronous=FULL,
each inserting its delivery, superseding the queued job of its PR and inserting
a new job (PR n mod 20,000), on migration 3's schema. It prints read/write
syscalls per delivery (from /proc/self/io, which the machine's load does not
move) as the tables grow: what grows with the tables, without timing noise.

    python3 bench/store_replay.py VARIANT [DELIVERIES]

VARIANT: base (as the store), norowid (deliveries WITHOUT ROWID), ckptN
(wal_autocheckpoint=N), livekey (jobs_key only for jobs not superseded),
seqid (sequential delivery ids, a diagnostic), seqid-nokey (and no jobs_key),
v1 (time-based delivery ids, the shape of GitHub's), v1-delividx (and an index
on jobs(delivery_id), which deleting old deliveries would need for the foreign
key), delividx (that index with random ids).
The database goes to $REPLAY_DIR (default: the system's temp dir).
See bench/README.md, "Issue 12's bar, 2026-12-05 02:50".
"""
import sqlite3, uuid, time, sys, os, json, random, tempfile
if len(sys.argv) < 2:
    sys.exit("usage: python3 bench/store_replay.py VARIANT [DELIVERIES] (see the docstring for variants)")
variant = sys.argv[1]
if not (variant in ("delividx", "v1", "v1-delividx", "base", "norowid", "livekey", "seqid", "seqid-nokey") or (variant.startswith("ckpt") and variant[4:].isdigit())):
    sys.exit(f"store_replay.py: unknown variant {variant!r}: expected base, norowid, ckptN, livekey, seqid, seqid-nokey, v1, v1-delividx or delividx")
total = int(sys.argv[2]) if len(sys.argv) > 2 else 400000
G = 8; PRS = 20000
path = os.path.join(os.environ.get("REPLAY_DIR", tempfile.gettempdir()), f"lint-pr-replay-{variant}.db")
for s in ("", "-wal", "-shm"):
    try: os.remove(path + s)
    except FileNotFoundError: pass
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL"); db.execute("PRAGMA synchronous=FULL"); db.execute("PRAGMA foreign_keys=ON")
if variant.startswith("ckpt"): db.execute(f"PRAGMA wal_autocheckpoint={variant[4:]}")
deliv = "CREATE TABLE deliveries (delivery_id TEXT PRIMARY KEY, event TEXT NOT NULL, action TEXT NOT NULL, received_ms INTEGER NOT NULL)"
if variant == "norowid": deliv += " WITHOUT ROWID"
db.executescript(deliv + """;
CREATE TABLE jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, delivery_id TEXT NOT NULL REFERENCES deliveries(delivery_id), key TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL, last_error TEXT, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, next_attempt_at INTEGER NOT NULL DEFAULT 0, lease_until INTEGER, repo TEXT, pr INTEGER);
CREATE INDEX jobs_due ON jobs(state, next_attempt_at);
CREATE INDEX jobs_lease ON jobs(lease_until) WHERE state = 'running';
CREATE INDEX jobs_queued_key ON jobs(key) WHERE state = 'queued';
CREATE UNIQUE INDEX jobs_running_key ON jobs(key) WHERE state = 'running';
""")
if "livekey" in variant:
    db.execute("CREATE INDEX jobs_live_key ON jobs(key, id) WHERE state <> 'superseded'")
elif "nokey" not in variant:
    db.execute("CREATE INDEX jobs_key ON jobs(key, id)")
if "delividx" in variant:
    db.execute("CREATE INDEX jobs_delivery ON jobs(delivery_id)")
ins_d = "INSERT INTO deliveries (delivery_id, event, action, received_ms) VALUES " + ", ".join(["(?,?,?,?)"]*G) + " ON CONFLICT (delivery_id) DO NOTHING RETURNING delivery_id"
sup = "UPDATE jobs INDEXED BY jobs_queued_key SET state = 'superseded', updated_ms = ? WHERE state = 'queued' AND key IN (" + ",".join("?"*G) + ")"
ins_j = "INSERT INTO jobs (delivery_id, key, payload, state, next_attempt_at, created_ms, updated_ms, repo, pr, not_before) VALUES " + ", ".join(["(?,?,?,?,?,?,?,?,?,?)"]*G)
def rio():
    d = dict(l.split(": ") for l in open("/proc/self/io").read().splitlines())
    return int(d["syscr"]), int(d["syscw"])
lio = rio()
n = 0; t0 = time.process_time(); frames = 0; chunk = 20000; tc = time.process_time(); fc = 0
while n < total:
    now = int(time.time()*1000)
    ids = ([str(uuid.uuid1()) for _ in range(G)] if "v1" in variant else [str(uuid.uuid4()) for _ in range(G)]) if "seqid" not in variant else [f"{n+i:036d}" for i in range(G)]
    prs = [(n+i) % PRS + 1 for i in range(G)]
    keys = [f"pr:4242:octo/repo#{p}" for p in prs]
    db.execute("BEGIN IMMEDIATE")
    a = []
    for d in ids: a += [d, "pull_request", "synchronize", now]
    list(db.execute(ins_d, a))
    db.execute(sup, [now] + keys)
    a = []
    for d, k, p in zip(ids, keys, prs):
        pl = json.dumps({"kind":"lint","event":"pull_request","action":"synchronize","installation_id":4242,"repo":"octo/repo","pr":p,"head_sha":f"{p:040x}"})
        a += [d, k, pl, "queued", now+2000, now, now, "octo/repo", p, now+2000]
    db.execute(ins_j, a)
    db.execute("COMMIT")
    n += G
    if n % chunk == 0:
        t = time.process_time(); io = rio()
        print(f"{variant} n={n} us/delivery={(t-tc)/chunk*1e6:.1f} reads/delivery={(io[0]-lio[0])/chunk:.2f} writes/delivery={(io[1]-lio[1])/chunk:.2f} size={os.path.getsize(path)/1e6:.0f}MB", flush=True)
        tc = t; lio = io
