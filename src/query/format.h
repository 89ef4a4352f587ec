// Output formats for `sitrep query`: table, CSV, JSON, GeoJSON, the
// ACLED-style export, and the merge explanation.
#pragma once

#include <string>
#include <vector>

#include "sitrep/store.h"

namespace sitrep::query {

// format: table | csv | json | geojson
std::string FormatEvents(const std::vector<MergedEvent>& events, const std::string& format);
// format: table | csv | json (geojson is not meaningful for buckets: json)
std::string FormatAggregate(const std::vector<AggregateRow>& rows, const std::string& by,
                            const std::string& format);
// ACLED-style CSV: event_date, event_type, sub_event_type, actor1, actor2,
// country, admin1, admin2, location, latitude, longitude, geo_precision,
// source, notes, fatalities. One row per merged event; sources and notes come
// from every report of it.
std::string FormatAcled(Store& store, const std::vector<MergedEvent>& events);
// Why the reports of one merged event were merged.
std::string FormatExplainMerge(const std::vector<SourceEvent>& sources);

std::string CsvField(const std::string& s);

}  // namespace sitrep::query
