// libFuzzer target: ABI decoding (abi.hpp) of what a node returns: eth_call return data for the type lists the
// ergon plugin reads, revert data against its contract errors, and event logs against its events; plus the
// type-string parser.
// Input: a selector byte and data (byte % 3: 0 = return data for kTypeLists[byte / 3 % n], 1 = a log of
// kEvents[byte / 3 % 2] whose next byte is the topic count and then 32-byte topics, 2 = revert data); or a type
// list, a NUL byte and nothing else (the type parser alone: types come from our code, so they are not decoded).
// Invariants besides ASan/UBSan: decoding throws only AbiError (a std::runtime_error); decoded values re-encode
// (abi_encode) and decode to the same values; a parsed type list prints canonically and parses back the same.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "hepek/eth/abi.hpp"
#include "hepek/testing/fuzz_check.hpp"

namespace he = hepek::eth;

namespace {

// The ergon plugin's views (plugins/ergon/src/ergon_chain.cpp) and the shapes the ABI code supports beyond them.
const char* const kTypeLists[] = {
    "address",
    "bool",
    "uint256",
    "bytes32",
    "address,uint8,uint64,uint256,uint256,uint256,uint64",
    "string,bytes",
    "uint256[],bytes32[2]",
    "(address,uint256)[],string[]",
    "(uint64,(bytes,bool)[2])",
    "AccessControlUnauthorizedAccount(address,bytes32)",
    "DeviceAlreadyClaimed(string,address)",
};
const char* const kEvents[] = {
    "ChannelCloseRequested(bytes32 indexed channelId,address indexed device,uint256 claimedAmount,uint256 "
    "cumulativeImportWh,uint64 cycle,uint64 closesAt)",
    "Transfer(address indexed from,address indexed to,uint256 value)",
};

std::vector<he::AbiType> types_of(std::string_view list) {
  const auto open = list.find('(');
  if (open != std::string_view::npos && open > 0) return he::AbiSignature::parse(list).inputs;
  return he::AbiType::parse_list(list);
}

void check_round_trip(const std::vector<he::AbiType>& types, const std::vector<he::AbiValue>& values) {
  HEPEK_FUZZ_CHECK(values.size() == types.size(), "one value per type");
  const he::Bytes encoded = he::abi_encode(types, values);
  HEPEK_FUZZ_CHECK(he::abi_decode(types, encoded) == values, "decoded values re-encode and decode the same");
}

void decode_return(std::size_t which, he::ByteView data) {
  const auto types = types_of(kTypeLists[which % std::size(kTypeLists)]);
  std::vector<he::AbiValue> values;
  try {
    values = he::abi_decode(types, data);
  } catch (const he::AbiError&) {
    return;
  }
  check_round_trip(types, values);
}

void decode_event(std::size_t which, he::ByteView data) {
  he::Log log;
  std::size_t pos = 0;
  const std::size_t topics = data.empty() ? 0 : data[pos++] % 5;
  for (std::size_t i = 0; i < topics && pos + 32 <= data.size(); ++i, pos += 32) {
    he::Bytes32 topic;
    std::copy(data.begin() + pos, data.begin() + pos + 32, topic.begin());
    log.topics.push_back(topic);
  }
  const char* signature = kEvents[which % std::size(kEvents)];
  if (!log.topics.empty() && data.size() > 1 && data[1] % 2) log.topics[0] = he::event_topic(signature);
  log.data.assign(data.begin() + pos, data.end());
  try {
    (void)he::decode_log(signature, log);
  } catch (const he::AbiError&) {
  }
}

void parse_types(std::string_view text) {
  std::vector<he::AbiType> types;
  try {
    types = he::AbiType::parse_list(text);
  } catch (const std::invalid_argument&) {
    return;
  }
  // In its parenthesised form: parse_list reads "(a,b)" as the list a,b, so a list of one tuple written bare
  // ("(uint256,bool)", or "()" for an empty tuple) would read back as that tuple's members.
  std::string canonical;
  for (const auto& type : types) canonical += (canonical.empty() ? "" : ",") + type.canonical();
  const auto again = he::AbiType::parse_list("(" + canonical + ")");
  HEPEK_FUZZ_CHECK(again.size() == types.size(), "a canonical type list parses back");
  for (std::size_t i = 0; i < types.size(); ++i)
    HEPEK_FUZZ_CHECK(again[i].canonical() == types[i].canonical(), "a canonical type parses back the same");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto input = hepek::testing::split_input(data, size);
  if (input.second) {
    parse_types(input.first);
    return 0;
  }
  if (size == 0) return 0;
  const he::ByteView rest(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      decode_return(data[0] / 3, rest);
      break;
    case 1:
      decode_event(data[0] / 3, rest);
      break;
    default:
      decode_return(9 + data[0] / 3 % 2, rest);  // revert data: the error's arguments
  }
  return 0;
}
