// Relations between armed groups stated in the text: "al Qaeda-linked IMU"
// (affiliate), "works closely with al Qaeda, the
// Taliban, and the Haqqani Network" (ally), "integrated into the Taliban's
// shadow government" (part_of), "an affiliate of" (affiliate), "broke away
// from" (splinter_of), "clashed with" (rival). `a` is the subject group, `b`
// the other; one record per (a, b, kind) with every sentence as evidence.
#pragma once

#include <vector>

#include "extract/full_common.h"

namespace sitrep::extract::full {

// `context_group` resolves "the group", "it", "the Pakistan-based terror
// group" when a sentence names no subject. Sets relation_sentence[s].
void FindRelations(const View& v, int context_group, std::vector<Relation>* out,
                   std::vector<bool>* relation_sentence);

}  // namespace sitrep::extract::full
