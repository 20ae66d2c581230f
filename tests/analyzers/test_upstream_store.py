"""The upstream index kept decoded in the analysis cache (analyzers/upstream_store.py): it
answers every lookup exactly as the packaged index decoded in full does, a damaged or
foreign kept form is never used (it is decoded again and rewritten), and a scan gives the
same report whether the index came from the packaged files or from the cache."""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portfolio_check.analyzers import provenance, upstream_index, upstream_store
from portfolio_check.analyzers.cache import AnalysisCache
from portfolio_check.analyzers.fingerprints import fingerprint
from portfolio_check.analyzers.pipeline import analyze
from portfolio_check.analyzers.upstream_index import (
    UPSTREAMS_DIR,
    UpstreamIndex,
    content_digest,
    load_index,
)
from portfolio_check.analyzers.upstream_store import keep, load, read_kept, store_folder
from portfolio_check.intake.sources import open_target
from portfolio_check.model.facts import Facts
from tests.repos import RepoBuilder
from tests.upstreams import (
    OWN_CODE,
    STARTER_FILES,
    STARTER_MODEL,
    starter_upstream,
    template_upstream,
    write_index,
)

ENTRY_POINT = Path(sys.executable).parent / "portfolio-check"
LEARNER_MODEL = STARTER_MODEL.replace("X_train", "features").replace("y_train", "labels")


@pytest.fixture(autouse=True)
def _each_test_reads_its_index_afresh() -> Iterator[None]:
    provenance._index_in.cache_clear()  # the index is kept per process: not across tests
    yield
    provenance._index_in.cache_clear()


@pytest.fixture
def small_index(tmp_path: Path) -> Path:
    return write_index(tmp_path / "index", [starter_upstream(), template_upstream()])


def kept_file(store: Path, folder: Path) -> Path:
    (path,) = store.glob(f"{content_digest(folder)}.index")
    return path


def assert_same_answers(kept: UpstreamIndex, full: UpstreamIndex, seed: int = 17) -> None:
    """Every part of the index, and the lookups a scan makes, as the full decode has them."""
    assert full and kept
    assert kept.upstreams == full.upstreams
    assert list(kept.files) == list(full.files)
    assert kept.boilerplate == full.boilerplate
    assert (kept.digest, kept.gram_count) == (full.digest, full.gram_count)
    assert kept.pairs == full.pairs
    for indexed in full.files:
        assert kept.by_exact(indexed.exact) == full.by_exact(indexed.exact)
    grams, owners = full.pairs
    by_file: dict[int, set[int]] = {}
    for gram, owner in zip(grams, owners, strict=True):
        by_file.setdefault(owner, set()).add(gram)
    chosen = random.Random(seed).sample(sorted(by_file), min(40, len(by_file)))
    for number in chosen:  # a file's own grams, half of them, and some no index holds
        own = by_file[number]
        half = set(sorted(own)[::2])
        for query in (own, half, half | {1, 2, 3}):
            assert kept.near(query) == full.near(query)
            assert kept.near(query, limit=2) == full.near(query, limit=2)
    for path, text in (("model.py", LEARNER_MODEL), ("mine.py", OWN_CODE)):
        found = fingerprint(path, text)
        assert found is not None
        assert kept.by_exact(found.exact) == full.by_exact(found.exact)
        assert kept.near(found.grams - full.boilerplate) == full.near(
            found.grams - full.boilerplate
        )


def test_the_shipped_index_kept_decoded_answers_as_the_full_decode(tmp_path: Path) -> None:
    store = tmp_path / "store"
    full = load_index(UPSTREAMS_DIR)
    assert_same_answers(load(UPSTREAMS_DIR, store), full)  # decoded, then kept
    kept = read_kept(store, content_digest(UPSTREAMS_DIR))
    assert kept is not None
    assert_same_answers(kept, full)
    assert_same_answers(load(UPSTREAMS_DIR, store), full)


def test_a_small_index_kept_decoded_answers_as_the_full_decode(
    tmp_path: Path, small_index: Path
) -> None:
    store = tmp_path / "store"
    load(small_index, store)
    kept = read_kept(store, content_digest(small_index))
    assert kept is not None
    full = load_index(small_index)
    assert_same_answers(kept, full)
    found = fingerprint("src/census/classifier.py", LEARNER_MODEL)
    assert found is not None
    (best, shared), *_ = kept.near(found.grams)
    assert (best.path, shared) == ("ml/model.py", full.near(found.grams)[0][1])


