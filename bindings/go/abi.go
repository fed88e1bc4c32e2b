package incident

// The headers this package is compiled against must be of the ABI it wraps
// (ABIMajor, ABIMinor in lib.go): a build against another version's headers
// fails here rather than corrupting memory at run time.

// #include <incident.h>
// #if INC_VERSION_MAJOR != 0 || INC_VERSION_MINOR != 2
// #error "libincident.dev/incident wraps the 0.2 ABI (ABIMajor, ABIMinor in lib.go)"
// #endif
import "C"
