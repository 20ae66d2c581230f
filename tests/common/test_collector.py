"""The collector helpers change when the collector runs, and leave it as they found it."""

from __future__ import annotations

import gc

import pytest

from portfolio_check.common import collector


def test_paused_turns_the_collector_off_and_back_on_even_on_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    with collector.paused(False):
        assert gc.isenabled()


def test_paused_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_settled_freezes_what_lives_and_hands_it_back() -> None:
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), collector.settled():
        assert gc.get_freeze_count() > 0
        raise RuntimeError
    assert gc.get_freeze_count() == 0


def test_settled_does_not_thaw_what_someone_else_froze() -> None:
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector.settled():
            pass
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_cyclic_garbage_made_in_a_settled_block_is_still_collected() -> None:
    class Node:
        partner: object = None

    with collector.settled():
        first, second = Node(), Node()
        first.partner, second.partner = second, first
        del first, second
        assert gc.collect() >= 2
