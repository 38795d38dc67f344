#include "parser.hpp"

#include <fmt/format.h>
#include <hepek/command_validation.hpp>

#include <algorithm>
#include <optional>

#include "crc16.hpp"

namespace hepek::dsmr {
namespace {

struct Line {
  std::string_view text;   // without its line ending
  int number = 0;          // 1-based
  std::size_t offset = 0;  // of its first byte in the telegram
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
bool is_printable(char c) {
  return c >= 0x20 && c <= 0x7E;
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
    text.remove_suffix(1);
  return text;
}

// The text as it may appear in an error message: control bytes escaped, long text shortened. (Callers pass a
// string_view: with a std::string argument, argument-dependent lookup would prefer std::quoted.)
std::string quoted(std::string_view text) {
  constexpr std::size_t kMax = 40;
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMax; ++i) {
    const char c = text[i];
    if (is_printable(c) && c != '\'')
      out += c;
    else
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
  }
  if (text.size() > kMax) out += "...";
  return out + "'";
}

// The whole text with every byte outside printable ASCII as \xNN: safe in JSON and in a log line.
std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (is_printable(c))
      out += c;
    else
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

// Reads 1-3 digits at `pos`; false when there are none or more.
bool digit_group(std::string_view text, std::size_t& pos) {
  const std::size_t start = pos;
  while (pos < text.size() && is_digit(text[pos])) ++pos;
  return pos > start && pos - start <= 3;
}

bool is_unit(std::string_view text) {
  if (text.empty() || text.size() > 8 || !is_alpha(text[0])) return false;
  for (const char c : text)
    if (!is_alpha(c) && !is_digit(c)) return false;
  return true;
}

bool is_count(const Field& field) {
  if (!field.unit.empty() || field.text.empty() || field.text.size() > 4) return false;
  for (const char c : field.text)
    if (!is_digit(c)) return false;
  return true;
}

std::optional<Timestamp> reading_timestamp(const Field& field) {
  // Placeholders such as e-MUCS' "632525252525W" (no peak recorded yet) are not dates: no timestamp, no
  // error.
  if (!field.unit.empty() || !looks_like_timestamp(field.text)) return std::nullopt;
  return parse_timestamp(field.text);
}

class Parser {
 public:
  Parser(std::string_view text, const ParseOptions& options) : text_(text), options_(options) {}

  ParseResult run() {
    if (text_.size() > options_.max_bytes)
      return ParseError{0, fmt::format("telegram of {} bytes exceeds the limit of {} bytes", text_.size(),
                                       options_.max_bytes)};
    if (text_.empty()) return ParseError{0, "empty input: a telegram starts with '/'"};
    if (text_[0] != '/')
      return ParseError{1, fmt::format("a telegram starts with '/', found {}", quoted(text_.substr(0, 1)))};
    split_lines();

    std::size_t end = 0;
    for (std::size_t i = 1; i < lines_.size() && end == 0; ++i)
      if (!lines_[i].text.empty() && lines_[i].text[0] == '!') end = i;
    if (end == 0)
      return ParseError{0, fmt::format("truncated telegram: no '!' end line after line {}", lines_.size())};
    for (std::size_t i = end + 1; i < lines_.size(); ++i)
      if (!trim_right(lines_[i].text).empty())
        return ParseError{lines_[i].number,
                          fmt::format("unexpected data after the '!' end line: {}", quoted(lines_[i].text))};

    Telegram telegram;
    if (auto error = check_crc(lines_[end], telegram)) return *error;
    if (auto error = parse_header(telegram)) return *error;
    // From here on a line that cannot be read is left out and reported, as forgiving parsers (dsmr_parser,
    // arduino-dsmr) do: one odd line must not cost the whole reading. The CRC, checked above, still rejects a
    // telegram whose bytes were damaged.
    for (std::size_t i = 1; i < end; ++i)
      if (auto error = parse_line(lines_[i], telegram)) report(*error, telegram);
    interpret_all(telegram);
    if (auto error = read_timestamp(telegram)) {
      report(*error, telegram);
      drop_object(telegram, "0-0:1.0.0");
    }
    sort_problems(telegram);
    if (telegram.objects.empty() && !telegram.problems.empty())
      return ParseError{
          telegram.problems.front().line,
          telegram.problems.front().message + " (and no other line of the telegram could be read)"};

    const std::string version = telegram.version();
    if (!telegram.crc && !version.empty())
      return ParseError{
          lines_[end].number,
          fmt::format("no CRC after '!', but the telegram declares version {} and so must carry one",
                      version)};
    return telegram;
  }

