// The reader itself: header rules, tolerated noise (BOM, CR, blanks, spaces, a plus sign), extra columns.
#include "hepek/timeseries/csv_table.hpp"

#include <sstream>

#include <gtest/gtest.h>

namespace hepek::timeseries {
namespace {

CsvTable read(const std::string& text, const CsvLayout& layout) {
  std::istringstream in(text);
  return read_csv_table(in, "t.csv", layout);
}
std::string error_of(const std::string& text, const CsvLayout& layout) {
  try {
    read(text, layout);
  } catch (const CsvError& e) {
    return e.what();
  }
  return "no error";
}

const CsvLayout kLoad{{"load_w"}, CsvLayout::Header::time_first, nullptr};

TEST(CsvTable, ReadsRowsInFileOrderWithLines) {
  const auto table =
      read("\xEF\xBB\xBFtime, load_w\r\n\r\n2023-01-01T01:00:00Z , +5\r\n2023-01-01T00:00:00Z,-2.5\n",
           CsvLayout{{"load_w"}, CsvLayout::Header::exact, nullptr});
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[0].line, 3);
  EXPECT_DOUBLE_EQ(table.rows[0].values[0], 5);
  EXPECT_EQ(table.rows[0].cells[0], "+5");
  EXPECT_EQ(table.rows[1].time.unix_s, 1672531200);
  EXPECT_DOUBLE_EQ(table.rows[1].values[0], -2.5);
}

TEST(CsvTable, TimeFirstPicksTheNamedColumnAmongOthers) {
  const auto table = read("time,load_w,pv_w\n2023-01-01T00:00:00Z,1,2\n",
                          CsvLayout{{"pv_w"}, CsvLayout::Header::time_first, nullptr});
  EXPECT_DOUBLE_EQ(table.rows[0].values[0], 2);
  EXPECT_NE(error_of("when,load_w\n", kLoad).find("t.csv:1: the first column"), std::string::npos);
  EXPECT_NE(error_of("time,pv_w\n", kLoad).find("no column named `load_w`"), std::string::npos);
  EXPECT_NE(
      error_of("time,load_w\n2023-01-01T00:00:00Z\n", kLoad).find("t.csv:2: expected 2 fields, found 1"),
      std::string::npos);
  EXPECT_NE(error_of("time,load_w\n2023-01-01T00:00:00Z,\n", kLoad).find("load_w is empty"),
            std::string::npos);
  EXPECT_NE(error_of("time,load_w\n2023-13-01T00:00:00Z,1\n", kLoad).find("no such date"), std::string::npos);
}

TEST(CsvTable, MissingFileIsNamed) {
  try {
    read_csv_table_file("/nonexistent/x.csv", kLoad);
    FAIL();
  } catch (const CsvError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/x.csv"), std::string::npos);
  }
}

}  // namespace
}  // namespace hepek::timeseries
