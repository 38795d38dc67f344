// Helpers shared by the meter-dsmr tests: where the shared data lives and how to read it.
#pragma once

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace hepek::dsmr::test_data {

inline std::string shared_dir() {
  const char* dir = std::getenv("HEPEK_SHARED_DIR");
  return dir ? dir : "../shared";
}

inline std::string dsmr_dir() {
  return shared_dir() + "/data/dsmr";
}

inline std::string read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw std::runtime_error("cannot open " + path + " (is HEPEK_SHARED_DIR set?)");
  std::ostringstream buffer;
  buffer << file.rdbuf();
  return buffer.str();
}

inline std::string telegram_file(const std::string& name) {
  return read_file(dsmr_dir() + "/" + name);
}

// CRLF -> LF, as a Unix tool would save the telegram.
inline std::string lf_only(std::string text) {
  std::string out;
  for (const char c : text)
    if (c != '\r') out += c;
  return out;
}

// Splits one CSV line (RFC 4180 quoting).
inline std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"')
        fields.back() += '"', ++i;
      else if (c == '"')
        quoted = false;
      else
        fields.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  return fields;
}

inline std::vector<std::vector<std::string>> read_csv(const std::string& path) {
  std::istringstream in(read_file(path));
  std::vector<std::vector<std::string>> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line))
    if (!line.empty() && line != "\r") rows.push_back(csv_fields(line));
  return rows;
}

}  // namespace hepek::dsmr::test_data