 private:
  void split_lines() {
    std::size_t pos = 0;
    int number = 0;
    while (pos < text_.size()) {
      const std::size_t newline = text_.find('\n', pos);
      const std::size_t stop = newline == std::string_view::npos ? text_.size() : newline;
      std::string_view line = text_.substr(pos, stop - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      lines_.push_back({line, ++number, pos});
      pos = newline == std::string_view::npos ? text_.size() : newline + 1;
    }
  }

  std::optional<ParseError> check_crc(const Line& end, Telegram& telegram) const {
    const std::string_view crc_text = trim_right(end.text.substr(1));
    if (crc_text.empty()) return std::nullopt;
    bool hex = crc_text.size() == 3 || crc_text.size() == 4;
    for (const char c : crc_text) hex = hex && is_hex(c);
    if (!hex)
      return ParseError{
          end.number,
          fmt::format("the CRC after '!' must be 4 hex digits (3 accepted), found {}", quoted(crc_text))};
    const auto crc = static_cast<uint16_t>(std::stoul(std::string(crc_text), nullptr, 16));
    telegram.crc = crc;
    if (!options_.verify_crc) return std::nullopt;
    const std::string_view covered = text_.substr(0, end.offset + 1);
    const uint16_t computed = crc16_arc(covered);
    if (computed == crc) return std::nullopt;
    // Line endings turned from CRLF into LF on the way (a file saved on Unix, a logging tool): the meter's
    // CRC was computed over the CRLF original.
    if (has_bare_line_feed(covered) && crc16_arc_as_crlf(covered) == crc) return std::nullopt;
    return ParseError{end.number,
                      fmt::format("CRC mismatch: the telegram says {:04X} but its bytes from '/' to '!' "
                                  "give {:04X}",
                                  crc, computed)};
  }

  static bool has_bare_line_feed(std::string_view text) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return true;
    return false;
  }

  // A stray control byte in the identification line (seen from some meters and P1 dongles) is dropped when a
  // verified CRC vouches for the telegram, and reported; without a CRC it rejects the telegram as before.
  std::optional<ParseError> parse_header(Telegram& telegram) const {
    const std::string_view raw = trim_right(lines_[0].text);
    std::string cleaned;
    std::size_t first_control = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (is_printable(raw[i]))
        cleaned += raw[i];
      else if (first_control == 0)
        first_control = i + 1;
    }
    if (first_control > 0) {
      if (!crc_verified(telegram))
        return ParseError{
            1, fmt::format("header has a control byte at column {}: {}", first_control, quoted(raw))};
      telegram.problems.push_back(
          problem(lines_[0], fmt::format("control byte {} at column {} ignored (the "
                                         "CRC vouches for the telegram)",
                                         quoted(raw.substr(first_control - 1, 1)), first_control)));
    }
    const std::string_view header = cleaned;
    // "/XXXZ...": a three-letter manufacturer flag, then the meter's identification.
    if (header.size() < 5 || !is_alpha(header[1]) || !is_alpha(header[2]) || !is_alpha(header[3]))
      return ParseError{1,
                        fmt::format("header {} is not '/' + a three-letter manufacturer id + identification",
                                    quoted(header))};
    telegram.header = std::string(header);
    return std::nullopt;
  }

  // One line into `telegram`; on an error nothing of the line is kept (a continuation line that fails takes the
  // object it continues with it).
  std::optional<ParseError> parse_line(const Line& line, Telegram& telegram) {
    const std::string_view text = trim_right(line.text);
    if (text.empty()) return std::nullopt;
    if (text[0] == '(') {
      // DSMR 2.2/3 profiles continue on the next line: "0-1:24.3.0(...)(m3)" CRLF "(00001.001)".
      if (rejected_line_ > 0)
        return ParseError{line.number,
                          fmt::format("continues line {}, which could not be read", rejected_line_)};
      if (telegram.objects.empty())
        return ParseError{line.number, "a value in parentheses with no OBIS code before it"};
      if (auto error = parse_fields(text, 0, line.number, telegram.objects.back().fields)) {
        error->message += fmt::format(" ({} on line {} is left out with it)", telegram.objects.back().obis,
                                      telegram.objects.back().line);
        rejected_line_ = telegram.objects.back().line;
        telegram.objects.pop_back();
        return error;
      }
      return std::nullopt;
    }
    rejected_line_ = line.number;  // until the line is read
    const std::size_t open = text.find('(');
    if (open == std::string_view::npos)
      return ParseError{line.number, fmt::format("{} is not an OBIS line 'A-B:C.D.E(value)'", quoted(text))};
    const std::string_view obis = text.substr(0, open);
    if (!is_obis_code(obis))
      return ParseError{line.number, fmt::format("{} is not an OBIS code 'A-B:C.D.E'", quoted(obis))};
    for (const auto& earlier : telegram.objects)
      if (earlier.obis == obis)
        return ParseError{
            line.number,
            fmt::format("OBIS code {} appears twice (first on line {}, which is kept)", obis, earlier.line)};
    CosemObject object;
    object.obis = std::string(obis);
    object.line = line.number;
    if (auto error = parse_fields(text, open, line.number, object.fields)) return error;
    telegram.objects.push_back(std::move(object));
    rejected_line_ = 0;
    return std::nullopt;
  }

