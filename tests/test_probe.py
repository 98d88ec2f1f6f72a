"""Availability probes (issue 12): real GETs against portals down on a schedule, a clock we control,
the 19号 measurement in the audit (veto at 5%, 预警 at 3%, fallback with too few probes), the 15 s
limit, and the prober's job store and lock."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta

import pytest

from audits.checks import reachability
from audits.engine import audit
from audits.rules import load_rules
from audits.site import SiteData
from crawler.probe import LIMIT_SECONDS, Target, probe_round
from crawler.store import Store
from conftest import run_xxgk
from _probe_helpers import FlakyPortal

RULES = load_rules()
AS_OF = date(2026, 11, 21)
WEEK_START = datetime(2026, 11, 15, 0, 20)          # 7 days ending on AS_OF, hourly probes


class Clock:
    """The prober's clock: each call returns the current simulated time (advanced by the test)."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _week_of_probes(store: Store, portals: dict[str, FlakyPortal], rounds: int = 7 * 24) -> None:
    """``rounds`` real probe rounds one simulated hour apart, stored as ``xxgk probe`` stores them."""
    clock = Clock(WEEK_START)
    targets = [Target.of(site, p.url, p.entry) for site, p in portals.items()]
    for _ in range(rounds):
        store.add_probes(r.as_row() for r in probe_round(targets, clock=clock, limit=10))
        clock.now += timedelta(hours=1)


def _crawled(store: Store, site: str, url: str, status: str = "ok", error: str | None = None) -> None:
    run = store.start_run()
    store.upsert_site(site, site, url)
    store.upsert_crawl(run, site, url=url, status=status, error=error)
    if status != "unreachable":
        # one column read completely (a category without an update limit): the site is checkable
        store.upsert_column(run, site, url + "xxgk/jgzn/", name="机构职能", item_count=1,
                            latest_date="2026-11-01", status="ok")
    store.finish_run(run, "ok")


@pytest.fixture(scope="module")
def scheduled(tmp_path_factory):
    """Four portals down on a schedule, a week of hourly probes, one audit."""
    schedules = {"two-of-30": (lambda n: n % 30 in (0, 15), "503"),
                 "one-of-30": (lambda n: n % 30 == 0, "drop"),
                 "always": (lambda n: True, "503"),
                 "never": (lambda n: False, "503")}
    db = tmp_path_factory.mktemp("probe") / "xxgk.db"
    store = Store(db)
    portals = {site: FlakyPortal(down, mode) for site, (down, mode) in schedules.items()}
    for p in portals.values():
        p.__enter__()
    try:
        _week_of_probes(store, portals)
    finally:
        for p in portals.values():
            p.__exit__()
    for site, p in portals.items():
        _crawled(store, site, p.url)
    result = audit(store, AS_OF)
    yield {"store": store, "portals": portals, "result": result,
           "sites": {s.site_id: s for s in result.sites}}
    store.close()


def test_each_probe_is_one_get_of_homepage_and_entry(scheduled):
    store, portals = scheduled["store"], scheduled["portals"]
    assert store.db.execute("select count(*) from probes").fetchone()[0] == 4 * 168 * 2
    for p in portals.values():
        # one GET per URL per round, no retry, no HEAD, nothing else fetched
        assert p.paths.count("/") == 168 and p.paths.count("/xxgk/") == 168 and len(p.paths) == 336
    row = store.rows("probes", "site_id = 'always' and kind = 'homepage'")[0]
    assert (row["status"], row["ok"], row["error"]) == (503, 0, None) and row["elapsed_ms"] >= 0
    dropped = store.rows("probes", "site_id = 'one-of-30' and ok = 0")
    assert len(dropped) == 6 and {r["status"] for r in dropped} == {None} and dropped[0]["error"]


@pytest.mark.parametrize("site,failed", [("two-of-30", 12), ("one-of-30", 6), ("always", 168), ("never", 0)])
def test_failure_shares_over_the_week(scheduled, site, failed):
    # 168 hourly rounds; "2 of 30" fails rounds 0,15,30,…,165 → 12; "1 of 30" rounds 0,30,…,150 → 6
    a = scheduled["sites"][site].availability
    assert (a.total, a.failed) == (168, failed)


def test_veto_at_5_percent_warning_at_3_percent(scheduled):
    sites = scheduled["sites"]
    assert sites["two-of-30"].vetoes == ("site_unreachable",) and sites["two-of-30"].verdict == "不合格"
    [f] = sites["two-of-30"].findings
    assert f.check == "site_unreachable" and f.severity == "veto"
    assert "可用性监测168次，12次" in f.detail and "7.1%" in f.detail and "HTTP 503" in f.detail
    assert f.url == scheduled["portals"]["two-of-30"].url
    [w] = sites["one-of-30"].findings                     # 6/168 = 3.6%: 预警, not a veto
    assert (w.check, w.severity) == ("veto_warning", "warn") and "site_unreachable" in w.detail
    assert "3.6%" in w.detail and sites["one-of-30"].verdict == "合格" and not sites["one-of-30"].vetoes
    assert sites["always"].vetoes == ("site_unreachable",) and "100%" in sites["always"].findings[0].detail
    assert sites["never"].findings == [] and sites["never"].verdict == "合格"


