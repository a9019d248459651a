// Throughput of the text layer: CSV tokenizer (target >= 1 GB/s on plain data), UTF-8
// validation in front of it, and the batch writer.
#include <benchmark/benchmark.h>

#include <string>

#include "csv/batch_writer.hpp"
#include "csv/csv_reader.hpp"
#include "csv/encoding.hpp"

namespace {

using namespace gdx::csv;

constexpr size_t kTargetBytes = 32 << 20;

const std::string& plain_data() {
    static const std::string data = [] {
        std::string s = "id,name,timestamp,amount,comment,count\n";
        for (uint64_t i = 0; s.size() < kTargetBytes; ++i)
            s += std::to_string(100000 + i) + ",service_bc_" + std::to_string(i % 97) +
                 ",2024-01-05 10:11:12," + std::to_string(i % 1000) +
                 ".25,some free text here,42\n";
        return s;
    }();
    return data;
}

const std::string& quoted_data() {
    static const std::string data = [] {
        std::string s = "\"id\",\"name\",\"comment\"\n";
        for (uint64_t i = 0; s.size() < kTargetBytes; ++i)
            s += "\"" + std::to_string(i) + "\",\"Smith, John\",\"said \"\"hello\"\" twice\"\n";
        return s;
    }();
    return data;
}

size_t read_all(ByteSource& src) {
    CsvReader reader(src, CsvOptions{});
    Row row;
    size_t fields = 0;
    while (reader.next(row)) fields += row.size();
    return fields;
}

void BM_CsvReaderPlain(benchmark::State& state) {
    const std::string& data = plain_data();
    for (auto _ : state) {
        StringSource src(data);
        benchmark::DoNotOptimize(read_all(src));
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_CsvReaderPlain)->Unit(benchmark::kMillisecond);

void BM_CsvReaderQuoted(benchmark::State& state) {
    const std::string& data = quoted_data();
    for (auto _ : state) {
        StringSource src(data);
        benchmark::DoNotOptimize(read_all(src));
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_CsvReaderQuoted)->Unit(benchmark::kMillisecond);

void BM_Utf8DecodeThenCsvReader(benchmark::State& state) {
    const std::string& data = plain_data();
    const Encoding utf8 = resolve_encoding("utf-8");
    for (auto _ : state) {
        StringSource raw(data);
        auto dec = make_decoder(raw, utf8);
        benchmark::DoNotOptimize(read_all(*dec));
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_Utf8DecodeThenCsvReader)->Unit(benchmark::kMillisecond);

class NullWriter : public gdx::store::ObjectWriter {
public:
    void write(std::string_view bytes) override { benchmark::DoNotOptimize(bytes.data()); }
    void commit() override {}
};

void BM_CsvToBatch(benchmark::State& state) {
    const std::string& data = plain_data();
    for (auto _ : state) {
        StringSource src(data);
        CsvReader reader(src, CsvOptions{});
        NullWriter out;
        BatchWriter writer(out);
        Row row;
        while (reader.next(row)) {
            for (size_t i = 0; i < row.size(); ++i) writer.field(row[i]);
            writer.end_row();
        }
        writer.flush();
        benchmark::DoNotOptimize(writer.bytes());
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * data.size()));
}
BENCHMARK(BM_CsvToBatch)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
