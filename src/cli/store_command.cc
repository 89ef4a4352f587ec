// Placeholder until the store subcommands land: registers nothing.
#include "cli/commands.h"

namespace sitrep::cli {

void RegisterStore(CLI::App& /*app*/, int* /*exit_code*/) {}

}  // namespace sitrep::cli
