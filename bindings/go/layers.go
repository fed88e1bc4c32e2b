package incident

// #include <stdlib.h>
// #include <incident.h>
import "C"

import (
	"time"
)

// Weekday sets for AddLayerWindow (bit 0 = Sunday).
const (
	WeekdaysAll    = uint(C.INC_WEEKDAYS_ALL)
	WeekdaysMonFri = uint(C.INC_WEEKDAYS_MON_FRI)
)

// AddLayer adds a layer of the primary (ONC-6; inc_rotation_add_layer): its
// people rotate with the shifts inside its weekly windows, in zone ("" for
// the rotation's); the layer added last wins. It returns the layer's index.
func (r *Rotation) AddLayer(name, zone string) (int, error) {
	n, z := C.CString(name), cstr(zone, true)
	defer func() { free(n); free(z) }()
	var index C.size_t
	err := r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_add_layer(p, n, z, &index) })
	return int(index), err
}

// AddLayerPerson appends a person to a layer's order (inc_rotation_add_layer_person).
func (r *Rotation) AddLayerPerson(layer int, person string) error {
	cp := C.CString(person)
	defer free(cp)
	return r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_add_layer_person(p, C.size_t(layer), cp) })
}

// AddLayerWindow restricts a layer to days (bit 0 = Sunday) from startMin
// to endMin minutes after local midnight; an end not after the start ends
// the next day (inc_rotation_add_layer_window).
func (r *Rotation) AddLayerWindow(layer int, days uint, startMin, endMin int) error {
	return r.call(func(p *C.inc_rotation) C.int {
		return C.inc_rotation_add_layer_window(p, C.size_t(layer), C.unsigned(days), C.unsigned(startMin), C.unsigned(endMin))
	})
}

// SetLayerDates limits a layer to the local dates from .. until
// ("YYYY-MM-DD", "" for open); CodeInvalid for a layer that ends before it
// starts (inc_rotation_set_layer_dates).
func (r *Rotation) SetLayerDates(layer int, from, until string) error {
	f, u := cstr(from, true), cstr(until, true)
	defer func() { free(f); free(u) }()
	return r.call(func(p *C.inc_rotation) C.int { return C.inc_rotation_set_layer_dates(p, C.size_t(layer), f, u) })
}

// Layers are the layers' names, lowest first (inc_rotation_layer_count,
// inc_rotation_layer_name).
func (r *Rotation) Layers() []string {
	p, err := r.lock()
	if err != nil {
		return nil
	}
	defer r.ctx.mu.Unlock()
	var out []string
	for i := 0; i < int(C.inc_rotation_layer_count(p)); i++ {
		out = append(out, goStringOr(C.inc_rotation_layer_name(p, C.size_t(i)), ""))
	}
	return out
}

// AddSwap records a swap both people agreed to (ONC-6; inc_rotation_add_swap):
// giver, on call at start, gives [start, end) to taker. recordedAt may be zero.
func (r *Rotation) AddSwap(layer Layer, start, end time.Time, giver, taker string, recordedAt time.Time) (int, error) {
	g, t := C.CString(giver), C.CString(taker)
	defer func() { free(g); free(t) }()
	var index C.size_t
	err := r.call(func(p *C.inc_rotation) C.int {
		return C.inc_rotation_add_swap(p, C.inc_layer(layer), fromTime(start), fromTime(end), g, t, fromTime(recordedAt), &index)
	})
	return int(index), err
}

// IsSwap reports whether override index is a swap (inc_rotation_override_is_swap).
func (r *Rotation) IsSwap(index int) bool {
	return r.num(func(p *C.inc_rotation) int64 { return int64(C.inc_rotation_override_is_swap(p, C.size_t(index))) }) != 0
}
