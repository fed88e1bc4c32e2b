# The example of README.md: declare an incident, see a severity change
# refused (only the IC may), make it as the IC and print the timeline.
from libincident import Context, PermissionDeniedError

with Context() as ctx:  # system clock, memory store, Sev-0..Sev-4
    inc = ctx.declare("Database primary CPU at 95%", "alice", "Sev-2")
    try:
        inc.set_severity("bob", "Sev-1", "looks bad")
    except PermissionDeniedError as e:  # only the Incident Commander may (AUTH-1)
        print("refused:", e)
    inc.set_severity("alice", "Sev-1", "checkout failing in the US too")
    print(inc.timeline(), end="")
