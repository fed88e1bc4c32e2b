package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"time"
)

// Metric is a duration metric (inc_metric, MET-1).
type Metric int

// The metrics.
const (
	MetricMTTD  Metric = C.INC_METRIC_MTTD // impact started -> detected
	MetricMTTA  Metric = C.INC_METRIC_MTTA // first page -> first acknowledgement
	MetricMTTM  Metric = C.INC_METRIC_MTTM // declaration -> mitigation
	MetricMTTR  Metric = C.INC_METRIC_MTTR // detection -> resolution
	metricCount        = C.INC_METRIC_COUNT
)

// String is the stable name, such as "mttr" (inc_metric_name).
func (m Metric) String() string {
	return goStringOr(C.inc_metric_name(C.inc_metric(m)), "metric?")
}

// MetricStat is one duration figure (inc_metric_stat); the durations are
// DurationNone when it is over no incident.
type MetricStat struct {
	Incidents              int
	Mean, Median, Min, Max time.Duration
}

// ActionsMetric is the action items completed on time (inc_metrics_actions, target > 90%).
type ActionsMetric struct {
	Incidents, Items, OnTime, Late, Pending, Cancelled int
	Rate                                               float64
	TargetMet                                          bool
}

// RecurrenceMetric is recurrence by root-cause tag (inc_metrics_recurrence, target < 10%).
type RecurrenceMetric struct {
	Incidents, Tagged, Recurring, Untagged int
	Rate                                   float64
	TargetMet                              bool
	Linked                                 int // linked as a recurrence (LIFE-5; inc_metrics_recurrence_linked)
}

// ReopenMetric is reopenings after resolution (inc_metrics_reopens, LIFE-4).
type ReopenMetric struct {
	Resolved, Reopened, Reopens int
	Rate                        float64
}

// LevelCount is a level and how many incidents of the set are at it.
type LevelCount struct {
	Level     string
	Incidents int
}

// TagCount is a root-cause tag, how many incidents have it and how many of them recur.
type TagCount struct {
	Tag                  string
	Incidents, Recurring int
}

// PersonPages is how many pages reached a person, from how many incidents.
type PersonPages struct {
	Person           string
	Pages, Incidents int
}

// Metrics are the metrics of a session's store (inc_metrics), copied out
// of the library.
type Metrics struct {
	IncidentCount int
	DrillCount    int
	Duplicates    int          // LIFE-5: counted with their primary (inc_metrics_duplicate_count)
	Levels        []LevelCount // the rubric's order, then others
	All           map[Metric]MetricStat
	PerLevel      map[string]map[Metric]MetricStat
	Actions       ActionsMetric
	Recurrence    RecurrenceMetric
	Reopens       ReopenMetric
	Tags          []TagCount
	Pages         []PersonPages // most paged first
	Text          string
	JSON          []byte
}

// MetricsOptions select the incidents (inc_metrics_options): declared in
// [From, To) (zero: unbounded); Now is when open action items are judged
// (zero: the session's clock).
type MetricsOptions struct {
	From, To, Now time.Time
}

func statOf(m *C.inc_metrics, metric Metric, level C.size_t) (MetricStat, error) {
	var s C.inc_metric_stat
	if rc := C.inc_metrics_get_stat(m, C.inc_metric(metric), level, &s); rc != 0 {
		return MetricStat{}, newError(rc, "")
	}
	return MetricStat{Incidents: int(s.incidents), Mean: durFromC(s.mean_ms), Median: durFromC(s.median_ms),
		Min: durFromC(s.min_ms), Max: durFromC(s.max_ms)}, nil
}

