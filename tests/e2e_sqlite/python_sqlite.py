# A real third-party program on SQLite: Debian's CPython, whose _sqlite3 module links
# libsqlite3.so.0, used the way applications use it (parameters, executemany, BLOBs up to
# 1 MiB, Unicode text, NULLs, constraint errors, pragmas, iterdump, the backup API).
# Run natively and through the stack by sqlite_e2e.sh: the outputs must be identical.
import sqlite3, sys, os
path = sys.argv[1]
if os.path.exists(path): os.remove(path)
con = sqlite3.connect(path)
con.row_factory = sqlite3.Row
cur = con.cursor()
cur.executescript("""
create table item(id integer primary key, name text not null unique, price real, note text, img blob);
create index item_price on item(price);
""")
rows = [(f"item-{i}", i * 0.25, None if i % 3 else "naïve café ✓", bytes((i * k) % 256 for k in range(i % 50))) for i in range(300)]
with con:
    cur.executemany("insert into item(name, price, note, img) values (?,?,?,?)", rows)
big = os.urandom(1 << 20)
with con:
    cur.execute("insert into item(name, price, img) values (?,?,?)", ("big", 1e9, big))
r = cur.execute("select img from item where name='big'").fetchone()
print("big blob roundtrip:", r["img"] == big, len(r["img"]))
for row in cur.execute("select id, name, price, note, length(img) as n from item where id % 37 = 1 order by price desc"):
    print(dict(row))
try:
    with con:
        cur.execute("insert into item(name) values ('item-5')")
except sqlite3.IntegrityError as e:
    print("IntegrityError:", e)
print(cur.execute("select count(*), total(price), max(length(img)) from item").fetchone()[:])
print([tuple(r) for r in cur.execute("select typeof(note), count(*) from item group by 1 order by 1")])
cur.execute("pragma table_info(item)")
print([tuple(r) for r in cur.fetchall()])
print(cur.execute("select ?, ?, ?, ?", (None, 1 << 40, 3.5, "x\u2603")).fetchone()[:])
dump = list(con.iterdump())
print("dump lines:", len(dump), dump[1][:60])
mem = sqlite3.connect(":memory:")
con.backup(mem)
print("backup rows:", mem.execute("select count(*) from item").fetchone()[0])
print("total_changes:", con.total_changes, "in_transaction:", con.in_transaction)
# Callbacks the library raises while a statement runs: a collation (its comparison and its
# destructor share one user data; each string arrives with its length before it), an
# authorizer and a progress handler.
con.create_collation("reverse", lambda a, b: (a < b) - (a > b))
print("collation:", [r[0] for r in cur.execute("select name from item where id < 12 order by name collate reverse")])
actions = []
con.set_authorizer(lambda action, a1, a2, db, trigger: actions.append(action) or sqlite3.SQLITE_OK)
print("authorized:", cur.execute("select count(*) from item where price > 10").fetchone()[0], len(actions) > 0)
con.set_authorizer(None)
ticks = []
con.set_progress_handler(lambda: ticks.append(1) or 0, 100)
print("progress:", cur.execute("select count(*) from item a, item b where a.id < 40 and b.id < 40").fetchone()[0], len(ticks) > 0)
con.set_progress_handler(None, 0)
# SQL functions written in Python: the library calls them with its context and an array of
# values (`xFunc(sqlite3_context *, int, sqlite3_value **)`, no user-data argument): the
# module finds its function through sqlite3_user_data(ctx), reads each value and sets the
# result through calls made from inside the callback.
con.create_function("twice", 1, lambda v: None if v is None else v * 2, deterministic=True)
print("function:", [tuple(r) for r in cur.execute("select twice(id), twice(price), twice(name), twice(null) from item where id < 4")])
con.create_function("joined", -1, lambda *vs: "|".join(map(str, vs)))
print("variadic:", cur.execute("select joined(), joined(1, 2.5, 'x', null, x'00ff')").fetchone()[:])
con.create_function("fails", 0, lambda: 1 / 0)
try:
    cur.execute("select fails()").fetchone()
except sqlite3.OperationalError as e:
    print("OperationalError:", e)
# A database as bytes: sqlite3_serialize returns them with their size written through an
# out parameter. The file's copy is new memory the module frees with sqlite3_free; the
# in-memory database's is the library's own (SQLITE_SERIALIZE_NOCOPY), never freed.
con.commit()
image = con.serialize()
with open(path, "rb") as f:
    print("serialize:", len(image), image[:16], image == f.read())
mem_image = mem.serialize()
print("serialize memory:", len(mem_image), mem_image[:16], mem_image == mem.serialize())
con.close()
