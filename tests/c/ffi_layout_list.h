/* The facts compared between jszb.h and the generated jszb_ffi.h (ffi_header_test.c):
 * the size of every struct, the offsets of the fields that versions appended, and
 * every integer macro that jszb_ffi.h turns into an enum constant. Included inside an
 * array initialiser, once under each header; a struct or constant added to jszb.h
 * goes here too. */
sizeof(jszb_error), sizeof(jszb_engine_options), sizeof(jszb_actor), sizeof(jszb_intake),
    sizeof(jszb_payload), sizeof(jszb_command), sizeof(jszb_deadline), sizeof(jszb_event),
    sizeof(jszb_case_info), sizeof(jszb_case_filter), sizeof(jszb_unit), sizeof(jszb_route),
    sizeof(jszb_rule_verdict), sizeof(jszb_deadline_status), sizeof(jszb_store_options),
    sizeof(jszb_rate_weights), sizeof(jszb_unit_score), sizeof(jszb_report_options),
    sizeof(jszb_request_group), sizeof(jszb_group_options), sizeof(jszb_request_group_v2),
    sizeof(jszb_unit_orders_options), sizeof(jszb_unit_order), sizeof(jszb_theme),
    sizeof(jszb_theme_task), sizeof(jszb_theme_trend_options), sizeof(jszb_theme_count),
    sizeof(jszb_theme_candidate), sizeof(jszb_verify_options), sizeof(jszb_what_if_options),
    sizeof(jszb_what_if_counts), sizeof(jszb_what_if_skipped), offsetof(jszb_command, payload),
    offsetof(jszb_payload, step), offsetof(jszb_payload, request_id),
    offsetof(jszb_case_filter, district), offsetof(jszb_report_options, min_visits),
    offsetof(jszb_report_options, with_orders), offsetof(jszb_case_info, community_unit),
    offsetof(jszb_intake, contact_phone), (size_t)(JSZB_VERSION_MAJOR),
    (size_t)(JSZB_VERSION_MINOR), (size_t)(JSZB_VERSION_PATCH), (size_t)(JSZB_VERSION_NUMBER),
    (size_t)(JSZB_STATE_COUNT), (size_t)(JSZB_CMD_FIRST), (size_t)(JSZB_CMD_LAST),
    (size_t)(JSZB_ENGINE_OPTIONS_VERSION), (size_t)(JSZB_INTAKE_VERSION),
    (size_t)(JSZB_COMMAND_VERSION), (size_t)(JSZB_CASE_FILTER_VERSION),
    (size_t)(JSZB_STORE_OPTIONS_VERSION), (size_t)(JSZB_RATE_WEIGHTS_VERSION),
    (size_t)(JSZB_REPORT_OPTIONS_VERSION), (size_t)(JSZB_GROUP_OPTIONS_VERSION),
    (size_t)(JSZB_REQUEST_GROUP_VERSION), (size_t)(JSZB_UNIT_ORDERS_OPTIONS_VERSION),
    (size_t)(JSZB_THEME_VERSION), (size_t)(JSZB_THEME_TASK_VERSION),
    (size_t)(JSZB_THEME_TREND_OPTIONS_VERSION), (size_t)(JSZB_VERIFY_OPTIONS_VERSION),
    /* operations */
    sizeof(jszb_backup_options), sizeof(jszb_store_stats), sizeof(jszb_metrics),
    offsetof(jszb_metrics, commit_buckets), (size_t)(JSZB_BACKUP_OPTIONS_VERSION),
    (size_t)(JSZB_STORE_STATS_VERSION), (size_t)(JSZB_METRICS_VERSION),
    (size_t)(JSZB_METRICS_BUCKETS), (size_t)(JSZB_WHAT_IF_OPTIONS_VERSION),