// Metrics computes the metrics of the incidents of the store (MET-1;
// inc_metrics_compute), drills counted apart.
func (c *Session) Metrics(o MetricsOptions) (Metrics, error) {
	var co C.inc_metrics_options
	C.inc_metrics_options_init(&co, C.INC_METRICS_OPTIONS_VERSION)
	co.from, co.to, co.now = fromTime(o.From), fromTime(o.To), fromTime(o.Now)
	p, err := c.lock()
	if err != nil {
		return Metrics{}, err
	}
	var m *C.inc_metrics
	rc := C.inc_metrics_compute(p, &co, &m)
	if rc != 0 {
		err = c.fail(rc, "")
	}
	c.mu.Unlock()
	if err != nil {
		return Metrics{}, err
	}
	defer C.inc_metrics_free(m)
	return copyMetrics(m)
}

func copyMetrics(m *C.inc_metrics) (Metrics, error) {
	out := Metrics{IncidentCount: int(C.inc_metrics_incident_count(m)), DrillCount: int(C.inc_metrics_drill_count(m)),
		All: map[Metric]MetricStat{}, PerLevel: map[string]map[Metric]MetricStat{}}
	var a, b C.size_t
	for i := 0; i < int(C.inc_metrics_level_count(m)); i++ {
		name := goStringOr(C.inc_metrics_level(m, C.size_t(i), &a), "")
		out.Levels = append(out.Levels, LevelCount{name, int(a)})
		out.PerLevel[name] = map[Metric]MetricStat{}
	}
	for metric := Metric(0); metric < metricCount; metric++ {
		s, err := statOf(m, metric, C.INC_METRICS_ALL_LEVELS)
		if err != nil {
			return Metrics{}, err
		}
		out.All[metric] = s
		for i, l := range out.Levels {
			if out.PerLevel[l.Level][metric], err = statOf(m, metric, C.size_t(i)); err != nil {
				return Metrics{}, err
			}
		}
	}
	var act C.inc_metrics_actions
	var rec C.inc_metrics_recurrence
	if rc := C.inc_metrics_get_actions(m, &act); rc != 0 {
		return Metrics{}, newError(rc, "")
	}
	if rc := C.inc_metrics_get_recurrence(m, &rec); rc != 0 {
		return Metrics{}, newError(rc, "")
	}
	var reo C.inc_metrics_reopens
	if rc := C.inc_metrics_get_reopens(m, &reo); rc != 0 {
		return Metrics{}, newError(rc, "")
	}
	out.Reopens = ReopenMetric{Resolved: int(reo.resolved), Reopened: int(reo.reopened),
		Reopens: int(reo.reopens), Rate: float64(reo.rate)}
	out.Actions = ActionsMetric{Incidents: int(act.incidents), Items: int(act.items), OnTime: int(act.on_time),
		Late: int(act.late), Pending: int(act.pending), Cancelled: int(act.cancelled), Rate: float64(act.rate),
		TargetMet: act.target_met != 0}
	out.Recurrence = RecurrenceMetric{Incidents: int(rec.incidents), Tagged: int(rec.tagged),
		Recurring: int(rec.recurring), Untagged: int(rec.untagged), Rate: float64(rec.rate), TargetMet: rec.target_met != 0,
		Linked: int(C.inc_metrics_recurrence_linked(m))}
	out.Duplicates = int(C.inc_metrics_duplicate_count(m))
	for i := 0; i < int(C.inc_metrics_tag_count(m)); i++ {
		tag := goStringOr(C.inc_metrics_tag(m, C.size_t(i), &a, &b), "")
		out.Tags = append(out.Tags, TagCount{tag, int(a), int(b)})
	}
	for i := 0; i < int(C.inc_metrics_person_count(m)); i++ {
		who := goStringOr(C.inc_metrics_person(m, C.size_t(i), &a, &b), "")
		out.Pages = append(out.Pages, PersonPages{who, int(a), int(b)})
	}
	var text, doc *C.char
	var tn, dn C.size_t
	if rc := C.inc_metrics_render_text(m, &text, &tn); rc != 0 {
		return Metrics{}, newError(rc, "")
	}
	out.Text = takeString(text, tn)
	if rc := C.inc_metrics_render_json(m, &doc, &dn); rc != 0 {
		return Metrics{}, newError(rc, "")
	}
	out.JSON = []byte(takeString(doc, dn))
	return out, nil
}
