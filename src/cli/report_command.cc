// Placeholder until the report subcommands land: registers nothing.
#include "cli/commands.h"

namespace sitrep::cli {

void RegisterReport(CLI::App& /*app*/, int* /*exit_code*/) {}

}  // namespace sitrep::cli