def _site(rounds_failed: int, rounds: int, status: str = "ok", error: str | None = None,
          days_back: int = 0) -> SiteData:
    start = datetime(2026, 11, 21, 23, 0) - timedelta(days=days_back)
    probes = [{"round": str(i), "at": (start - timedelta(minutes=60 * i)).isoformat(sep=" "),
               "ok": 0 if i < rounds_failed else 1, "urls": 1, "errors": "http://x.test/  timeout"
               if i < rounds_failed else None} for i in range(rounds)]
    probes.reverse()
    return SiteData(site={"id": "x", "url": "http://x.test/", "config": {}},
                    crawl={"status": status, "error": error}, probes=probes)


@pytest.mark.parametrize("failed,rounds,expected", [
    (7, 140, "site_unreachable"),    # 5.0% exactly: "超过（含）5%"
    (6, 140, "veto_warning"),        # 4.3%
    (6, 200, "veto_warning"),        # 3.0% exactly
    (5, 200, None),                  # 2.5%
    (139, 139, None),                # all failed but fewer than 20 × 7: not judged
])
def test_thresholds_at_their_boundaries(failed, rounds, expected):
    found = reachability.check(_site(failed, rounds), RULES, AS_OF)
    assert [f.check for f in found] == ([expected] if expected else [])


def test_too_few_probes_falls_back_to_site_down_at_crawl():
    [f] = reachability.check(_site(139, 139, status="unreachable", error="连接被拒绝"), RULES, AS_OF)
    assert (f.check, f.severity) == ("site_down_at_crawl", "deduct")
    assert "连接被拒绝" in f.detail and "次数不足" in f.detail and "139次，少于140次" in f.detail
    [g] = reachability.check(_site(0, 168, status="unreachable", error="HTTP 503"), RULES, AS_OF)
    assert g.check == "site_down_at_crawl" and "未达到5%" in g.detail     # probes say it is up
    [h] = reachability.check(_site(168, 168, status="unreachable", error="HTTP 503"), RULES, AS_OF)
    assert h.check == "site_unreachable"                                  # the week says it is down


def test_probes_older_than_the_week_do_not_count():
    # 168 failed rounds ending 7 days before as-of are outside the window (2026-11-15 … 11-21)
    store = Store(":memory:")
    store.add_probes({"site_id": "x", "url": "http://x.test/", "kind": "homepage", "round": str(i),
                      "at": (datetime(2026, 11, 14, 23, 0) - timedelta(hours=i)).isoformat(sep=" "),
                      "status": 503, "error": None, "elapsed_ms": 5, "ok": 0} for i in range(168))
    rounds = store.probe_rounds("x", *reachability.probe_window(AS_OF, RULES))
    assert rounds == []
    assert len(store.probe_rounds("x", *reachability.probe_window(date(2026, 11, 14), RULES))) == 168


def test_a_round_fails_when_the_entry_fails():
    store = Store(":memory:")
    rows = [{"site_id": "x", "url": u, "kind": k, "round": "r1", "at": "2026-11-20 10:00:00",
             "status": s, "error": None, "elapsed_ms": 5, "ok": int(s < 500)}
            for u, k, s in (("http://x.test/", "homepage", 200), ("http://x.test/xxgk/", "entry", 502))]
    store.add_probes(rows)
    [r] = store.probe_rounds("x", "2026-11-20 00:00:00", "2026-11-21 00:00:00")
    assert (r["ok"], r["urls"]) == (0, 2) and "xxgk/  HTTP 502" in r["errors"]


def test_the_limit_is_15_seconds_by_default():
    from xxgk.probe import ProbeConfig

    assert LIMIT_SECONDS == 15 and ProbeConfig.from_mapping({}).timeout == 15
    assert RULES.probe_timeout_seconds == 15 and RULES.probe_min_count == 140
    assert ProbeConfig.from_mapping({}).per_day >= 20


