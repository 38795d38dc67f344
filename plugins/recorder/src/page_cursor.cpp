#include "page_cursor.hpp"

#include <charconv>
#include <cstdint>
#include <vector>

#include <fmt/format.h>

namespace hepek::recorder {
namespace {

constexpr std::string_view kVersion = "1";

// FNV-1a, 64 bits: a fixed function of the bytes, the same in every build and run.
class Fingerprint {
 public:
  void add(std::string_view text) {
    for (const char c : text) {
      hash_ ^= static_cast<unsigned char>(c);
      hash_ *= 0x100000001b3ULL;
    }
    // A separator no field can hold ends every part, so ("ab","c") and ("a","bc") differ.
    hash_ ^= 0xffU;
    hash_ *= 0x100000001b3ULL;
  }
  void add(int64_t number) { add(std::to_string(number)); }
  uint64_t value() const { return hash_; }

 private:
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

uint64_t fingerprint(const PagePosition& position, const SeriesQuery& query) {
  Fingerprint print;
  print.add(position.series_id);
  print.add(position.ts_ms);
  print.add(position.rowid);
  print.add(query.device);
  print.add(static_cast<int64_t>(query.fields.size()));
  for (const auto& field : query.fields) print.add(field);
  print.add(query.from_ms);
  print.add(query.to_ms);
  print.add(resolution_name(query.resolution));
  print.add(statistic_name(query.statistic));
  print.add(query.timezone);
  return print.value();
}

template <typename T>
bool parse_number(std::string_view text, T& out, int base = 10) {
  if (text.empty()) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return error == std::errc() && end == text.data() + text.size();
}

std::string spell(const PagePosition& position, uint64_t print) {
  return fmt::format("{}.{}.{}.{}.{:016x}", kVersion, position.series_id, position.ts_ms, position.rowid,
                     print);
}

}  // namespace

std::string encode_cursor(const PagePosition& position, const SeriesQuery& query) {
  return spell(position, fingerprint(position, query));
}

Result<PagePosition> decode_cursor(std::string_view cursor, const SeriesQuery& query) {
  using R = Result<PagePosition>;
  const auto bad = [] {
    return R::failure("\"cursor\" is not one this recorder issued; pass a page's \"next\" back unchanged");
  };
  if (cursor.size() > kMaxCursorBytes) return bad();
  std::vector<std::string_view> parts;
  for (std::size_t begin = 0;;) {
    const std::size_t dot = cursor.find('.', begin);
    parts.push_back(
        cursor.substr(begin, dot == std::string_view::npos ? std::string_view::npos : dot - begin));
    if (dot == std::string_view::npos || parts.size() > 5) break;
    begin = dot + 1;
  }
  PagePosition position;
  uint64_t print = 0;
  if (parts.size() != 5 || parts[0] != kVersion || parts[4].size() != 16 ||
      !parse_number(parts[1], position.series_id) || !parse_number(parts[2], position.ts_ms) ||
      !parse_number(parts[3], position.rowid) || !parse_number(parts[4], print, 16))
    return bad();
  // Only the one spelling this recorder writes (no "+1", "01" or upper-case hex).
  if (spell(position, print) != cursor) return bad();
  if (print != fingerprint(position, query))
    return R::failure(
        "\"cursor\" does not fit this query: pass a page's \"next\" back unchanged, with the device, fields, "
        "from, to, resolution and stat of the first page");
  return R::success(position);
}

}  // namespace hepek::recorder