def test_the_kept_file_is_plain_data_private_to_the_user(tmp_path: Path, small_index: Path) -> None:
    store = tmp_path / "store"
    load(small_index, store)
    path = kept_file(store, small_index)
    assert path.read_bytes().startswith(upstream_store.MAGIC)
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in store.iterdir()] == [path.name]  # no temporary file left


def flip(offset: int) -> Callable[[bytes], bytes]:
    """One bit changed at `offset` (from the end when negative)."""

    def damage(data: bytes) -> bytes:
        at = offset % len(data)
        return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]

    return damage


def flip_a_gram(data: bytes) -> bytes:
    """One bit of the last k-gram changed (the file numbers, 4 bytes each, come after)."""
    (pairs,) = struct.unpack_from("<Q", data, 24)
    return flip(len(data) - 4 * pairs - 1)(data)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut in half"),
        pytest.param(lambda data: data[:-1], id="one byte short"),
        pytest.param(lambda data: data + b"\0", id="one byte too many"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[:20], id="a header only"),
        pytest.param(flip(-3), id="a file number changed"),
        pytest.param(flip_a_gram, id="a k-gram changed"),
        pytest.param(flip(200), id="the description changed"),
        pytest.param(lambda data: data.replace(b"ml/model.py", b"ml/modem.py"), id="a path"),
        pytest.param(flip(9), id="another store version"),
        pytest.param(lambda data: b"x" * len(data), id="garbage"),
    ],
)
def test_a_damaged_kept_index_is_not_used_and_is_rewritten(
    tmp_path: Path, small_index: Path, damage: Callable[[bytes], bytes]
) -> None:
    store = tmp_path / "store"
    load(small_index, store)
    path = kept_file(store, small_index)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert read_kept(store, content_digest(small_index)) is None
    assert_same_answers(load(small_index, store), load_index(small_index))
    assert path.read_bytes() == good  # rewritten whole


