"""From a target to a read-only Snapshot: target parsing, the only place git runs (`git_runner`,
`clone`, `sources`, `git_links`), the bounded file view (`snapshot`) and the repository's own
`.portfolio-check.yaml` (`repo_config`). Everything read here is untrusted input."""

from __future__ import annotations