  bool crc_verified(const Telegram& telegram) const { return telegram.crc && options_.verify_crc; }

  LineProblem problem(const Line& line, std::string message) const {
    return LineProblem{line.number, hepek::quote_prefix(escaped(trim_right(line.text))), std::move(message)};
  }

  void report(const ParseError& error, Telegram& telegram) const {
    const std::size_t index = error.line > 0 ? static_cast<std::size_t>(error.line - 1) : 0;
    telegram.problems.push_back(problem(lines_[index < lines_.size() ? index : 0], error.message));
  }

  static void drop_object(Telegram& telegram, std::string_view obis) {
    std::erase_if(telegram.objects, [&](const CosemObject& object) { return object.obis == obis; });
  }

  // Problems found in later passes (profiles, the timestamp) go in line order with the others.
  static void sort_problems(Telegram& telegram) {
    std::stable_sort(telegram.problems.begin(), telegram.problems.end(),
                     [](const LineProblem& a, const LineProblem& b) { return a.line < b.line; });
  }

  void interpret_all(Telegram& telegram) const {
    std::vector<CosemObject> kept;
    kept.reserve(telegram.objects.size());
    for (auto& object : telegram.objects) {
      if (auto error = interpret(object))
        report(*error, telegram);
      else
        kept.push_back(std::move(object));
    }
    telegram.objects = std::move(kept);
  }

  static std::optional<ParseError> parse_fields(std::string_view text, std::size_t pos, int line,
                                                std::vector<Field>& fields) {
    while (pos < text.size()) {
      if (text[pos] != '(')
        return ParseError{line, fmt::format("unexpected {} at column {}: expected '('",
                                            quoted(text.substr(pos, 1)), pos + 1)};
      const std::size_t close = text.find(')', pos + 1);
      if (close == std::string_view::npos)
        return ParseError{line, fmt::format("'(' at column {} is never closed", pos + 1)};
      const std::string_view content = text.substr(pos + 1, close - pos - 1);
      for (std::size_t i = 0; i < content.size(); ++i)
        if (!is_printable(content[i]) || content[i] == '(')
          return ParseError{line, fmt::format("unexpected {} inside a value at column {}",
                                              quoted(content.substr(i, 1)), pos + 2 + i)};
      Field field;
      if (auto error = make_field(content, line, pos + 2, field)) return error;
      fields.push_back(std::move(field));
      pos = close + 1;
    }
    return std::nullopt;
  }

  static std::optional<ParseError> make_field(std::string_view content, int line, std::size_t column,
                                              Field& field) {
    const std::size_t star = content.rfind('*');
    if (star == std::string_view::npos || is_obis_code(content)) {
      field.text = std::string(content);
      return std::nullopt;
    }
    const std::string_view number = content.substr(0, star);
    const std::string_view unit = content.substr(star + 1);
    if (!is_unit(unit))
      return ParseError{
          line, fmt::format("value {} at column {} has no valid unit after '*'", quoted(content), column)};
    std::string reason;
    auto decimal = Decimal::parse(number, &reason);
    if (!decimal)
      return ParseError{
          line, fmt::format("value {} at column {} is not a number ({})", quoted(content), column, reason)};
    field.text = std::string(number);
    field.unit = std::string(unit);
    field.number = std::move(decimal);
    return std::nullopt;
  }

  // Decides which field is the reading and, for profile buffers, lists every reading.
  static std::optional<ParseError> interpret(CosemObject& object) {
    auto& fields = object.fields;
    if (fields.size() == 1) {
      object.value_index = 0;
      return std::nullopt;
    }
    if (is_legacy_profile(fields)) return interpret_legacy_profile(object);
    if (is_count(fields[0]) && is_obis_code(fields[1].text)) return interpret_profile(object);
    object.value_index = fields.size() - 1;
    object.timestamp = reading_timestamp(fields[fields.size() - 2]);
    return std::nullopt;
  }

  // DSMR 2.2/3: (start)(status)(period minutes)(count)(captured OBIS)(unit)(reading)...
  static bool is_legacy_profile(const std::vector<Field>& fields) {
    return fields.size() >= 7 && fields[0].unit.empty() && looks_like_timestamp(fields[0].text) &&
           is_obis_code(fields[4].text) && fields[5].unit.empty() && is_unit(fields[5].text);
  }