def test_slow_portal_fails_the_limit_scaled():
    # The 15 s limit scaled to 1.5 s: a portal answering in 16 s (1.6 s) fails, one in 7.5 s passes.
    limit = 1.5
    with FlakyPortal(delay=limit * 16 / 15) as slow, FlakyPortal(delay=limit / 2) as fine:
        records = probe_round([Target.of("slow", slow.url), Target.of("fine", fine.url)], limit=limit)
    by_site = {r.site_id: r for r in records}
    assert (by_site["slow"].ok, by_site["slow"].error, by_site["slow"].status) == (0, "timeout", None)
    assert by_site["slow"].elapsed_ms < 1500 + 1000            # cut at the limit, not waited out
    assert (by_site["fine"].ok, by_site["fine"].status) == (1, 200)


def test_limit_covers_the_whole_get_not_each_read():
    # Headers at once, then 16 bytes every 0.2 s: each read is quick, the page takes ~3 s.
    with FlakyPortal(trickle=0.2) as trickling:
        [r] = probe_round([Target.of("t", trickling.url)], limit=1.0)
    assert (r.ok, r.error) == (0, "timeout")


def test_nothing_listening_and_bad_dns_fail():
    with FlakyPortal() as p:
        url = p.url
    records = probe_round([Target.of("closed", url), Target.of("nodns", "http://xxgk-probe-test.invalid/")],
                          limit=5)
    assert {r.site_id: (r.ok, r.error) for r in records} == {"closed": (0, "refused"), "nodns": (0, "dns")}


def test_spread_offsets_are_stable_and_inside_the_window():
    from crawler.probe import offset

    values = [offset(f"site{i}", 1800) for i in range(500)]
    assert all(0 <= v < 1800 for v in values) and values == [offset(f"site{i}", 1800) for i in range(500)]
    assert max(values) - min(values) > 1500          # spread over the window, not bunched


# --- the prober: job store, restart, lock --------------------------------------------------

def _seeds(tmp_path, portal: FlakyPortal, probe: str = "") -> str:
    path = tmp_path / "seeds.yaml"
    path.write_text(f"{probe}portals:\n  - id: songling\n    url: {portal.url}\n    entry: {portal.entry}\n",
                    encoding="utf-8")
    return str(path)


