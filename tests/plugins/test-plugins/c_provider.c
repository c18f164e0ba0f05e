/* See c_provider.h. Compiled as strict C11 (no GNU extensions) with -Werror. */
#define _POSIX_C_SOURCE 200809L /* NOLINT(bugprone-reserved-identifier): a feature-test macro */

#include "c_provider.h"

#include "abi_layout.h" /* the layout checks, compiled by a C compiler here */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct c_provider {
    mdp_provider_t table; /* first member: the host sees this */
    const mdp_host_t* host;
    pthread_t thread;
    int thread_started;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    int stop_requested; /* guarded by mutex */
} c_provider_t;

static void copy_text(char* destination, size_t capacity, const char* text) {
    size_t length = strlen(text);
    if (length >= capacity) {
        length = capacity - 1;
    }
    memcpy(destination, text, length);
    destination[length] = '\0';
}

static void write_error(char* error, size_t capacity, const char* message) {
    if (error != NULL && capacity > 0) {
        copy_text(error, capacity, message);
    }
}

/* Sleeps up to `milliseconds` or until stop is requested; returns nonzero on stop. */
static int wait_for_stop(c_provider_t* self, long milliseconds) {
    struct timespec deadline;
    int stopped;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += milliseconds / 1000;
    deadline.tv_nsec += (milliseconds % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec += 1;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&self->mutex);
    while (!self->stop_requested) {
        if (pthread_cond_timedwait(&self->wake, &self->mutex, &deadline) == ETIMEDOUT) {
            break;
        }
    }
    stopped = self->stop_requested;
    pthread_mutex_unlock(&self->mutex);
    return stopped;
}

static mdp_event_t make_event(const mdp_host_t* host, uint16_t type) {
    mdp_event_t event;
    memset(&event, 0, sizeof(event));
    event.size = (uint32_t)sizeof(mdp_event_t);
    event.type = type;
    event.event_time_ns = host->now_ns(host);
    event.receive_time_ns = event.event_time_ns;
    copy_text(event.symbol, sizeof(event.symbol), "CTEST");
    return event;
}

static void build_events(const mdp_host_t* host, mdp_event_t* events) {
    int index;
    for (index = 0; index < C_PROVIDER_QUOTES; ++index) {
        mdp_event_t quote = make_event(host, MDP_EVENT_QUOTE);
        quote.body.quote.bid = 10.00 + index;
        quote.body.quote.ask = 10.02 + index;
        quote.body.quote.bid_size = 100.0;
        quote.body.quote.ask_size = 200.0;
        quote.body.quote.last = 10.01 + index;
        events[index] = quote;
    }
    for (index = 0; index < C_PROVIDER_TRADES; ++index) {
        mdp_event_t trade = make_event(host, MDP_EVENT_TRADE);
        trade.body.trade.price = 10.01 + index;
        trade.body.trade.size = 50.0 + index;
        copy_text(trade.body.trade.exchange, sizeof(trade.body.trade.exchange), "CEXCH");
        events[C_PROVIDER_QUOTES + index] = trade;
    }
}

static void* run(void* argument) {
    c_provider_t* self = (c_provider_t*)argument;
    const mdp_host_t* host = self->host;
    mdp_event_t events[C_PROVIDER_QUOTES + C_PROVIDER_TRADES];
    mdp_publish_result_t result;
    char message[128];

    /* Rate scale 0 means pause: publish nothing until it rises (or stop). */
    while (host->rate_scale(host) <= 0.0) {
        if (wait_for_stop(self, 50)) {
            return NULL;
        }
    }
    build_events(host, events);
    memset(&result, 0, sizeof(result));
    result.size = (uint32_t)sizeof(result);
    /* Two calls: quotes, then trades (each call's records share one size). */
    host->publish(host, events, C_PROVIDER_QUOTES, &result);
    host->publish(host, events + C_PROVIDER_QUOTES, C_PROVIDER_TRADES, &result);

    snprintf(message, sizeof(message), "published %d events", C_PROVIDER_QUOTES + C_PROVIDER_TRADES);
    host->log(host, MDP_LOG_INFO, message);
    host->report_state(host, MDP_STATE_RUNNING, message);
    while (!wait_for_stop(self, 1000)) {
    }
    return NULL;
}

