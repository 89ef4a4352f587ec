// Scoring of ISAF-profile predictions, identical to the reference scorer
// shared/tools/isaf_score.py (including its Python equality semantics:
// 1 == true, 3.0 == 3, a bare string is a one-element set).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sitrep::eval {

extern const char* const kIsafFields[13];

struct GoldSet {
  std::vector<std::string> order;         // ids in file order
  std::map<std::string, std::string> gold_json;  // id -> gold object as JSON text
  std::map<std::string, std::string> text;       // id -> press-release text
};

// Reads a gold JSONL file (rows with "id", "gold" or "gold_raw", "text").
bool LoadGold(const std::string& path, GoldSet* out, std::string* error);

struct PredStats {
  uint64_t rows = 0, bad_rows = 0, unknown_ids = 0, duplicate_ids = 0;
};

struct FieldScore {
  double published = 0, strict = 0;  // totals (sum of per-row credit)
};

struct Report {
  size_t gold_rows = 0, matched = 0, usable = 0, missing = 0;
  PredStats stats;
  FieldScore fields[13];
  double aggregate_published = 0, aggregate_strict = 0;
  std::vector<std::string> warnings;
  std::string explain;  // filled when an id was asked for
};

// Scores prediction rows (one JSON text per line, as in a PRED.jsonl file;
// `source` names the file in warnings).
Report Score(const GoldSet& gold, const std::vector<std::string>& pred_lines,
             const std::string& source, const std::string& explain_id);

// The scorer's text report; the last line is "aggregate: NN.NN".
std::string FormatText(const Report& r);
// The scorer's --json report line followed by the aggregate line.
std::string FormatJson(const Report& r);

}  // namespace sitrep::eval
