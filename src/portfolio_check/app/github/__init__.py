"""GitHub: the pull-request check (`check`), the REST client (`api`) and the checked shapes
of its answers (`answers`), the comment's marker (`comment`) and the fork relay (`relay`)."""

from __future__ import annotations
