// A small JSON document kept in a file that survives restarts and power cuts: a plugin's remembered state (the
// relay's last command, the climate's user setting, a flexible load's run progress).
//
//  - read_json_file(path, what): the document, or nullopt when there is no file yet. Throws std::runtime_error
//    naming `what` and the path when the file exists but cannot be read, is not JSON (duplicate keys and NUL
//    bytes refused, hepek/json_limits.hpp) or is not an object. The caller checks the fields.
//  - write_json_file(path, document, what): writes `<path>.tmp`, fsyncs it, renames it over `path` and fsyncs the
//    directory, so a reader finds the old document or the new one, never a torn one, and the new one is on disk
//    when this returns. Creates the directory. Throws std::runtime_error naming `what` and the path on failure.
// Thread-safety: no shared state; one writer per path.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace hepek::storage {

std::optional<nlohmann::json> read_json_file(const std::string& path, const std::string& what);
void write_json_file(const std::string& path, const nlohmann::json& document, const std::string& what);

}  // namespace hepek::storage
