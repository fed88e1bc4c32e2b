module libincident.dev/incident

go 1.19