def _serve_once(seeds: str, db: str, jobs: list) -> None:
    from xxgk.probe import PROBE_JOB_ID, ProbeConfig, serve

    stop = threading.Event()

    def ready(scheduler):
        jobs.append([(j.id, j.next_run_time) for j in scheduler.get_jobs()])

    thread = threading.Thread(target=serve, args=(seeds, db, ProbeConfig(every=3600)),
                              kwargs={"stop": stop, "on_ready": ready}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    store = Store(db)
    while time.monotonic() < deadline:
        if len(jobs) > 1:          # a restart does not probe at once: the stored next time is kept
            time.sleep(3)
            break
        if store.db["probes"].exists() and store.db.execute("select count(*) from probes").fetchone()[0]:
            break
        time.sleep(0.2)
    store.close()
    stop.set()
    thread.join(60)
    assert not thread.is_alive()
    assert jobs[-1] and {j for j, _ in jobs[-1]} == {PROBE_JOB_ID}


def test_restart_keeps_one_job_and_the_history(tmp_path):
    db = str(tmp_path / "xxgk.db")
    with FlakyPortal() as portal:
        seeds = _seeds(tmp_path, portal)
        jobs: list = []
        _serve_once(seeds, db, jobs)          # first start: the job runs a round at once
        first = Store(db).rows("probes")
        assert len(first) == 2 and {r["kind"] for r in first} == {"homepage", "entry"}
        _serve_once(seeds, db, jobs)          # restart
    # the restarted job is the stored one: its next run is an interval after the first round
    assert len(jobs[1]) == 1 and jobs[1][0][1] - jobs[0][0][1] >= timedelta(minutes=59)
    assert Store(db).rows("probes") == first      # history kept, no second round on restart
    assert (tmp_path / "xxgk.db.probe.sqlite").exists()


def test_second_prober_on_the_same_database_exits_4(tmp_path):
    db = str(tmp_path / "xxgk.db")
    with FlakyPortal() as portal:
        seeds = _seeds(tmp_path, portal)
        first = subprocess.Popen([sys.executable, "-m", "xxgk", "probe", "--seeds", seeds, "--db", db],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not portal.paths:
                time.sleep(0.2)
            assert portal.paths, "the first prober never probed"
            second = run_xxgk("probe", "--seeds", seeds, "--db", db, timeout=60)
            once = run_xxgk("probe", "--seeds", seeds, "--db", db, "--once", timeout=60)
        finally:
            first.terminate()
            out, err = first.communicate(timeout=60)
    assert second.returncode == 4 and "可用性监测器" in second.stderr and "Traceback" not in second.stderr
    assert once.returncode == 4
    assert first.returncode == 0, err[-2000:]


def test_once_probes_and_reports(tmp_path):
    db = str(tmp_path / "xxgk.db")
    with FlakyPortal(down=lambda n: True) as portal:
        seeds = _seeds(tmp_path, portal)
        proc = run_xxgk("probe", "--seeds", seeds, "--db", db, "--once", "--json", timeout=60)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["sites"], summary["probes"], summary["failed"]) == (1, 2, 1)
    assert "HTTP 503" in summary["failures"][0]


def test_bad_probe_settings_are_one_line_errors(tmp_path):
    with FlakyPortal() as portal:
        seeds = _seeds(tmp_path, portal, probe="probe:\n  every: soon\n")
        proc = run_xxgk("probe", "--seeds", seeds, "--db", str(tmp_path / "x.db"), "--once", timeout=60)
        other = _seeds(tmp_path, portal, probe="probe:\n  evry: 60m\n")
        typo = run_xxgk("probe", "--seeds", other, "--db", str(tmp_path / "x.db"), "--once", timeout=60)
    assert proc.returncode == 1 and "probe.every" in proc.stderr and "Traceback" not in proc.stderr
    assert typo.returncode == 1 and "evry" in typo.stderr


def test_schedule_runs_the_probes_and_holds_the_probe_lock(tmp_path):
    from xxgk.probe import PROBE_JOB_ID
    from xxgk.schedule import JOB_ID, serve

    db = str(tmp_path / "xxgk.db")
    with FlakyPortal() as portal:
        seeds = _seeds(tmp_path, portal, probe="probe:\n  every: 60m\n  in_schedule: true\n")
        stop, jobs = threading.Event(), []
        thread = threading.Thread(target=serve, args=(seeds, db), daemon=True,
                                  kwargs={"stop": stop, "on_ready": lambda s: jobs.extend(
                                      j.id for j in s.get_jobs())})
        thread.start()
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and not portal.paths:
                time.sleep(0.2)
            refused = run_xxgk("probe", "--seeds", seeds, "--db", db, "--once", timeout=60)
        finally:
            stop.set()
            thread.join(60)
    assert set(jobs) == {JOB_ID, PROBE_JOB_ID}
    assert portal.paths.count("/") >= 1 and refused.returncode == 4


def test_failed_crawl_is_a_deduct_until_a_week_of_probes_says_down(tmp_path):
    # A portal where nothing listens: the crawl fails; without probes that is site_down_at_crawl,
    # after a week of hourly probes (all refused) it is the site_unreachable veto.
    with FlakyPortal() as gone:
        url = gone.url
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text(f"portals:\n  - id: gone\n    name: 白水镇人民政府\n    url: {url}\n", encoding="utf-8")
    db = str(tmp_path / "xxgk.db")
    crawl = run_xxgk("crawl", "--seeds", str(seeds), "--db", db, "--delay", "0", "--no-progress",
                     timeout=240)
    assert crawl.returncode == 3, crawl.stderr[-2000:]
    before = json.loads(run_xxgk("audit", "--db", db, "--as-of", AS_OF.isoformat(), "--format", "json",
                                 check=True).stdout)
    [f] = before["findings"]
    assert (f["check"], f["severity"]) == ("site_down_at_crawl", "deduct") and "没有可用性监测记录" in f["detail"]
    assert before["sites"][0]["vetoes"] == []
    store = Store(db)
    clock = Clock(WEEK_START)
    for _ in range(7 * 24):
        store.add_probes(r.as_row() for r in probe_round([Target.of("gone", url)], clock=clock, limit=5))
        clock.now += timedelta(hours=1)
    store.close()
    after = json.loads(run_xxgk("audit", "--db", db, "--as-of", AS_OF.isoformat(), "--format", "json",
                                check=True).stdout)
    [g] = after["findings"]
    assert (g["check"], g["severity"]) == ("site_unreachable", "veto") and "连接被拒绝" in g["detail"]
    site = after["sites"][0]
    assert (site["site"], site["url"], site["verdict"], site["vetoes"]) == ("gone", url, "不合格", ["site_unreachable"])
    table = run_xxgk("audit", "--db", db, "--as-of", AS_OF.isoformat(), check=True).stdout
    assert "按国办秘函〔2019〕19号，监测1周、每天20次以上" in table and "gone 0%（168次）" in table


def test_audit_table_says_when_probes_are_too_few():
    store = Store(":memory:")
    _crawled(store, "few", "http://few.test/")
    store.add_probes({"site_id": "few", "url": "http://few.test/", "kind": "homepage", "round": str(i),
                      "at": f"2026-11-21 {i:02d}:00:00", "status": 503, "error": None, "elapsed_ms": 5,
                      "ok": 0} for i in range(10))
    result = audit(store, AS_OF)
    assert result.sites[0].findings == []          # 10 failed probes are no measurement
    assert "few 0%（10次，不足140次，未作判断）" in result.render_table(width=120)
