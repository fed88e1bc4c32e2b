/* C helpers of the Go binding: trampolines from C callbacks to exported Go
 * functions, and calls cgo cannot make directly (variadic functions,
 * function pointers). Go passes a cgo.Handle where C wants a void *user. */
#ifndef INC_GO_SHIM_H
#define INC_GO_SHIM_H

#include <stdint.h>
#include <stdlib.h>

#include <incident.h>
#include <incident/sys/store.h>

/* The clock, the listing and reading collectors, the journal's recovery
 * callback: C function pointers whose user pointer is a cgo.Handle. */
inc_clock_fn inc_go_clock_fn(void);
inc_store_id_cb inc_go_id_cb(void);
inc_store_event_cb inc_go_event_cb(void);
/* inc_store_scan()'s callback: appends to a Go []ScanRecord. */
inc_store_scan_cb inc_go_scan_cb(void);
inc_journal_recovery_fn inc_go_recovery_fn(void);
/* inc_seal_verify()'s report callback: appends to a Go []SealReport. */
inc_seal_report_fn inc_go_seal_report_fn(void);
inc_journal_quarantine_fn inc_go_quarantine_fn(void);
/* inc_feed_poll()'s callback: appends to a Go []FeedItem. */
inc_feed_cb inc_go_feed_cb(void);
/* inc_feed_set_wait()'s wait: calls a Go func(time.Duration) error. */
inc_feed_wait_fn inc_go_feed_wait_fn(void);

/* inc_store_get_blob()'s callback: copies the bytes into a Go *[]byte. */
inc_store_blob_cb inc_go_blob_cb(void);

/* A store backend whose methods call the Go Backend behind @handle; with
 * @blobs non-zero it has put_blob and get_blob (the Go BlobBackend), else
 * neither (declarations then carry their rubric's text). */
inc_store_backend *inc_go_backend_new(uintptr_t handle, int blobs);

/* Calls cgo cannot make itself. */
int inc_go_error_set(inc_error *err, int code, const char *message);
int inc_go_call_event(inc_store_event_cb cb, void *user, uint64_t seq, const void *data,
                      size_t len);
int inc_go_call_id(inc_store_id_cb cb, void *user, const char *id);
int inc_go_call_blob(inc_store_blob_cb cb, void *user, const void *data, size_t len);
void *inc_go_handle_ptr(uintptr_t handle);

/* libincident-pg, loaded with dlopen on first use (so that the binding does
 * not need it): inc_pg_store_open() with the options' no_migrate and a
 * diagnostic. INC_EUNSUPPORTED (message set) when the library is absent. */
int inc_go_pg_open(const char *conninfo, int no_migrate, inc_store **out, char *msg,
                   size_t msg_size);

#endif
