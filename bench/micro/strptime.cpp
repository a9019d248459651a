// StrptimeFormat::parse + format_iso throughput for the two formats the originals' configs
// use most.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "transform/strptime.hpp"

namespace {

using gdx::transform::format_iso;
using gdx::transform::ParsedTime;
using gdx::transform::StrptimeFormat;

std::vector<std::string> compact_dates() {
    std::vector<std::string> v;
    for (int i = 0; i < 1024; ++i) {
        char b[16];
        std::snprintf(b, sizeof b, "%04d%02d%02d", 1990 + i % 40, 1 + i % 12, 1 + i % 28);
        v.emplace_back(b);
    }
    return v;
}

std::vector<std::string> access_log_times() {
    static const char* kMon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::vector<std::string> v;
    for (int i = 0; i < 1024; ++i) {
        char b[40];
        std::snprintf(b, sizeof b, "%02d/%s/%04d:%02d:%02d:%02d -0800", 1 + i % 28, kMon[i % 12],
                      2000 + i % 25, i % 24, i % 60, (i * 7) % 60);
        v.emplace_back(b);
    }
    return v;
}

void run(benchmark::State& state, const char* format, const std::vector<std::string>& values) {
    const StrptimeFormat f = StrptimeFormat::compile(format);
    const bool date_only = !f.has_time();
    ParsedTime t;
    char out[64];
    size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const std::string& v = values[i++ & 1023];
        if (!f.parse(v, t)) state.SkipWithError("value did not parse");
        benchmark::DoNotOptimize(format_iso(t, date_only, out));
        bytes += v.size();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void BM_Strptime_YmdCompact(benchmark::State& state) {
    static const auto values = compact_dates();
    run(state, "%Y%m%d", values);
}
BENCHMARK(BM_Strptime_YmdCompact);

void BM_Strptime_AccessLog(benchmark::State& state) {
    static const auto values = access_log_times();
    run(state, "%d/%b/%Y:%H:%M:%S %z", values);
}
BENCHMARK(BM_Strptime_AccessLog);

}  // namespace

BENCHMARK_MAIN();
