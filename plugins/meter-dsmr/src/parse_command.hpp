// `hepek dsmr parse FILE...`: prints one JSON line per telegram found in each file (json_form.hpp), "-" reads
// stdin. Garbage between telegrams is skipped (reported on `err`); a telegram without its '!' end line at the
// end of a file is rejected as truncated; a file with no telegram at all prints one rejection. Error texts
// name the file and line. Returns the exit code: 0 when every telegram parsed, 1 when any was rejected, 2 on
// a usage error.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace hepek::dsmr {

int run_parse_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace hepek::dsmr
