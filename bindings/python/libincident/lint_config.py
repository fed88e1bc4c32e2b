"""A team's own words for the text lints (include/incident/lint_config.h,
lib/docs/lint-config.md): service names, vague phrases, hedges, promise
phrases, symptoms, and findings switched off."""

from __future__ import annotations

import ctypes
from typing import Optional, Union

from . import _lib
from ._handle import Handle
from .errors import make_error


class LintConfig(Handle):
    """A parsed lint configuration; pass it as ``config=`` to
    :func:`update_lint`, :func:`can_lint` and :func:`postmortem_lint`.
    Read-only once parsed, so one object may serve many threads."""

    _kind = "lint config"

    def __init__(self, *, _ptr: int) -> None:
        super().__init__(_ptr)

    def _free(self, ptr: int) -> None:
        self._clib.inc_lint_config_free(ptr)

    @classmethod
    def parse(cls, text: Union[str, bytes]) -> "LintConfig":
        """Parse the text format (inc_lint_config_parse). Nothing is created
        on error: raises ParseError or InvalidError with ``line`` and
        ``offset``."""
        data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
        out = ctypes.c_void_p()
        diag = _lib.Diag()
        rc = _lib.lib.inc_lint_config_parse(None, data, len(data), ctypes.byref(out),
                                            ctypes.byref(diag))
        if rc != 0:
            raise make_error(rc, _lib.decode(diag.message) or None, line=diag.line,
                             offset=diag.offset)
        return cls(_ptr=int(out.value or 0))


def config_ptr(config: Optional[LintConfig]) -> Optional[int]:
    """The C handle of an optional LintConfig (None for no configuration)."""
    if config is None:
        return None
    if not isinstance(config, LintConfig):
        raise TypeError("config: a LintConfig or None")
    return config._handle()
