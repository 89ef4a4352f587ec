// Placeholder until the serve subcommands land: registers nothing.
#include "cli/commands.h"

namespace sitrep::cli {

void RegisterServe(CLI::App& /*app*/, int* /*exit_code*/) {}

}  // namespace sitrep::cli
