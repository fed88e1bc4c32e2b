/**
 * @file
 * @brief libincident: the Incident Command System as a C library.
 *
 * The umbrella header; it includes every public header.
 */
#ifndef INCIDENT_H
#define INCIDENT_H

#include "incident/common.h"
#include "incident/roles.h"
#include "incident/rubric.h"
#include "incident/store.h"
#include "incident/journal.h"
#include "incident/context.h"
#include "incident/incident.h"
#include "incident/findings.h"
#include "incident/staffing.h"
#include "incident/can.h"
#include "incident/comms.h"
#include "incident/due.h"
#include "incident/scheduler.h"
#include "incident/postmortem.h"
#include "incident/audit.h"
#include "incident/metrics.h"
#include "incident/incident_list.h"
#include "incident/rotation.h"
#include "incident/oncall.h"
#include "incident/seal.h"
#include "incident/lint_config.h"
#include "incident/alerts.h"
#include "incident/feed.h"

#endif
