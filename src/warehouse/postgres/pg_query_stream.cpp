#include "warehouse/postgres/pg_query_stream.hpp"

#include <cstring>

namespace gdx::warehouse::pg {
namespace {

// text, varchar, bpchar, char, name
bool character_oid(Oid oid) {
    return oid == 25 || oid == 1043 || oid == 1042 || oid == 18 || oid == 19;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

struct CopyBuffer {
    char* data = nullptr;
    ~CopyBuffer() {
        if (data) PQfreemem(data);
    }
};

}  // namespace

size_t decode_copy_row(std::string_view row, std::vector<QueryField>& fields,
                       std::string& scratch) {
    if (!row.empty() && row.back() == '\n') row.remove_suffix(1);
    // A decoded field is never longer than its raw text: with this reserve the views into
    // scratch stay valid while later fields are appended.
    scratch.clear();
    scratch.reserve(row.size());
    size_t n = 0;
    size_t start = 0;
    while (true) {
        const size_t tab = row.find('\t', start);
        const std::string_view raw =
            row.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
        if (n >= fields.size()) fields.resize(n + 1);
        QueryField& f = fields[n++];
        if (raw == "\\N") {
            f = {{}, true};
        } else if (raw.find('\\') == std::string_view::npos) {
            f = {raw, false};
        } else {
            const size_t offset = scratch.size();
            for (size_t i = 0; i < raw.size(); ++i) {
                if (raw[i] != '\\' || i + 1 == raw.size()) {
                    scratch.push_back(raw[i]);
                    continue;
                }
                const char e = raw[++i];
                switch (e) {
                    case 'b':
                        scratch.push_back('\b');
                        break;
                    case 'f':
                        scratch.push_back('\f');
                        break;
                    case 'n':
                        scratch.push_back('\n');
                        break;
                    case 'r':
                        scratch.push_back('\r');
                        break;
                    case 't':
                        scratch.push_back('\t');
                        break;
                    case 'v':
                        scratch.push_back('\v');
                        break;
                    case 'x': {
                        int v = 0, digits = 0;
                        while (digits < 2 && i + 1 < raw.size() && hex_value(raw[i + 1]) >= 0) {
                            v = v * 16 + hex_value(raw[++i]);
                            ++digits;
                        }
                        scratch.push_back(digits ? static_cast<char>(v) : 'x');
                        break;
                    }
                    default:
                        if (e >= '0' && e <= '7') {
                            int v = e - '0', digits = 1;
                            while (digits < 3 && i + 1 < raw.size() && raw[i + 1] >= '0' &&
                                   raw[i + 1] <= '7') {
                                v = v * 8 + (raw[++i] - '0');
                                ++digits;
                            }
                            scratch.push_back(static_cast<char>(v));
                        } else {
                            scratch.push_back(e);
                        }
                }
            }
            f = {std::string_view(scratch).substr(offset), false};
        }
        if (tab == std::string_view::npos) break;
        start = tab + 1;
    }
    return n;
}

void stream_copy_query(Connection& conn, const std::string& query, QueryRowSink& sink) {
    conn.exec("BEGIN READ ONLY");
    try {
        conn.exec(
            "SET LOCAL TIME ZONE 'UTC'; SET LOCAL DateStyle = 'ISO, MDY'; "
            "SET LOCAL IntervalStyle = 'postgres'");
        Result prepared(PQprepare(conn.raw(), "gdx_export", query.c_str(), 0, nullptr));
        conn.check(prepared, PGRES_COMMAND_OK);
        Result described(PQdescribePrepared(conn.raw(), "gdx_export"));
        conn.check(described, PGRES_COMMAND_OK);
        std::vector<QueryColumn> columns;
        for (int i = 0; i < PQnfields(described.get()); ++i)
            columns.push_back(
                {PQfname(described.get(), i), character_oid(PQftype(described.get(), i))});
        conn.exec("DEALLOCATE gdx_export");
        sink.begin(columns);

        Result started(PQexec(conn.raw(), ("COPY (" + query + ") TO STDOUT").c_str()));
        conn.check(started, PGRES_COPY_OUT);
        std::vector<QueryField> fields(columns.size());
        std::string scratch;
        std::exception_ptr sink_error;
        while (true) {
            CopyBuffer buf;
            const int len = PQgetCopyData(conn.raw(), &buf.data, 0);
            if (len == -1) break;
            if (len < 0)
                throw BackendError("COPY TO STDOUT failed: " +
                                   std::string(PQerrorMessage(conn.raw())));
            if (sink_error) continue;  // drain what is in flight after the cancel
            const size_t n = decode_copy_row(std::string_view(buf.data, static_cast<size_t>(len)),
                                             fields, scratch);
            try {
                sink.row(std::span<const QueryField>(fields.data(), n));
            } catch (...) {
                sink_error = std::current_exception();
                if (PGcancel* cancel = PQgetCancel(conn.raw())) {
                    char err[256];
                    PQcancel(cancel, err, sizeof err);
                    PQfreeCancel(cancel);
                }
            }
        }
        Result finished(PQgetResult(conn.raw()));
        while (Result extra{PQgetResult(conn.raw())}) {
        }
        if (sink_error) std::rethrow_exception(sink_error);
        conn.check(finished, PGRES_COMMAND_OK);
        conn.exec("COMMIT");
    } catch (...) {
        try {
            conn.exec("ROLLBACK");
        } catch (const std::exception&) {
        }
        throw;
    }
}

}  // namespace gdx::warehouse::pg
