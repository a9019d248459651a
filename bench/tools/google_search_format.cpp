// Formatting and writing speed of google-search's objects: rows of parsed searchAnalytics pages
// -> CSV lines -> the window's spool file, as the job does, for SITES sites × DAYS days ×
// ROWS rows (default 33 × 31 × 45,000), one window per site. Prints rows/s (one core), bytes/s,
// peak RSS, and, separately, how fast the JSON pages parse.
//
// usage: google_search_format [SITES DAYS ROWS]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "jobs/search_window.hpp"

namespace {

// Row i of a day as the fake generates it (docs/google.md).
nlohmann::json page(const std::string& day, const std::string& root, int first, int count,
                    int total) {
    static const char* countries[] = {"can", "usa", "gbr"};
    static const char* devices[] = {"DESKTOP", "MOBILE", "TABLET"};
    nlohmann::json rows = nlohmann::json::array();
    for (int i = first; i < first + count; ++i) {
        int clicks = (total - i) % 97;
        int impressions = clicks + 10 + i % 5;
        rows.push_back({{"keys",
                         {day, "q" + std::to_string(i), countries[i % 3], devices[i % 3],
                          root + "p" + std::to_string(i)}},
                        {"clicks", clicks},
                        {"impressions", impressions},
                        {"ctr", static_cast<double>(clicks) / impressions},
                        {"position", 1 + (i % 50) / 4.0}});
    }
    return rows;
}

long peak_rss_kib() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
    const int sites = argc > 1 ? std::atoi(argv[1]) : 33;
    const int days = argc > 2 ? std::atoi(argv[2]) : 31;
    const int rows = argc > 3 ? std::atoi(argv[3]) : 45000;
    const std::string root = "https://www2.gov.bc.ca/";
    const int first_page = std::min(rows, gdx::google::kSearchRowLimit);
    const std::string text0 = page("2026-05-01", root, 0, first_page, rows).dump();
    const std::string text1 = page("2026-05-01", root, first_page, rows - first_page, rows).dump();

    using clock = std::chrono::steady_clock;
    auto t0 = clock::now();
    nlohmann::json p0 = nlohmann::json::parse(text0), p1 = nlohmann::json::parse(text1);
    const double parse_s = std::chrono::duration<double>(clock::now() - t0).count();
    const long rss_before = peak_rss_kib();

    uint64_t total = 0, bytes = 0;
    t0 = clock::now();
    for (int s = 0; s < sites; ++s) {
        gdx::jobs::WindowSpool spool("https://site" + std::to_string(s) + ".gov.bc.ca/");
        for (int d = 0; d < days; ++d) {
            spool.add_rows(p0);
            spool.add_rows(p1);
        }
        total += spool.rows();
        bytes += spool.bytes();
    }
    const double s = std::chrono::duration<double>(clock::now() - t0).count();
    std::printf("google_search_format: %d sites x %d days x %d rows = %llu rows\n", sites, days,
                rows, static_cast<unsigned long long>(total));
    std::printf("  format+write: %.2f s, %.2f M rows/s, %.0f MB/s (target >= 1 M rows/s: %s)\n", s,
                total / s / 1e6, bytes / s / 1e6, total / s >= 1e6 ? "PASS" : "FAIL");
    std::printf(
        "  peak RSS: %ld KiB with the two parsed pages in memory, %ld KiB at the end "
        "(flat: %s)\n",
        rss_before, peak_rss_kib(), peak_rss_kib() - rss_before < 16 * 1024 ? "yes" : "NO");
    std::printf("  JSON parse (nlohmann, for scale): %.2f M rows/s, %.0f MB/s\n",
                rows / parse_s / 1e6, (text0.size() + text1.size()) / parse_s / 1e6);
    return total / s >= 1e6 ? 0 : 1;
}
