// Orchestration only: lock, select, deliver each object (sfts_delivery), mark it, report.
#include "jobs/s3_to_sfts.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "config/s3_to_sfts_config.hpp"
#include "jobs/run_output.hpp"
#include "jobs/sfts_delivery.hpp"
#include "jobs/sfts_report.hpp"
#include "transfer/sftp_options.hpp"
#include "transfer/sftp_session.hpp"
#include "util/env.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/run_lock.hpp"
#include "util/warnings.hpp"

namespace gdx::jobs {
namespace {

namespace fs = std::filesystem;

std::string lock_path(const config::S3ToSftsConfig& cfg, const std::string& config_path) {
    fs::path dir = cfg.lock_dir.empty() ? fs::temp_directory_path() : fs::path(cfg.lock_dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    std::string name = fs::path(config_path).stem().string();
    return (dir / ("gdx-s3-to-sfts-" + name + ".lock")).string();
}

transfer::SftpOptions sftp_options(const config::S3ToSftsConfig& cfg,
                                   const S3ToSftsOptions& options) {
    transfer::SftpOptions o;
    o.host = cfg.sfts_host;
    o.port = cfg.sfts_port;
    o.user = util::env_string("sfts_user");
    o.password = util::env_string("sfts_pass");
    o.identity_file = options.identity.empty() ? cfg.sfts_identity : options.identity;
    o.host_key_sha256 = cfg.sfts_host_key_sha256;
    if (!o.host_key_sha256.empty())  // checked here too, to name the file and the key
        transfer::normalize_sha256_fingerprint(o.host_key_sha256,
                                               cfg.source_path + ": key \"sfts_host_key_sha256\"");
    o.known_hosts = cfg.sfts_known_hosts;
    o.create_missing_folders = cfg.sfts_create_folders;
    return o;
}

void print_plan(const SftsSelection& sel, const SftsDelivery& delivery) {
    std::cout << "Plan (dry run: nothing is changed)\n";
    for (const auto& key : sel.already_transferred)
        std::cout << "  skip (transferred): " << key << "\n";
    for (const auto& c : sel.selected)
        std::cout << "  send: " << c.object.key << " (" << c.object.size << " bytes) -> "
                  << delivery.final_path(c) << "\n";
    if (sel.selected.empty()) std::cout << "  nothing to send\n";
}

int finish(SftsReport& report, const S3ToSftsOptions& options) {
    report.end = std::chrono::system_clock::now();
    publish_report(options.common, format_sfts_report(report), sfts_report_json(report));
    int code = report.success() ? 0 : 1;
    spdlog::info("exiting with code {}", code);
    return code;
}

// A refused session (host key, login: the target is misconfigured) or a server still failing
// after the retries: no other object could go either. Anything else is this object's failure.
bool stops_the_run(const BackendError& e) {
    return e.kind() == ErrorKind::Target || e.retries_exhausted();
}

// One object failed: logged with the server's text, left unmarked (or marked bad once
// max_attempts is reached); the run goes on with the next object.
void fail_one(const SftsCandidate& c, const std::exception& e, SftsDelivery& delivery,
              const config::S3ToSftsConfig& cfg, SftsReport& report) {
    spdlog::error("{}: not delivered: {}", c.object.key, e.what());
    std::cerr << "gdx: " << c.object.key << ": " << util::redact(e.what()) << "\n";
    report.send_failed.push_back(c.object.key);
    if (cfg.max_attempts <= 0) return;
    try {
        if (delivery.count_failure(c) >= cfg.max_attempts) {
            spdlog::error("{}: {} failed attempts: marked bad", c.object.key, cfg.max_attempts);
            delivery.mark_bad(c);
            report.marked_bad.push_back(c.object.key);
        }
    } catch (const std::exception& e2) {
        spdlog::error("{}: could not record the failed attempt: {}", c.object.key, e2.what());
    }
}

// Delivers and marks each selected object in order, until a failure stops the run.
void deliver_selected(const SftsSelection& sel, SftsDelivery& delivery,
                      const config::S3ToSftsConfig& cfg, SftsReport& report) {
    for (const auto& c : sel.selected) {
        if (c.had_bad_marker)
            spdlog::info("{}: has a bad marker; re-sent (retry_bad)", c.object.key);
        try {
            auto how = delivery.deliver(c);
            spdlog::info("{}: {} {}", c.object.key,
                         how == Delivered::Sent             ? "sent to"
                         : how == Delivered::AlreadyPresent ? "already on the server as"
                                                            : "delivery finished as",
                         delivery.final_path(c));
            report.sent.push_back(c.object.key);
        } catch (const BackendError& e) {
            if (!stops_the_run(e)) {
                fail_one(c, e, delivery, cfg, report);
                continue;
            }
            // The server turns the session away, or stays unreachable after the retries: no
            // object can go now; this one and the rest stay unmarked for the next run.
            spdlog::error("{}", e.what());
            std::cerr << "gdx: " << util::redact(e.what()) << "\n";
            for (size_t i = report.sent.size() + report.send_failed.size(); i < sel.selected.size();
                 ++i)
                report.send_failed.push_back(sel.selected[i].object.key);
            return;
        } catch (const std::exception& e) {
            fail_one(c, e, delivery, cfg, report);
            continue;
        }
        try {
            delivery.mark_good(c);
            report.marked_good.push_back(c.object.key);
        } catch (const std::exception& e) {
            // Delivered: journalled RENAMED, the next run marks it without sending it again.
            spdlog::error("{}: delivered, but the copy to the good archive failed: {}",
                          c.object.key, e.what());
            report.mark_failed.push_back(c.object.key);
            try {
                delivery.keep_as_delivered(c);
            } catch (const std::exception& e2) {
                // Its READY journal stays: the next run finds the file on the server.
                spdlog::warn("{}: could not journal the delivery: {}", c.object.key, e2.what());
            }
        }
    }
}

}  // namespace

int run_s3_to_sfts(const S3ToSftsOptions& options) {
    SftsReport report;
    report.config_path = options.common.config_path;
    report.start = std::chrono::system_clock::now();

    auto cfg = config::load_s3_to_sfts_config(options.common.config_path);
    for (const auto& w : cfg.warnings) util::warn(w);
    if (!util::env_string("xfer_path").empty())
        util::warn("the xfer_path environment variable is ignored: gdx speaks SFTP itself");
    auto session_options = sftp_options(cfg, options);
    transfer::SftpSession session(session_options);  // validates credentials and the pin

    util::RunLock lock(lock_path(cfg, options.common.config_path));
    auto store = store::open_store(store_uri(options.common));
    spdlog::info("store {}, server {}, remote folder {}", store->describe(), session.describe(),
                 cfg.remote_folder());

    // The journals have a store of their own: they are written and dropped on other threads
    // beside the uploads (an S3 store is one connection for one thread at a time).
    auto journal_store = store::open_store(store_uri(options.common));
    JournalStore journals(*journal_store, cfg.bucket, cfg.journal_prefix);
    const std::string archive_root =
        cfg.source + "/" + cfg.archive_client + "/" + cfg.archive_directory + "/";
    auto sel = select_sfts_objects(*store, cfg, journals.list(archive_root));
    SftsDelivery delivery(*store, session, journals, cfg, util::RetryPolicy::from_env());
    if (options.common.dry_run) {
        print_plan(sel, delivery);
        return 0;
    }
    for (const auto& k : sel.done_journals) {
        spdlog::info("dropping the journal of {}: it is marked good already", k);
        journals.remove(k);
    }
    for (const auto& key : sel.already_transferred) spdlog::info("{} was transferred already", key);
    if (sel.selected.empty()) {
        std::cerr << "gdx s3-to-sfts: nothing to send under " << cfg.bucket << "/"
                  << cfg.source_prefix() << " (" << sel.already_transferred.size()
                  << " objects transferred already)\n";
        spdlog::info("nothing to send");
        return options.fail_when_idle ? 1 : 0;
    }

    report.items = sel.selected.size();
    deliver_selected(sel, delivery, cfg, report);
    return finish(report, options);
}

}  // namespace gdx::jobs
