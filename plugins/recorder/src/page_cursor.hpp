// Page cursors of the recorder's bus queries: the "next" token a page carries and the "cursor" a request passes back
// for the following page (query_protocol.hpp).
//
// A cursor is opaque to clients: "1.<series id>.<ts ms>.<rowid>.<16 hex digits>" today (the position of the first
// point not yet returned, series_query.hpp), the hex digits a 64-bit FNV-1a hash of that position and of the query
// it belongs to (device, fields, range, resolution, statistic, time zone; not the page size, which may change
// between pages). So a cursor that is edited, cut short or passed with another query is refused with an error
// instead of answering with the wrong rows (a check against mistakes, not a signature). It is stable: the same
// position of the same query always gives the same text. Pure functions, thread-safe; decode_cursor never throws.
#pragma once

#include <string>
#include <string_view>

#include "hepek/result.hpp"
#include "series_query.hpp"

namespace hepek::recorder {

inline constexpr std::size_t kMaxCursorBytes = 128;

std::string encode_cursor(const PagePosition& position, const SeriesQuery& query);
Result<PagePosition> decode_cursor(std::string_view cursor, const SeriesQuery& query);

}  // namespace hepek::recorder
