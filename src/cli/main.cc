// The `sitrep` command: one subcommand per job, all over the public API.
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  // glibc grows each thread's malloc arena in small steps, each an mprotect
  // that takes the process's memory-map lock: with -j 2 the workers queued
  // on it, and isaf extraction ran at 1.79-1.84x one thread instead of 2x
  // (`sitrep bench`). Growing 32 MB at a time gives 1.86-1.91x. The cost:
  // an arena keeps up to 32 MB of freed memory (bench, which holds every
  // output, peaks 60 MB higher; streaming `extract` stays at 30 MB).
  mallopt(M_TOP_PAD, 32 << 20);
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
