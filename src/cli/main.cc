// The `sitrep` command: one subcommand per job, all over the public API.
#include <CLI/CLI.hpp>

#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  CLI::App app{"sitrep: events from military press releases and news"};
  app.require_subcommand(1);
  int exit_code = 0;
  sitrep::cli::Register(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); its own codes (105, 109, ...)
    // become the documented usage status.
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return exit_code;
}
