/*
 * The frozen layout of every ABI struct, checked at compile time. Included by the C test
 * provider (so a C compiler checks it) and by the C++ layout test (so a C++ compiler does),
 * so an accidental change to plugin_api.h fails the build instead of silently breaking
 * every plugin already compiled. Pointer-sized expectations assume an LP64 platform.
 *
 * Changing a number here is an ABI decision: structs may only grow at their end (a new
 * minor version), existing offsets never change.
 */
#ifndef MDP_TEST_ABI_LAYOUT_H
#define MDP_TEST_ABI_LAYOUT_H

#include <mdp/plugin_api.h>

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define MDP_LAYOUT_ASSERT(condition, message) static_assert(condition, message)
#else
#define MDP_LAYOUT_ASSERT(condition, message) _Static_assert(condition, message)
#endif

#define MDP_CHECK_SIZE(type, bytes) MDP_LAYOUT_ASSERT(sizeof(type) == (bytes), "sizeof(" #type ") changed")
#define MDP_CHECK_OFFSET(type, field, bytes) \
    MDP_LAYOUT_ASSERT(offsetof(type, field) == (bytes), "offsetof(" #type ", " #field ") changed")

MDP_LAYOUT_ASSERT(MDP_ABI_VERSION_MAJOR == 1, "a new ABI major needs new layout expectations");
MDP_LAYOUT_ASSERT(MDP_SYMBOL_CAPACITY == 32, "MDP_SYMBOL_CAPACITY changed");
MDP_LAYOUT_ASSERT(MDP_EXCHANGE_CAPACITY == 16, "MDP_EXCHANGE_CAPACITY changed");
MDP_LAYOUT_ASSERT(MDP_CONDITIONS_CAPACITY == 16, "MDP_CONDITIONS_CAPACITY changed");
MDP_LAYOUT_ASSERT(MDP_EVENT_QUOTE == 1 && MDP_EVENT_TRADE == 2 && MDP_EVENT_BAR == 3, "event type ids changed");
MDP_LAYOUT_ASSERT(MDP_LEVEL_OK == 0 && MDP_LEVEL_SOFT == 1 && MDP_LEVEL_HARD == 2, "level values changed");
MDP_LAYOUT_ASSERT(MDP_STATE_RUNNING == 2 && MDP_STATE_DEGRADED == 3 && MDP_STATE_FAILED == 6,
                  "provider state values changed");

/* ---- records: no pointers, identical on every 64-bit platform */
MDP_CHECK_SIZE(mdp_abi_version_t, 12);
MDP_CHECK_OFFSET(mdp_abi_version_t, major, 0);
MDP_CHECK_OFFSET(mdp_abi_version_t, minor, 4);
MDP_CHECK_OFFSET(mdp_abi_version_t, patch, 8);

MDP_CHECK_SIZE(mdp_quote_t, 40);
MDP_CHECK_OFFSET(mdp_quote_t, bid, 0);
MDP_CHECK_OFFSET(mdp_quote_t, ask, 8);
MDP_CHECK_OFFSET(mdp_quote_t, bid_size, 16);
MDP_CHECK_OFFSET(mdp_quote_t, ask_size, 24);
MDP_CHECK_OFFSET(mdp_quote_t, last, 32);

MDP_CHECK_SIZE(mdp_trade_t, 48);
MDP_CHECK_OFFSET(mdp_trade_t, price, 0);
MDP_CHECK_OFFSET(mdp_trade_t, size, 8);
MDP_CHECK_OFFSET(mdp_trade_t, exchange, 16);
MDP_CHECK_OFFSET(mdp_trade_t, conditions, 32);

MDP_CHECK_SIZE(mdp_bar_t, 64);
MDP_CHECK_OFFSET(mdp_bar_t, interval_ns, 0);
MDP_CHECK_OFFSET(mdp_bar_t, open, 8);
MDP_CHECK_OFFSET(mdp_bar_t, high, 16);
MDP_CHECK_OFFSET(mdp_bar_t, low, 24);
MDP_CHECK_OFFSET(mdp_bar_t, close, 32);
MDP_CHECK_OFFSET(mdp_bar_t, volume, 40);
MDP_CHECK_OFFSET(mdp_bar_t, vwap, 48);
MDP_CHECK_OFFSET(mdp_bar_t, trade_count, 56);

MDP_CHECK_SIZE(mdp_event_t, 120);
MDP_CHECK_OFFSET(mdp_event_t, size, 0);
MDP_CHECK_OFFSET(mdp_event_t, type, 4);
MDP_CHECK_OFFSET(mdp_event_t, flags, 6);
MDP_CHECK_OFFSET(mdp_event_t, event_time_ns, 8);
MDP_CHECK_OFFSET(mdp_event_t, receive_time_ns, 16);
MDP_CHECK_OFFSET(mdp_event_t, symbol, 24);
MDP_CHECK_OFFSET(mdp_event_t, body, 56);
MDP_CHECK_OFFSET(mdp_event_t, body.quote, 56);
MDP_CHECK_OFFSET(mdp_event_t, body.trade, 56);
MDP_CHECK_OFFSET(mdp_event_t, body.bar, 56);
MDP_CHECK_OFFSET(mdp_event_t, body.reserved, 56);

MDP_CHECK_SIZE(mdp_feedback_t, 40);
MDP_CHECK_OFFSET(mdp_feedback_t, size, 0);
MDP_CHECK_OFFSET(mdp_feedback_t, level, 4);
MDP_CHECK_OFFSET(mdp_feedback_t, rate_scale, 8);
MDP_CHECK_OFFSET(mdp_feedback_t, queue_size, 16);
MDP_CHECK_OFFSET(mdp_feedback_t, queue_capacity, 24);
MDP_CHECK_OFFSET(mdp_feedback_t, timestamp_ns, 32);

MDP_CHECK_SIZE(mdp_publish_result_t, 24);
MDP_CHECK_OFFSET(mdp_publish_result_t, size, 0);
MDP_CHECK_OFFSET(mdp_publish_result_t, accepted, 4);
MDP_CHECK_OFFSET(mdp_publish_result_t, level, 8);
MDP_CHECK_OFFSET(mdp_publish_result_t, rate_scale, 16);

/* ---- tables with pointers (LP64) */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
MDP_CHECK_SIZE(mdp_host_t, 72);
MDP_CHECK_OFFSET(mdp_host_t, size, 0);
MDP_CHECK_OFFSET(mdp_host_t, abi_version, 4);
MDP_CHECK_OFFSET(mdp_host_t, host_data, 16);
MDP_CHECK_OFFSET(mdp_host_t, publish, 24);
MDP_CHECK_OFFSET(mdp_host_t, rate_scale, 32);
MDP_CHECK_OFFSET(mdp_host_t, log, 40);
MDP_CHECK_OFFSET(mdp_host_t, report_state, 48);
MDP_CHECK_OFFSET(mdp_host_t, now_ns, 56);
MDP_CHECK_OFFSET(mdp_host_t, get_extension, 64);

MDP_CHECK_SIZE(mdp_provider_t, 48);
MDP_CHECK_OFFSET(mdp_provider_t, size, 0);
MDP_CHECK_OFFSET(mdp_provider_t, provider_data, 8);
MDP_CHECK_OFFSET(mdp_provider_t, start, 16);
MDP_CHECK_OFFSET(mdp_provider_t, stop, 24);
MDP_CHECK_OFFSET(mdp_provider_t, destroy, 32);
MDP_CHECK_OFFSET(mdp_provider_t, on_feedback, 40);

MDP_CHECK_SIZE(mdp_provider_factory_t, 16);
MDP_CHECK_OFFSET(mdp_provider_factory_t, size, 0);
MDP_CHECK_OFFSET(mdp_provider_factory_t, create, 8);

MDP_CHECK_SIZE(mdp_plugin_descriptor_t, 56);
MDP_CHECK_OFFSET(mdp_plugin_descriptor_t, size, 0);
MDP_CHECK_OFFSET(mdp_plugin_descriptor_t, id, 8);
MDP_CHECK_OFFSET(mdp_plugin_descriptor_t, name, 16);
MDP_CHECK_OFFSET(mdp_plugin_descriptor_t, version, 24);
MDP_CHECK_OFFSET(mdp_plugin_descriptor_t, vendor, 32);
MDP_CHECK_OFFSET(mdp_plugin_descriptor_t, description, 40);
MDP_CHECK_OFFSET(mdp_plugin_descriptor_t, url, 48); /* 1.1 */
MDP_LAYOUT_ASSERT(MDP_PLUGIN_DESCRIPTOR_SIZE_1_0 == 48, "the ABI 1.0 descriptor size is history");

MDP_CHECK_SIZE(mdp_plugin_entry_t, 48);
MDP_CHECK_OFFSET(mdp_plugin_entry_t, size, 0);
MDP_CHECK_OFFSET(mdp_plugin_entry_t, abi_version, 4);
MDP_CHECK_OFFSET(mdp_plugin_entry_t, descriptor, 16);
MDP_CHECK_OFFSET(mdp_plugin_entry_t, init, 24);
MDP_CHECK_OFFSET(mdp_plugin_entry_t, deinit, 32);
MDP_CHECK_OFFSET(mdp_plugin_entry_t, get_factory, 40);

/* host extensions mdp.host.stored-acks/1 and mdp.host.publish-identified/1 */
MDP_LAYOUT_ASSERT(MDP_SETTLED_STORED == 0 && MDP_SETTLED_DROPPED == 1, "settlement outcomes changed");
MDP_LAYOUT_ASSERT(MDP_ORIGIN_TEXT_MAX == 255, "MDP_ORIGIN_TEXT_MAX changed");
MDP_CHECK_SIZE(mdp_stored_ack_t, 24);
MDP_CHECK_OFFSET(mdp_stored_ack_t, outcome, 4);
MDP_CHECK_OFFSET(mdp_stored_ack_t, first_sequence, 8);
MDP_CHECK_OFFSET(mdp_stored_ack_t, last_sequence, 16);
MDP_CHECK_SIZE(mdp_host_stored_acks_t, 24);
MDP_CHECK_OFFSET(mdp_host_stored_acks_t, subscribe, 8);
MDP_CHECK_OFFSET(mdp_host_stored_acks_t, publish, 16);
MDP_CHECK_SIZE(mdp_event_origin_t, 24);
MDP_CHECK_OFFSET(mdp_event_origin_t, provider, 8);
MDP_CHECK_OFFSET(mdp_event_origin_t, run_id, 16);
MDP_CHECK_SIZE(mdp_host_publish_identified_t, 16);
MDP_CHECK_OFFSET(mdp_host_publish_identified_t, publish, 8);
#endif

#endif /* MDP_TEST_ABI_LAYOUT_H */
