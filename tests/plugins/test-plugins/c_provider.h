/*
 * A small provider written in pure C11 against plugin_api.h: it proves the C header
 * compiles as C and that a plugin needs nothing but that header.
 *
 * Each instance starts one pthread that publishes C_PROVIDER_QUOTES quotes and
 * C_PROVIDER_TRADES trades for symbol "CTEST" (waiting while the rate scale is 0), logs
 * "published <n> events", reports RUNNING with the same detail, then idles until stop().
 * Its config must be an empty object.
 *
 * The entry objects live in separate files (c_provider_entry.c, wrong_major_entry.c,
 * older_minor_entry.c), so the same provider is packaged as several test plugins.
 */
#ifndef MDP_TEST_C_PROVIDER_H
#define MDP_TEST_C_PROVIDER_H

#include <mdp/plugin_api.h>

#define C_PROVIDER_QUOTES 3
#define C_PROVIDER_TRADES 3

/* The provider factory (static storage). */
const mdp_provider_factory_t* c_provider_factory(void);

/* get_factory for an entry: the factory for MDP_PROVIDER_FACTORY_ID, else NULL. */
const void* c_provider_get_factory(const char* factory_id);

#endif /* MDP_TEST_C_PROVIDER_H */
