// The SunSpec model definitions compiled into the plugin (plugins/sunspec/models, generated into
// embedded_models.cpp by cmake/embed_models.cmake at build time). Immutable, thread-safe.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace hepek::sunspec {

struct EmbeddedModel {
  uint16_t id;
  std::string_view json;  // the model_<id>.json text, as shipped by the SunSpec Alliance
};

// Every embedded definition, sorted by id.
const std::vector<EmbeddedModel>& embedded_model_texts();

}  // namespace hepek::sunspec
