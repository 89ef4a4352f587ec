// The ISAF data set's 13-field record as a view over the analysed incidents,
// in the data set's label vocabulary (see shared data/isaf/README.md).
#pragma once

#include "extract/extractor.h"
#include "sitrep/record.h"

namespace sitrep::extract {

IsafRecord ToIsaf(const KnowledgeBase& kb, const DocumentAnalysis& doc);

// The incident the ISAF view describes: the first that reports a kill,
// capture or strike, else the first.
const Incident* MainIncident(const DocumentAnalysis& doc);

}  // namespace sitrep::extract
