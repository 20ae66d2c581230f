"""The one atomic write: a planted symlink is replaced, modes, error text, a FIFO written through."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from portfolio_check.common.atomic_files import (
    is_device,
    new_file_mode,
    write_atomic,
    write_through,
)
from portfolio_check.common.errors import PortfolioCheckError


def test_a_planted_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    link = tmp_path / "report.html"
    link.symlink_to(outside)
    write_atomic(link, "new", durable=True)
    assert not link.is_symlink() and link.read_text() == "new"
    assert outside.read_text() == "keep me"


def test_a_new_file_gets_the_umask_mode_and_a_given_mode_wins(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        assert new_file_mode() == 0o640
        write_atomic(tmp_path / "a.txt", "a")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o640
    write_atomic(tmp_path / "b.json", b"{}", mode=0o600)
    assert stat.S_IMODE((tmp_path / "b.json").stat().st_mode) == 0o600
    assert (tmp_path / "b.json").read_bytes() == b"{}"


def test_a_failure_is_one_line_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "folder"
    target.mkdir()
    with pytest.raises(PortfolioCheckError, match=r"folder: cannot write the report \("):
        write_atomic(target, "x", what="the report")
    assert [p.name for p in tmp_path.iterdir()] == ["folder"]


def test_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert is_device(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_through(fifo, "report")
    reader.join()
    assert received == ["report"] and stat.S_ISFIFO(fifo.stat().st_mode)