  static std::optional<ParseError> interpret_legacy_profile(CosemObject& object) {
    auto& fields = object.fields;
    const std::string unit = fields[5].text;
    for (std::size_t i = 6; i < fields.size(); ++i) {
      Field& reading = fields[i];
      if (!reading.unit.empty() && reading.unit != unit)
        return ParseError{object.line, fmt::format("{}: reading {} has unit {} but the profile says {}",
                                                   object.obis, i - 5, reading.unit, unit)};
      std::string reason;
      auto decimal = Decimal::parse(reading.text, &reason);
      if (!decimal)
        return ParseError{object.line, fmt::format("{}: reading {} {} is not a number ({})", object.obis,
                                                   i - 5, quoted(std::string_view(reading.text)), reason)};
      reading.unit = unit;
      reading.number = std::move(decimal);
    }
    const std::size_t readings = fields.size() - 6;
    if (!is_count(fields[3]) || std::stoul(fields[3].text) != readings)
      return ParseError{object.line,
                        fmt::format("{}: the profile announces {} readings but has {}", object.obis,
                                    quoted(std::string_view(fields[3].text)), readings)};
    const auto start = parse_timestamp(fields[0].text);
    const auto period = Decimal::parse(fields[2].text);
    for (std::size_t i = 6; i < fields.size(); ++i) {
      ProfileEntry entry{i, std::nullopt};
      if (start && period && period->scale() == 0)
        entry.timestamp = start->plus_minutes(period->mantissa() * static_cast<int64_t>(i - 6));
      object.entries.push_back(entry);
    }
    object.value_index = fields.size() - 1;
    object.timestamp = object.entries.back().timestamp;
    return std::nullopt;
  }

  // (count)(captured OBIS)...(entry 1 fields)...(entry n fields): 1-0:99.97.0, 0-0:98.1.0, 1-0:99.1.0, ...
  static std::optional<ParseError> interpret_profile(CosemObject& object) {
    auto& fields = object.fields;
    const std::size_t count = std::stoul(fields[0].text);
    std::size_t first = 1;
    while (first < fields.size() && fields[first].unit.empty() && is_obis_code(fields[first].text)) ++first;
    const std::size_t rest = fields.size() - first;
    if (count == 0 ? rest != 0 : rest == 0 || rest % count != 0)
      return ParseError{
          object.line, fmt::format("{} announces {} entries but {} values follow its OBIS codes", object.obis,
                                   count, rest)};
    if (count == 0) return std::nullopt;  // an empty buffer: no reading
    const std::size_t width = rest / count;
    for (std::size_t entry = 0; entry < count; ++entry) {
      const std::size_t begin = first + entry * width;
      ProfileEntry item{begin + width - 1, std::nullopt};
      for (std::size_t i = begin; i + 1 < begin + width; ++i)
        if (auto timestamp = reading_timestamp(fields[i])) item.timestamp = timestamp;
      object.entries.push_back(item);
    }
    object.value_index = object.entries.back().value_index;
    object.timestamp = object.entries.back().timestamp;
    return std::nullopt;
  }

  static std::optional<ParseError> read_timestamp(Telegram& telegram) {
    const CosemObject* object = telegram.find("0-0:1.0.0");
    if (!object) return std::nullopt;
    if (object->fields.size() != 1)
      return ParseError{object->line, "the telegram timestamp 0-0:1.0.0 must have exactly one value"};
    std::string reason;
    telegram.timestamp = parse_timestamp(object->fields[0].text, &reason);
    if (!telegram.timestamp) return ParseError{object->line, "telegram timestamp 0-0:1.0.0: " + reason};
    return std::nullopt;
  }

  std::string_view text_;
  const ParseOptions& options_;
  std::vector<Line> lines_;
  int rejected_line_ = 0;  // the last OBIS line that could not be read, while its continuation lines follow
};

}  // namespace

bool is_obis_code(std::string_view text) {
  std::size_t pos = 0;
  auto expect = [&](char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  };
  if (!digit_group(text, pos) || !expect('-') || !digit_group(text, pos) || !expect(':') ||
      !digit_group(text, pos) || !expect('.') || !digit_group(text, pos) || !expect('.') ||
      !digit_group(text, pos))
    return false;
  if (pos == text.size()) return true;
  return expect('*') && digit_group(text, pos) && pos == text.size();
}

ParseResult parse_telegram(std::string_view text, const ParseOptions& options) {
  return Parser(text, options).run();
}

}  // namespace hepek::dsmr