static int32_t provider_start(mdp_provider_t* provider, char* error, size_t error_capacity) {
    c_provider_t* self = (c_provider_t*)provider->provider_data;
    if (pthread_create(&self->thread, NULL, run, self) != 0) {
        write_error(error, error_capacity, "cannot start the publisher thread");
        return MDP_ERROR;
    }
    self->thread_started = 1;
    return MDP_OK;
}

static void provider_stop(mdp_provider_t* provider) {
    c_provider_t* self = (c_provider_t*)provider->provider_data;
    pthread_mutex_lock(&self->mutex);
    self->stop_requested = 1;
    pthread_cond_broadcast(&self->wake);
    pthread_mutex_unlock(&self->mutex);
    if (self->thread_started) {
        pthread_join(self->thread, NULL);
        self->thread_started = 0;
    }
}

static void provider_destroy(mdp_provider_t* provider) {
    c_provider_t* self = (c_provider_t*)provider->provider_data;
    pthread_cond_destroy(&self->wake);
    pthread_mutex_destroy(&self->mutex);
    free(self);
}

static void provider_on_feedback(mdp_provider_t* provider, const mdp_feedback_t* feedback) {
    c_provider_t* self = (c_provider_t*)provider->provider_data;
    (void)feedback;
    /* Wake a paused publisher so it re-reads the rate scale; never blocks for long. */
    pthread_mutex_lock(&self->mutex);
    pthread_cond_broadcast(&self->wake);
    pthread_mutex_unlock(&self->mutex);
}

/* True when `json` is an empty object (whitespace allowed) or empty/"null". */
static int is_empty_config(const char* json) {
    const char* cursor = json;
    if (json == NULL) {
        return 1;
    }
    while (*cursor == ' ' || *cursor == '\n' || *cursor == '\t' || *cursor == '\r') {
        ++cursor;
    }
    if (*cursor == '\0' || strcmp(cursor, "null") == 0) {
        return 1;
    }
    if (*cursor != '{') {
        return 0;
    }
    ++cursor;
    while (*cursor == ' ' || *cursor == '\n' || *cursor == '\t' || *cursor == '\r') {
        ++cursor;
    }
    return *cursor == '}';
}

static mdp_provider_t* factory_create(const mdp_provider_factory_t* factory, const mdp_host_t* host,
                                      const char* instance_name, const char* config_json, char* error,
                                      size_t error_capacity) {
    c_provider_t* self;
    (void)factory;
    (void)instance_name;
    if (!is_empty_config(config_json)) {
        write_error(error, error_capacity, "expected an empty object (this provider has no settings)");
        return NULL;
    }
    self = (c_provider_t*)calloc(1, sizeof(*self));
    if (self == NULL) {
        write_error(error, error_capacity, "out of memory");
        return NULL;
    }
    self->host = host;
    pthread_mutex_init(&self->mutex, NULL);
    pthread_cond_init(&self->wake, NULL);
    self->table.size = (uint32_t)sizeof(mdp_provider_t);
    self->table.provider_data = self;
    self->table.start = provider_start;
    self->table.stop = provider_stop;
    self->table.destroy = provider_destroy;
    self->table.on_feedback = provider_on_feedback;
    return &self->table;
}

static const mdp_provider_factory_t c_factory = {(uint32_t)sizeof(mdp_provider_factory_t), factory_create};

const mdp_provider_factory_t* c_provider_factory(void) { return &c_factory; }

const void* c_provider_get_factory(const char* factory_id) {
    if (factory_id != NULL && strcmp(factory_id, MDP_PROVIDER_FACTORY_ID) == 0) {
        return &c_factory;
    }
    return NULL;
}
