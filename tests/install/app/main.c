/* An outside program: it sees libincident only as installed. */
#include <incident.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    int major = -1, minor = -1, patch = -1;
    const char *v = inc_version(&major, &minor, &patch);

    if (strcmp(v, INC_VERSION_STRING) != 0 || major != INC_VERSION_MAJOR) {
        fprintf(stderr, "header %s, library %s\n", INC_VERSION_STRING, v);
        return 1;
    }
    printf("libincident %s (%d.%d.%d)\n", v, major, minor, patch);
    printf("%s: %s\n", inc_status_name(INC_ECONFLICT), inc_strerror(INC_ECONFLICT));
    return 0;
}
