#include "store/s3/s3_xml.hpp"

#include <charconv>
#include <pugixml.hpp>
#include <sstream>

#include "store/s3/s3_time.hpp"
#include "util/error.hpp"

namespace gdx::store::s3 {
namespace {

bool load(pugi::xml_document& doc, std::string_view body) {
    return doc.load_buffer(body.data(), body.size(), pugi::parse_default, pugi::encoding_utf8);
}

}  // namespace

std::optional<S3ErrorBody> parse_error(std::string_view body) {
    pugi::xml_document doc;
    if (body.empty() || !load(doc, body)) return std::nullopt;
    pugi::xml_node err = doc.child("Error");
    if (!err) return std::nullopt;
    return S3ErrorBody{err.child_value("Code"), err.child_value("Message")};
}

ListPage parse_list_page(std::string_view body) {
    pugi::xml_document doc;
    pugi::xml_node root;
    if (load(doc, body)) root = doc.child("ListBucketResult");
    if (!root) throw BackendError("S3 ListObjectsV2 returned an unreadable document", true);
    ListPage page;
    page.truncated = std::string_view(root.child_value("IsTruncated")) == "true";
    page.next_token = root.child_value("NextContinuationToken");
    for (pugi::xml_node c : root.children("Contents")) {
        ObjectInfo info;
        info.key = c.child_value("Key");
        std::string_view size = c.child_value("Size");
        std::from_chars(size.data(), size.data() + size.size(), info.size);
        info.etag = strip_quotes(c.child_value("ETag"));
        auto modified = parse_iso8601(c.child_value("LastModified"));
        if (!modified) {
            throw BackendError("S3 ListObjectsV2: unreadable LastModified for key " + info.key);
        }
        info.last_modified = *modified;
        page.objects.push_back(std::move(info));
    }
    return page;
}

std::string parse_upload_id(std::string_view body) {
    pugi::xml_document doc;
    std::string id;
    if (load(doc, body)) id = doc.child("InitiateMultipartUploadResult").child_value("UploadId");
    if (id.empty()) throw BackendError("S3 CreateMultipartUpload returned no UploadId", true);
    return id;
}

std::vector<std::pair<std::string, std::string>> parse_multipart_uploads(std::string_view body) {
    std::vector<std::pair<std::string, std::string>> uploads;
    pugi::xml_document doc;
    if (!load(doc, body)) return uploads;
    for (auto u : doc.child("ListMultipartUploadsResult").children("Upload"))
        uploads.emplace_back(u.child_value("Key"), u.child_value("UploadId"));
    return uploads;
}

std::string parse_copy_part_etag(std::string_view body) {
    pugi::xml_document doc;
    if (!load(doc, body)) return {};
    return doc.child("CopyPartResult").child_value("ETag");
}

std::string complete_multipart_xml(const std::vector<std::string>& part_etags) {
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("CompleteMultipartUpload");
    root.append_attribute("xmlns") = "http://s3.amazonaws.com/doc/2006-03-01/";
    for (size_t i = 0; i < part_etags.size(); ++i) {
        pugi::xml_node part = root.append_child("Part");
        part.append_child("PartNumber").text().set(static_cast<unsigned long long>(i + 1));
        part.append_child("ETag").text().set(part_etags[i].c_str());
    }
    std::ostringstream out;
    doc.save(out, "", pugi::format_raw);
    return out.str();
}

std::string strip_quotes(std::string_view etag) {
    if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
        etag = etag.substr(1, etag.size() - 2);
    }
    return std::string(etag);
}

}  // namespace gdx::store::s3
