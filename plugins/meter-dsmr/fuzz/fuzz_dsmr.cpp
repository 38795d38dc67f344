// libFuzzer target for the P1 parser: any bytes as one telegram, and the same bytes as a stream fed in
// chunks. Besides memory errors and undefined behaviour (ASan/UBSan), it checks invariants:
//  - whatever the stream reader accepts, parse_telegram() accepts on its own (the reader adds no leniency), and
//    the JSON form and meter state of an accepted telegram (with its problems: the lines left out) can always be
//    built and published (they dump strictly);
//  - feeding the stream in one piece or in chunks gives the same accepted telegrams.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "hepek/testing/fuzz_check.hpp"
#include "json_form.hpp"
#include "meter_state.hpp"
#include "parser.hpp"
#include "stream_reader.hpp"

using namespace hepek::dsmr;
using hepek::testing::dumps_strictly;

namespace {

std::vector<std::string> accepted_raw(std::string_view input, std::size_t chunk) {
  TelegramStreamReader reader;
  std::vector<std::string> accepted;
  auto take = [&](std::vector<StreamEvent> events) {
    for (auto& event : events) {
      if (event.ok()) {
        HEPEK_FUZZ_CHECK(parse_telegram(event.raw).ok(), "what the stream reader accepts parses alone");
        HEPEK_FUZZ_CHECK(dumps_strictly(telegram_to_json(*event.telegram)), "the JSON form can be published");
        HEPEK_FUZZ_CHECK(dumps_strictly(meter_state(*event.telegram)), "the meter state can be published");
        accepted.push_back(std::move(event.raw));
      } else {
        (void)event.describe_error();
      }
    }
  };
  for (std::size_t pos = 0; pos < input.size(); pos += chunk) take(reader.feed(input.substr(pos, chunk)));
  take(reader.finish());
  return accepted;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  const ParseResult result = parse_telegram(input);
  if (result.ok()) {
    HEPEK_FUZZ_CHECK(dumps_strictly(telegram_to_json(result.telegram())), "the JSON form can be published");
    HEPEK_FUZZ_CHECK(dumps_strictly(meter_state(result.telegram())), "the meter state can be published");
  } else {
    (void)result.error().to_string();
  }

  const std::size_t chunk = 1 + (size > 0 ? data[size - 1] % 97 : 0);
  HEPEK_FUZZ_CHECK(accepted_raw(input, input.size() + 1) == accepted_raw(input, chunk),
                   "one piece and chunks give the same telegrams");
  return 0;
}
