// Malformed payloads for the hostile-input test (issue 9): every class of bad input an account on the bus can send
// to a topic the hub or a plugin answers, generated per topic from what the topic accepts.
//
// Contract: pure functions, deterministic (no randomness beyond a fixed-seed generator). Each Payload names its
// class (for the report) and, when the payload is an object the hub can still read, the transaction id an answer
// must echo. None of them is a valid request: every one must be answered with an error. Oversize payloads (over the
// broker's 1 MiB message size limit) are made separately by oversize(), because the broker drops them.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hepek::testing::hostile {

struct Payload {
  std::string kind;         // the class of malformation, e.g. "nesting 100,000 levels (200 KB)"
  std::string text;         // the bytes published
  std::string transaction;  // non-empty: the answer must echo {"transaction": this}
};

// `levels` nested arrays, 2 bytes a level: nested(30000) is 60 KB, nested(100000) 200 KB.
std::string nested(std::size_t levels);

// The classes every topic gets, whatever it accepts. `valid` is a valid object for the topic (its fields are
// reused for truncation, duplicate keys, NUL bytes and the like); `transactions`: the topic echoes a
// "transaction" member, so the payloads that can carry one do. `empty_is_valid`: an empty payload is a valid
// request there (bridge requests), so it is not sent as a malformed one.
std::vector<Payload> generic(const nlohmann::json& valid, bool transactions, bool empty_is_valid);

// Wrong types and out-of-range numbers for each writable field of a device (field -> command schema, as
// hepek::writable_fields returns), each in an otherwise valid command. A read-only device has none.
std::vector<Payload> device_fields(const nlohmann::json& writable);

// Bridge requests: "transaction" of a wrong type or over its length limit.
std::vector<Payload> bridge_fields();

// Recorder queries (hepek/<recorder>/request/<id>): each field of `valid` wrong, out of range, or a bad cursor.
std::vector<Payload> recorder_fields(const nlohmann::json& valid);

// A payload of `bytes` bytes (a JSON object with one long string), for the broker's size limit.
std::string oversize(std::size_t bytes);

}  // namespace hepek::testing::hostile
