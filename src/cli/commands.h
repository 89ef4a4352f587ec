// Subcommand registration for the sitrep CLI.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace sitrep::cli {

// Adds every subcommand to `app`; the one that runs sets *exit_code.
void Register(CLI::App& app, int* exit_code);
// Subcommands defined in their own files.
void RegisterBench(CLI::App& app, int* exit_code);    // bench_command.cc
void RegisterStore(CLI::App& app, int* exit_code);    // store_command.cc: ingest, query, claims
void RegisterServe(CLI::App& app, int* exit_code);    // serve_command.cc
void RegisterReport(CLI::App& app, int* exit_code);   // report_command.cc

// A CLI11 check for --published: empty when `value` is a real YYYY-MM-DD day,
// else the message.
std::string CalendarDateCheck(const std::string& value);

// Exit statuses: 0 success, 1 failure, 2 usage, 3 some inputs were rejected.
constexpr int kExitRejected = 3;

}  // namespace sitrep::cli
