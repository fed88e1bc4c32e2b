# The pager loop of README.md on a fake clock: a CAN report asks the IC
# for a decision, nobody acknowledges the Sev-1, and the scheduler says
# what is due; the program would page (ESC-2) and reports back whom.
import threading
from datetime import datetime, timedelta, timezone
from typing import Optional

import libincident as inc

now = datetime(2026, 11, 23, 14, 12, tzinfo=timezone.utc)
with inc.Context(clock=lambda: now) as ctx, inc.Scheduler(ctx, actor="pager") as pager:
    payments = ctx.declare("Payments failing", "alice", "Sev-1")
    report = payments.can_report("carol", conditions="5% of card payments fail",
                                 actions="rolling back the 14:05 deploy",
                                 needs="approval to fail over to eu-west")
    print("decisions pending:", payments.pending_decision_count, report.findings.text or "(clean)")
    now += timedelta(minutes=16)  # nobody acknowledged
    stop = threading.Event()

    def handle(due: inc.DueList, error: Optional[inc.IncidentError]) -> None:
        for item in due:
            print(item.rule_id, item.kind_name, item.target or "-", "late", item.late)
            if item.kind == inc.DueKind.ESCALATION:
                payments.reload()  # the scheduler wrote the page request
                payments.page_sent("pager", item.seq, "bob")
        stop.set()  # one round is enough for the example

    pager.run(handle, stop=stop)
    print("paged:", [p.person for p in payments.pages()])