def test_a_kept_index_larger_than_any_index_is_not_read(
    tmp_path: Path, small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    load(small_index, store)
    size = kept_file(store, small_index).stat().st_size
    monkeypatch.setattr(upstream_store, "MAX_STORED_BYTES", size - 1)
    assert read_kept(store, content_digest(small_index)) is None
    monkeypatch.setattr(upstream_store, "MAX_STORED_BYTES", size)
    assert read_kept(store, content_digest(small_index)) is not None


def test_another_index_kept_under_this_ones_name_is_not_used(
    tmp_path: Path, small_index: Path
) -> None:
    store = tmp_path / "store"
    other = write_index(tmp_path / "other", [template_upstream()])
    load(other, store)
    # the other index's decoded form, put where this index's would be
    kept_file(store, other).rename(store / f"{content_digest(small_index)}.index")
    assert read_kept(store, content_digest(small_index)) is None
    assert_same_answers(load(small_index, store), load_index(small_index))


def test_an_index_changed_while_it_is_read_is_not_kept_under_the_old_name(
    tmp_path: Path, small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    other = write_index(tmp_path / "other", [template_upstream()])
    before = content_digest(other)  # what the folder held when it was hashed
    monkeypatch.setattr(upstream_store, "content_digest", lambda folder: before)
    assert_same_answers(load(small_index, store), load_index(small_index))
    assert list(store.glob("*.index")) == []
    monkeypatch.undo()
    assert_same_answers(load(other, store), load_index(other))


def test_a_changed_index_is_kept_under_its_own_name(tmp_path: Path) -> None:
    store = tmp_path / "store"
    folder = write_index(tmp_path / "index", [template_upstream()])
    first = load(folder, store)
    write_index(folder, [starter_upstream(), template_upstream()])  # the same folder, updated
    second = load(folder, store)
    assert_same_answers(second, load_index(folder))
    assert len(second.upstreams) == 2 and len(first.upstreams) == 1
    assert len(list(store.glob("*.index"))) == 2


def test_an_index_kept_with_other_fingerprint_parameters_is_not_used(
    tmp_path: Path, small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    load(small_index, store)
    monkeypatch.setattr(upstream_index, "WINDOW", upstream_index.WINDOW + 1)
    assert read_kept(store, content_digest(small_index)) is None
    assert not load(small_index, store)  # refused whole, as the packaged files are


def test_a_damaged_packaged_index_is_not_kept(tmp_path: Path, small_index: Path) -> None:
    store = tmp_path / "store"
    grams = small_index / upstream_index.GRAMS_FILE
    grams.write_bytes(grams.read_bytes()[:-20])
    assert not load(small_index, store)
    assert not store.exists()


def test_only_the_newest_kept_indexes_stay(tmp_path: Path, small_index: Path) -> None:
    store = tmp_path / "store"
    index = load_index(small_index)
    for number in range(upstream_store.MAX_KEPT + 2):
        keep(store, f"{number:064x}", index)
        os.utime(store / f"{number:064x}.index", (number, number))
    names = sorted(path.name for path in store.glob("*.index"))
    assert names == [f"{n:064x}.index" for n in range(2, upstream_store.MAX_KEPT + 2)]


def test_a_store_that_cannot_be_written_is_no_error(tmp_path: Path, small_index: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    assert_same_answers(load(small_index, blocked / "store"), load_index(small_index))


# through a scan ------------------------------------------------------------------------------
def copied_starter(root: Path) -> Path:
    files = {**STARTER_FILES, "src/census/classifier.py": LEARNER_MODEL, "mine.py": OWN_CODE}
    return RepoBuilder(root).files(files).commit("Add files via upload").root


def test_a_rescan_takes_the_index_from_the_cache_and_never_decodes_it_again(
    tmp_path: Path, small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(provenance.INDEX_VARIABLE, str(small_index))
    repo = copied_starter(tmp_path / "repo")
    cache = tmp_path / "cache"
    cold = analyze(open_target(repo), cache=AnalysisCache(cache))
    assert cold.of("copied_file") and (store_folder(cache) / kept_name(small_index)).exists()
    provenance._index_in.cache_clear()  # as in the next process

    def refused(*_: object) -> UpstreamIndex:
        raise AssertionError("the packaged index decoded again")

    monkeypatch.setattr(upstream_store, "index_from", refused)
    drop_all_but_the_kept_index(cache)  # every file analysed again
    warm = analyze(open_target(repo), cache=AnalysisCache(cache))
    assert list(warm) == list(cold)
    provenance._index_in.cache_clear()
    again = analyze(open_target(repo), cache=AnalysisCache(cache))  # every file cached
    assert list(again) == list(cold)


def test_a_rescan_with_every_file_cached_and_no_copies_reads_no_index(
    tmp_path: Path, small_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(provenance.INDEX_VARIABLE, str(small_index))
    repo = RepoBuilder(tmp_path / "repo").files({"mine.py": OWN_CODE}).commit("Mine").root
    cache = tmp_path / "cache"
    cold = analyze(open_target(repo), cache=AnalysisCache(cache))
    provenance._index_in.cache_clear()

    def refused(*_: object) -> UpstreamIndex:
        raise AssertionError("the index was read")

    for reader in ("read_kept_index", "read_index", "upstream_index"):
        monkeypatch.setattr(provenance, reader, refused)
    warm: Facts = analyze(open_target(repo), cache=AnalysisCache(cache))
    assert list(warm) == list(cold) and warm.of("own_file")


def kept_name(folder: Path) -> str:
    return f"{content_digest(folder)}{upstream_store.SUFFIX}"


def drop_all_but_the_kept_index(analysis: Path) -> None:
    for path in analysis.iterdir():
        if path.name != upstream_store.FOLDER:
            shutil.rmtree(path)


def scan_json(repo: Path, index: Path, cache: Path, *options: str) -> bytes:
    report = cache.parent / "report.json"
    done = subprocess.run(
        [str(ENTRY_POINT), str(repo), "-f", "json", "-o", str(report), *options],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "NO_COLOR": "1",
            "XDG_CACHE_HOME": str(cache),
            provenance.INDEX_VARIABLE: str(index),
        },
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return report.read_bytes()


def test_the_report_is_the_same_from_the_packaged_the_kept_and_a_damaged_kept_index(
    tmp_path: Path, small_index: Path
) -> None:
    assert ENTRY_POINT.exists(), f"portfolio-check is not installed next to {sys.executable}"
    repo = copied_starter(tmp_path / "repo")
    cache = tmp_path / "xdg"
    uncached = scan_json(repo, small_index, cache, "--no-cache")
    assert not cache.exists()  # --no-cache keeps no decoded index either
    assert b"coursera-demo/census-fastapi-starter" in uncached  # the copies are reported
    assert scan_json(repo, small_index, cache) == uncached  # the index decoded, then kept
    analysis = cache / "portfolio-check" / "analysis"
    kept = store_folder(analysis) / kept_name(small_index)
    good = kept.read_bytes()
    drop_all_but_the_kept_index(analysis)  # every file analysed again, from the kept index
    assert scan_json(repo, small_index, cache) == uncached
    for damaged in (good[:-100], flip_a_gram(good)):
        kept.write_bytes(damaged)
        drop_all_but_the_kept_index(analysis)
        assert scan_json(repo, small_index, cache) == uncached
        assert kept.read_bytes() == good
