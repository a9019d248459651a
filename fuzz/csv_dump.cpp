// The CSV reader as a command, for the differential test against pandas
// (tests/reliability/csv_differential.py): reads UTF-8 CSV on stdin and prints each record as
// a JSON array of strings, one per line, or {"error": ..., "line": N} where it stops.
// usage: gdx_csv_dump DELIMITER [strip_quotes 0|1] [quoting 0|1]
#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "csv/csv_reader.hpp"
#include "csv/encoding.hpp"
#include "util/error.hpp"

int main(int argc, char** argv) {
    if (argc < 2 || std::string(argv[1]).size() != 1) {
        std::cerr << "usage: gdx_csv_dump DELIMITER [strip_quotes 0|1] [quoting 0|1]\n";
        return 2;
    }
    gdx::csv::CsvOptions opt;
    opt.delimiter = argv[1][0];
    opt.strip_quotes = argc > 2 && std::string(argv[2]) == "1";
    opt.quoting = !(argc > 3 && std::string(argv[3]) == "0");
    const std::string bytes{std::istreambuf_iterator<char>(std::cin), {}};
    gdx::csv::StringSource raw(bytes);
    try {
        auto utf8 = gdx::csv::make_decoder(raw, gdx::csv::resolve_encoding("utf-8"));
        gdx::csv::CsvReader reader(*utf8, opt);
        gdx::csv::Row row;
        while (reader.next(row)) {
            nlohmann::json fields = nlohmann::json::array();
            for (size_t i = 0; i < row.size(); ++i) fields.push_back(std::string(row[i]));
            std::cout << fields.dump() << "\n";
        }
    } catch (const gdx::DataError& e) {
        std::cout << nlohmann::json{{"error", e.info().what}, {"line", e.info().line}}.dump()
                  << "\n";
    }
    return 0;
}
