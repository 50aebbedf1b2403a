#!/bin/sh
# Memory-bound benchmarks, one process per size, so that each peak RSS is its
# own (Google Benchmark would run every size in one process):
#   BM_DurableSteadyState/cases:N  (default sizes 1M 3M 10M)
#   BM_ReplayHistory/cases:N       (BENCH=BM_ReplayHistory, sizes 1M 10M)
# Usage: [BENCH=name] bench/steady_state.sh [build dir] [sizes...]
set -eu
bench=${BENCH:-BM_DurableSteadyState}
build=${1:-build/default}
[ $# -gt 0 ] && shift
sizes=${*:-1000000 3000000 10000000}
bin="$build/bench/jszb_bench_durable"
printf '%-24s %10s %12s %12s %10s\n' "$bench cases" seconds peak_rss_mb events_per_s in_memory
for n in $sizes; do
  "$bin" --benchmark_filter="$bench/cases:$n/" --benchmark_format=csv 2>/dev/null |
    awk -F, -v n="$n" '
      { gsub(/"/, "") }
      NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
      $1 ~ /cases/ {
        if ($col["error_occurred"] == "true") { print n, "error:", $col["error_message"]; next }
        printf "%-24s %10.1f %12.0f %12.0f %10.0f\n", n, $col["real_time"],
          $col["peak_rss_mb"], $col["items_per_second"], $col["cases_in_memory"]
      }'
done
