"""Incident metrics over a store or a time range, drills left out
(incident/metrics.h, MET-1)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Union

from . import _lib
from ._handle import ContextPart
from ._time import to_ms
from .enums import Metric
from .errors import make_error


if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True)
class MetricStat:
    """One duration figure (inc_metric_stat); None when over no incident."""

    incidents: int
    mean: Optional[timedelta]
    median: Optional[timedelta]  # the lower middle value
    min: Optional[timedelta]
    max: Optional[timedelta]


@dataclass(frozen=True)
class ActionsMetric:
    """Action items completed on time (inc_metrics_actions, target > 90%)."""

    incidents: int
    items: int
    on_time: int
    late: int
    pending: int
    cancelled: int
    rate: float
    target_met: bool


@dataclass(frozen=True)
class RecurrenceMetric:
    """Recurrence by root-cause tag (inc_metrics_recurrence, target < 10%)."""

    incidents: int
    tagged: int
    recurring: int
    untagged: int
    rate: float
    target_met: bool
    linked: int = 0  # linked as a recurrence (LIFE-5), all counted as recurring


@dataclass(frozen=True)
class ReopenMetric:
    """Reopenings after resolution (inc_metrics_reopens, LIFE-4)."""

    resolved: int
    reopened: int
    reopens: int
    rate: float


@dataclass(frozen=True)
class Metrics:
    """Metrics of a context's store (inc_metrics), copied out of the library.
    ``levels`` are (level, incidents) in the rubric's order; ``stats`` maps
    (Metric, level name or None for all levels) to a :class:`MetricStat`;
    ``tags`` are (tag, incidents, recurring); ``pages`` are (person, pages,
    incidents), most paged first."""

    incident_count: int
    drill_count: int
    duplicate_count: int  # LIFE-5: counted with their primary
    levels: List[Tuple[str, int]]
    stats: Dict[Tuple[Metric, Optional[str]], MetricStat]
    actions: ActionsMetric
    recurrence: RecurrenceMetric
    reopens: ReopenMetric
    tags: List[Tuple[str, int, int]]
    pages: List[Tuple[str, int, int]]
    text: str
    json: str

    def stat(self, metric: Union[Metric, str], level: Optional[str] = None) -> MetricStat:
        """The figure of ``metric`` (a Metric or its name, "mttr") over all
        levels, or over one level (by name); KeyError for an unknown level."""
        if isinstance(metric, str):
            matches = [m for m in Metric if str(m) == metric.lower()]
            if not matches:
                raise make_error(-4, "no metric named %r" % (metric,))
            metric = matches[0]
        return self.stats[(Metric(metric), level)]


def _ms(value: int) -> Optional[timedelta]:
    return None if value == _lib.DURATION_NONE else timedelta(milliseconds=value)


def _stat(lib: Any, m: Optional[int], metric: Metric, level: int) -> MetricStat:
    s = _lib.MetricStat()
    rc = lib.inc_metrics_get_stat(m, int(metric), level, ctypes.byref(s))
    if rc != 0:
        raise make_error(rc)
    return MetricStat(s.incidents, _ms(s.mean_ms), _ms(s.median_ms), _ms(s.min_ms), _ms(s.max_ms))


def _named_counts(
    lib: Any, m: Optional[int], count_fn: Any, get_fn: Any, two: bool
) -> List[Tuple[Any, ...]]:
    out: List[Tuple[Any, ...]] = []
    a, b = ctypes.c_size_t(), ctypes.c_size_t()
    for i in range(count_fn(m)):
        if two:
            name = get_fn(m, i, ctypes.byref(a), ctypes.byref(b))
            out.append((_lib.decode(name), a.value, b.value))
        else:
            name = get_fn(m, i, ctypes.byref(a))
            out.append((_lib.decode(name), a.value))
    return out


def _triples(rows: List[Tuple[Any, ...]]) -> List[Tuple[str, int, int]]:
    return [(str(name), int(a), int(b)) for name, a, b in rows]


def _render(fn: Any, m: Optional[int]) -> str:
    out = ctypes.c_void_p()
    length = ctypes.c_size_t()
    rc = fn(m, ctypes.byref(out), ctypes.byref(length))
    if rc != 0:
        raise make_error(rc)
    return _lib.take_string(out.value, length.value)


def _copy_metrics(lib: Any, m: Optional[int]) -> Metrics:
    levels = _named_counts(lib, m, lib.inc_metrics_level_count, lib.inc_metrics_level, False)
    stats: Dict[Tuple[Metric, Optional[str]], MetricStat] = {}
    for metric in Metric:
        stats[(metric, None)] = _stat(lib, m, metric, _lib.METRICS_ALL_LEVELS)
        for index, (name, _) in enumerate(levels):
            stats[(metric, name)] = _stat(lib, m, metric, index)
    act = _lib.MetricsActions()
    rec = _lib.MetricsRecurrence()
    reo = _lib.MetricsReopens()
    for fn, struct in ((lib.inc_metrics_get_actions, act), (lib.inc_metrics_get_recurrence, rec),
                       (lib.inc_metrics_get_reopens, reo)):
        rc = fn(m, ctypes.byref(struct))
        if rc != 0:
            raise make_error(rc)
    return Metrics(
        incident_count=lib.inc_metrics_incident_count(m),
        drill_count=lib.inc_metrics_drill_count(m),
        duplicate_count=int(lib.inc_metrics_duplicate_count(m)),
        levels=[(str(name), int(count)) for name, count in levels],
        stats=stats,
        actions=ActionsMetric(act.incidents, act.items, act.on_time, act.late, act.pending,
                              act.cancelled, act.rate, bool(act.target_met)),
        recurrence=RecurrenceMetric(rec.incidents, rec.tagged, rec.recurring, rec.untagged,
                                    rec.rate, bool(rec.target_met),
                                    int(lib.inc_metrics_recurrence_linked(m))),
        reopens=ReopenMetric(reo.resolved, reo.reopened, reo.reopens, reo.rate),
        tags=_triples(_named_counts(lib, m, lib.inc_metrics_tag_count, lib.inc_metrics_tag, True)),
        pages=_triples(
            _named_counts(lib, m, lib.inc_metrics_person_count, lib.inc_metrics_person, True)
        ),
        text=_render(lib.inc_metrics_render_text, m),
        json=_render(lib.inc_metrics_render_json, m),
    )


class MetricsContextMixin(ContextPart):
    """The metrics method of :class:`Context`."""

    def metrics(
        self,
        *,
        start: Optional[datetime] = None,
        end: Optional[datetime] = None,
        now: Optional[datetime] = None,
    ) -> Metrics:
        """Metrics of the incidents of the store declared in [start, end)
        (default: all), drills counted apart (MET-1; inc_metrics_compute);
        open action items are judged at ``now`` (default the context's
        clock). A :class:`Metrics`."""
        opts = _lib.init_struct(_lib.MetricsOptions, "inc_metrics_options_init",
                                _lib.METRICS_OPTIONS_VERSION)
        opts.from_ = to_ms(start, "start")
        opts.to = to_ms(end, "end")
        opts.now = to_ms(now, "now")
        out = ctypes.c_void_p()
        with self._lock:
            self._after(self._clib.inc_metrics_compute(self._handle(), ctypes.byref(opts),
                                                       ctypes.byref(out)))
        try:
            return _copy_metrics(self._clib, out.value)
        finally:
            self._clib.inc_metrics_free(out.value)
