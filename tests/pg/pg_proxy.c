#include "pg_proxy.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAIRS 8

typedef struct pair {
    int client, server;
    int cutting;    /* answers are dropped; cut at `cut_at` */
    int64_t cut_at; /* monotonic ms */
} pair;

static struct {
    char dir[128], listen_path[160], server_path[160];
    int listen_fd, wake[2];
    pthread_t thread;
    pthread_mutex_t mu;
    pg_cut armed;
    char find[32], replace[32]; /* pg_proxy_corrupt(): find[0] when armed */
    int cuts, stop;
    pair pairs[MAX_PAIRS];
    int npairs;
} px;

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int unix_socket(const char *path, int listening)
{
    struct sockaddr_un a;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    if (fd < 0)
        return -1;
    if (listening ? bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 8) != 0
                  : connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void close_pair(int i)
{
    close(px.pairs[i].client);
    close(px.pairs[i].server);
    px.pairs[i] = px.pairs[--px.npairs];
}

/* The armed replacement in @buf (what the server sent), once. */
static void corrupt(char *buf, size_t n)
{
    size_t i, len;
    pthread_mutex_lock(&px.mu);
    len = strlen(px.find);
    for (i = 0; len && i + len <= n; i++)
        if (memcmp(buf + i, px.find, len) == 0) {
            memcpy(buf + i, px.replace, len);
            px.find[0] = 0;
            break;
        }
    pthread_mutex_unlock(&px.mu);
}

/* Copy what @from has to @to (or drop it when @to is -1). */
static int relay(int from, int to, int from_server)
{
    char buf[65536];
    ssize_t n = read(from, buf, sizeof(buf)), off = 0;
    if (n <= 0)
        return -1;
    if (from_server)
        corrupt(buf, (size_t)n);
    while (to >= 0 && off < n) {
        ssize_t w = write(to, buf + off, (size_t)(n - off));
        if (w <= 0)
            return -1;
        off += w;
    }
    return 0;
}

/* The client's message of pair @p: forward or drop it as armed. */
static int from_client(pair *p)
{
    pg_cut cut;
    pthread_mutex_lock(&px.mu);
    cut = px.armed;
    px.armed = PG_CUT_NONE;
    pthread_mutex_unlock(&px.mu);
    if (cut == PG_CUT_NONE)
        return relay(p->client, p->server, 0);
    p->cutting = 1;
    p->cut_at = mono_ms() + (cut == PG_CUT_AFTER_COMMIT ? 500 : 0);
    return relay(p->client, cut == PG_CUT_AFTER_COMMIT ? p->server : -1, 0);
}

static void *run(void *arg)
{
    (void)arg;
    for (;;) {
        struct pollfd fds[2 + 2 * MAX_PAIRS];
        int i, n = 2;
        fds[0].fd = px.listen_fd;
        fds[1].fd = px.wake[0];
        for (i = 0; i < px.npairs; i++) {
            fds[n++].fd = px.pairs[i].client;
            fds[n++].fd = px.pairs[i].server;
        }
        for (i = 0; i < n; i++)
            fds[i].events = POLLIN, fds[i].revents = 0;
        poll(fds, (nfds_t)n, 20);
        if (px.stop)
            break;
        for (i = px.npairs - 1; i >= 0; i--) {
            pair *p = &px.pairs[i];
            short cr = fds[2 + 2 * i].revents, sr = fds[3 + 2 * i].revents;
            int bad = 0;
            if (cr & (POLLIN | POLLHUP | POLLERR))
                bad = p->cutting ? 0 : from_client(p) != 0;
            if (!bad && (sr & (POLLIN | POLLHUP | POLLERR)))
                bad = relay(p->server, p->cutting ? -1 : p->client, 1) != 0;
            if (!bad && p->cutting && mono_ms() >= p->cut_at) {
                pthread_mutex_lock(&px.mu);
                px.cuts++;
                pthread_mutex_unlock(&px.mu);
                bad = 1;
            }
            if (bad)
                close_pair(i);
        }
        if ((fds[0].revents & POLLIN) && px.npairs < MAX_PAIRS) {
            int c = accept(px.listen_fd, NULL, NULL), s = unix_socket(px.server_path, 0);
            if (c >= 0 && s >= 0) {
                memset(&px.pairs[px.npairs], 0, sizeof(pair));
                px.pairs[px.npairs].client = c;
                px.pairs[px.npairs].server = s;
                px.npairs++;
            } else {
                if (c >= 0)
                    close(c);
                if (s >= 0)
                    close(s);
            }
        }
    }
    return NULL;
}

const char *pg_proxy_start(const char *server_dir)
{
    memset(&px, 0, sizeof(px));
    snprintf(px.dir, sizeof(px.dir), "/tmp/inc-pgproxy-XXXXXX");
    if (!mkdtemp(px.dir))
        return NULL;
    snprintf(px.listen_path, sizeof(px.listen_path), "%s/.s.PGSQL.5432", px.dir);
    snprintf(px.server_path, sizeof(px.server_path), "%s/.s.PGSQL.5432", server_dir);
    pthread_mutex_init(&px.mu, NULL);
    if ((px.listen_fd = unix_socket(px.listen_path, 1)) < 0 || pipe(px.wake) != 0 ||
        pthread_create(&px.thread, NULL, run, NULL) != 0)
        return NULL;
    return px.dir;
}

void pg_proxy_arm(pg_cut cut)
{
    pthread_mutex_lock(&px.mu);
    px.armed = cut;
    pthread_mutex_unlock(&px.mu);
}

void pg_proxy_corrupt(const char *find, const char *replace)
{
    pthread_mutex_lock(&px.mu);
    snprintf(px.find, sizeof(px.find), "%s", find);
    snprintf(px.replace, sizeof(px.replace), "%s", replace);
    pthread_mutex_unlock(&px.mu);
}

int pg_proxy_cuts(void)
{
    int n;
    pthread_mutex_lock(&px.mu);
    n = px.cuts;
    pthread_mutex_unlock(&px.mu);
    return n;
}

void pg_proxy_stop(void)
{
    px.stop = 1;
    (void)!write(px.wake[1], "x", 1);
    pthread_join(px.thread, NULL);
    while (px.npairs)
        close_pair(px.npairs - 1);
    close(px.listen_fd);
    close(px.wake[0]);
    close(px.wake[1]);
    unlink(px.listen_path);
    rmdir(px.dir);
}
