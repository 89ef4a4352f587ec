#include "extract/relations.h"

#include <algorithm>
#include <optional>

namespace sitrep::extract::full {
namespace {

struct Cue {
  uint32_t begin = 0, end = 0;  // items of the cue
  const char* kind = "";
};

struct Pat {
  uint64_t words[3];
  uint32_t n;
  const char* kind;
};

const std::vector<Pat>& Patterns() {
  static const std::vector<Pat> kPats = [] {
    const Words& w = FW();
    return std::vector<Pat>{
      {{w.relationship_, w.with_, 0}, 2, "ally"},
      {{w.relationships_, w.with_, 0}, 2, "ally"},
      {{w.relations_, w.with_, 0}, 2, "ally"},
      {{w.ties_, w.to_, 0}, 2, "ally"},
      {{w.ties_, w.with_, 0}, 2, "ally"},
      {{w.links_, w.to_, 0}, 2, "ally"},
      {{w.links_, w.with_, 0}, 2, "ally"},
      {{w.connections_, w.to_, 0}, 2, "ally"},
      {{w.connections_, w.with_, 0}, 2, "ally"},
      {{w.alliance_, w.with_, 0}, 2, "ally"},
      {{w.allied_, w.with_, 0}, 2, "ally"},
      {{w.allied_, w.to_, 0}, 2, "ally"},
      {{w.works_, w.with_, 0}, 2, "ally"},
      {{w.worked_, w.with_, 0}, 2, "ally"},
      {{w.working_, w.with_, 0}, 2, "ally"},
      {{w.work_, w.with_, 0}, 2, "ally"},
      {{w.cooperates_, w.with_, 0}, 2, "ally"},
      {{w.cooperated_, w.with_, 0}, 2, "ally"},
      {{w.cooperating_, w.with_, 0}, 2, "ally"},
      {{w.cooperation_, w.with_, 0}, 2, "ally"},
      {{w.operations_, w.with_, 0}, 2, "ally"},
      {{w.attacks_, w.with_, 0}, 2, "ally"},
      {{w.alongside_, 0, 0}, 1, "ally"},
      {{w.in_, w.league_, w.with_}, 3, "ally"},
      {{w.partnered_, w.with_, 0}, 2, "ally"},
      {{w.partnership_, w.with_, 0}, 2, "ally"},
      {{w.collaborates_, w.with_, 0}, 2, "ally"},
      {{w.collaborated_, w.with_, 0}, 2, "ally"},
      {{w.collaboration_, w.with_, 0}, 2, "ally"},
      {{w.close_, w.to_, 0}, 2, "ally"},
      {{w.integrated_, w.into_, 0}, 2, "part_of"},
      {{w.part_, w.of_, 0}, 2, "part_of"},
      {{w.faction_, w.of_, 0}, 2, "part_of"},
      {{w.wing_, w.of_, 0}, 2, "part_of"},
      {{w.arm_, w.of_, 0}, 2, "part_of"},
      {{w.unit_, w.of_, 0}, 2, "part_of"},
      {{w.component_, w.of_, 0}, 2, "part_of"},
      {{w.subordinate_, w.to_, 0}, 2, "part_of"},
      {{w.merged_, w.into_, 0}, 2, "part_of"},
      {{w.affiliate_, w.of_, 0}, 2, "affiliate"},
      {{w.affiliated_, w.with_, 0}, 2, "affiliate"},
      {{w.affiliated_, w.to_, 0}, 2, "affiliate"},
      {{w.franchise_, w.of_, 0}, 2, "affiliate"},
      {{w.branch_, w.of_, 0}, 2, "affiliate"},
      {{w.pledged_, w.allegiance_, w.to_}, 3, "affiliate"},
      {{w.pledged_, w.loyalty_, w.to_}, 3, "affiliate"},
      {{w.swore_, w.allegiance_, w.to_}, 3, "affiliate"},
      {{w.sworn_, w.allegiance_, w.to_}, 3, "affiliate"},
      {{w.loyal_, w.to_, 0}, 2, "affiliate"},
      {{w.splinter_, w.of_, 0}, 2, "splinter_of"},
      {{w.splinter_, w.group_, w.of_}, 3, "splinter_of"},
      {{w.splinter_, w.faction_, w.of_}, 3, "splinter_of"},
      {{w.broke_, w.away_, w.from_}, 3, "splinter_of"},
      {{w.broke_, w.from_, 0}, 2, "splinter_of"},
      {{w.split_, w.from_, 0}, 2, "splinter_of"},
      {{w.offshoot_, w.of_, 0}, 2, "splinter_of"},
      {{w.breakaway_, w.faction_, w.of_}, 3, "splinter_of"},
      {{w.rival_, w.of_, 0}, 2, "rival"},
      {{w.rival_, w.to_, 0}, 2, "rival"},
      {{w.rivals_, w.of_, 0}, 2, "rival"},
      {{w.clashed_, w.with_, 0}, 2, "rival"},
      {{w.clashes_, w.with_, 0}, 2, "rival"},
      {{w.fighting_, w.against_, 0}, 2, "rival"},
      {{w.fought_, w.against_, 0}, 2, "rival"},
      {{w.fights_, w.against_, 0}, 2, "rival"},
      {{w.at_, w.war_, w.with_}, 3, "rival"},
      {{w.feud_, w.with_, 0}, 2, "rival"},
      {{w.enemy_, w.of_, 0}, 2, "rival"},
      {{w.enemies_, w.of_, 0}, 2, "rival"},
      {{w.opposed_, w.to_, 0}, 2, "rival"},
      {{w.hostile_, w.to_, 0}, 2, "rival"},
    };
  }();
  return kPats;
}

// (first word, index) of every pattern, sorted: the patterns a word can
// start, in list order.
const std::vector<std::pair<uint64_t, uint32_t>>& PatternsByFirstWord() {
  static const std::vector<std::pair<uint64_t, uint32_t>> kIndex = [] {
    std::vector<std::pair<uint64_t, uint32_t>> out;
    const std::vector<Pat>& pats = Patterns();
    for (uint32_t k = 0; k < pats.size(); ++k) out.emplace_back(pats[k].words[0], k);
    std::sort(out.begin(), out.end());
    return out;
  }();
  return kIndex;
}

// Word hash -> 1 + the position of its first entry in PatternsByFirstWord().
const WordTable& FirstWords() {
  static const WordTable kTable = [] {
    WordTable t;
    const auto& index = PatternsByFirstWord();
    for (size_t k = 0; k < index.size(); ++k)
      if (k == 0 || index[k].first != index[k - 1].first) t.Add(index[k].first, k + 1);
    return t;
  }();
  return kTable;
}

// The relation cue starting at item i, if any.
bool CueAt(const View& v, uint32_t i, Cue* c) {
  uint64_t first = v.WordHash(i);
  if (first == 0) return false;
  uint64_t at = FirstWords().Of(first);  // "splinter" starts patterns too
  if (at == 0) return false;
  // "a splinter group of": "group of" is read as a quantity phrase.
  if (first == v.w().splinter_ && v.IsLex(i + 1, Lex::kQuantity) &&
      v.Raw(i + 1).starts_with("group")) {
    c->begin = i;
    c->end = i + 2;
    c->kind = "splinter_of";
    return true;
  }
  const std::vector<Pat>& pats = Patterns();
  const auto& index = PatternsByFirstWord();
  for (auto it = index.begin() + static_cast<long>(at - 1); it != index.end() && it->first == first;
       ++it) {
    const Pat& p = pats[it->second];
    uint32_t k = 1;
    while (k < p.n && v.Word(i + k, p.words[k])) ++k;
    if (k == p.n) {
      c->begin = i;
      c->end = i + p.n;
      c->kind = p.kind;
      return true;
    }
  }
  return false;
}

// A group item that names a group (not a person of the group: "a Taliban
// leader linked to al Qaeda").
bool NamesGroup(const View& v, uint32_t i, uint32_t e) {
  for (uint32_t k = i + 1; k < e && k <= i + 2; ++k) {
    if (v.IsLex(k, Lex::kRole) || v.IsLex(k, Lex::kPerson)) return false;
    if (v.I(k).kind == ItemKind::kPunct) break;
  }
  return true;
}

void Add(std::vector<Relation>* out, const std::string& a, const std::string& b,
         const std::string& kind, const Evidence& ev) {
  if (a == b) return;
  for (auto& r : *out) {
    if (r.a == a && r.b == b && r.kind == kind) {
      bool have = std::any_of(r.evidence.begin(), r.evidence.end(),
                              [&](const Evidence& e) { return e.start == ev.start; });
      if (!have) r.evidence.push_back(ev);
      return;
    }
  }
  Relation r;
  r.a = a;
  r.b = b;
  r.kind = kind;
  r.evidence.push_back(ev);
  out->push_back(std::move(r));
}

}  // namespace

void FindRelations(const View& v, int context_group, std::vector<Relation>* out,
                   std::vector<bool>* relation_sentence) {
  const Words& w = v.w();
  const auto& groups = v.kb().groups();
  uint32_t n = v.Sentences();
  relation_sentence->assign(n, false);
  int subject_ctx = context_group;
  for (uint32_t s = 0; s < n; ++s) {
    if (!v.SentHas(s, fact::kArmedGroup)) continue;
    uint32_t b = v.SentBegin(s), e = v.SentEnd(s);
    if (v.NextWith(b, e, fact::kArmedGroup) == e) continue;  // no group in the sentence
    size_t before = out->size();
    // The sentence as evidence, made when a relation is found.
    std::optional<Evidence> evidence;
    auto ev = [&]() -> const Evidence& {
      if (!evidence) evidence = v.SentenceEvidence(s);
      return *evidence;
    };

    // "al Qaeda-linked Islamic Movement of Uzbekistan".
    for (uint32_t i = v.NextWith(b, e, fact::kArmedGroup); i < e;
         i = v.NextWith(i + 1, e, fact::kArmedGroup)) {
      int g = v.ArmedGroupOf(i);
      if (!v.AffiliationModifier(i)) continue;
      uint32_t k = i + 1;
      if (v.Punct(k, '-')) ++k;
      const char* kind = (v.Word(k, w.allied_) || v.Word(k, w.aligned_)) ? "ally" : "affiliate";
      for (uint32_t j = k + 1; j < e && j <= k + 4; ++j) {
        int h = v.ArmedGroupOf(j);
        if (h >= 0) {
          if (NamesGroup(v, j, e))
            Add(out, groups[static_cast<size_t>(h)].id, groups[static_cast<size_t>(g)].id, kind,
                ev());
          break;
        }
        if (v.I(j).kind == ItemKind::kPunct) break;
      }
    }

    // Cue phrases: subject before the first cue, objects after each cue.
    std::vector<Cue> cues;
    for (uint32_t i = b; i < e; ++i) {
      Cue c;
      if (CueAt(v, i, &c)) {
        cues.push_back(c);
        i = c.end - 1;
      }
    }
    if (!cues.empty()) {
      int subject = -1;
      bool person_subject = false;
      bool anaphora = false;
      for (uint32_t i = b; i < cues.front().begin; ++i) {
        int g = v.ArmedGroupOf(i);
        // The sentence's subject is its first group ("AQAP, al Qaeda's
        // affiliate in Yemen, has clashed with ...").
        if (g >= 0 && !v.AffiliationModifier(i) && subject < 0) {
          if (NamesGroup(v, i, e)) subject = g;
          else person_subject = true;
        }
        if (v.Word(i, w.group_) || v.Word(i, w.organization_) ||
            v.Word(i, w.organisation_) || v.Word(i, w.movement_) || v.Word(i, w.network_) ||
            v.Word(i, w.it_) || v.Word(i, w.outfit_) || v.Word(i, w.faction_) ||
            v.Word(i, w.they_))
          anaphora = true;
      }
      if (subject < 0 && anaphora && !person_subject) subject = subject_ctx;
      if (subject >= 0 && !person_subject) {
        for (size_t c = 0; c < cues.size(); ++c) {
          uint32_t stop = c + 1 < cues.size() ? cues[c + 1].begin : e;
          for (uint32_t j = cues[c].end; j < stop; ++j) {
            if (v.Punct(j, ';')) break;
            int h = v.ArmedGroupOf(j);
            if (h < 0 || v.AffiliationModifier(j) || h == subject) continue;
            Add(out, groups[static_cast<size_t>(subject)].id, groups[static_cast<size_t>(h)].id,
                cues[c].kind, ev());
          }
        }
        subject_ctx = subject;
      }
    }

    // "AQAP, al Qaeda's affiliate in Yemen": G 's affiliate|branch|franchise.
    for (uint32_t i = b; i + 1 < e; ++i) {
      int g = v.ArmedGroupOf(i);
      if (g < 0) continue;
      uint32_t k = i + 1;
      if (k < e && (v.I(k).flags & text::kPossessive)) ++k;
      if (!(v.Word(k, w.affiliate_) || v.Word(k, w.branch_) || v.Word(k, w.franchise_) ||
            v.Word(k, w.affiliates_)))
        continue;
      // The affiliate is the group named just before ("AQAP, al Qaeda's ...").
      for (uint32_t j = i; j > b && j + 4 > i;) {
        --j;
        int h = v.ArmedGroupOf(j);
        if (h >= 0 && h != g) {
          Add(out, groups[static_cast<size_t>(h)].id, groups[static_cast<size_t>(g)].id,
              "affiliate", ev());
          break;
        }
      }
    }
    if (out->size() > before) (*relation_sentence)[s] = true;
  }
}

}  // namespace sitrep::extract::full
