// Knowledge-base files: kb::TsvFile::Parse on the raw input, then the input
// as an overlay file on top of a small knowledge base (places, groups,
// lexicon), which exercises the place/group/lexicon loaders, parent
// resolution, cycle detection and phrase compilation.
#include <fstream>
#include <memory>

#include "fuzz_util.h"
#include "kb/knowledge_base.h"
#include "kb/tsv.h"

namespace {

std::string g_kb_dir;

void Write(const std::filesystem::path& p, const std::string& s) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto dir = sitrep::fuzz::ScratchDir() / "kb";
  Write(dir / "places" / "p.tsv",
        "id\tlevel\tname\tcountry\tparent\tlat\tlon\tisaf\tpopulation\taliases\n"
        "AF\tcountry\tAfghanistan\tAF\t\t33\t65\t\t\t\n"
        "AF-KAN\tadmin1\tKandahar\tAF\tAF\t31.6\t65.7\tKandahar\t100\tQandahar\n"
        "d1\tadmin2\tPanjwa'i\tAF\tAF-KAN\t\t\t\t\t\n");
  Write(dir / "groups.tsv",
        "id\tkind\tname\tshort\ttype\tcountry\tisaf\taliases\taffiliations\n"
        "taliban\tgroup\tTaliban\t\tinsurgent\tAF\tTaliban\tTB\tally:haqqani\n"
        "haqqani\tgroup\tHaqqani Network\t\tinsurgent\tAF\thaqqani\t\t\n"
        "isaf\tforce\tInternational Security Assistance Force\tISAF\t\t\t\t\t\n");
  Write(dir / "lexicon" / "l.tsv",
        "phrase\tcategory\tvalue\tnumber\n"
        "killed\tkill\t\t\n"
        "two\tquantity\t\t2\n");
  g_kb_dir = dir.string();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view content(reinterpret_cast<const char*>(data), size);
  sitrep::kb::TsvFile t;
  std::string error;
  if (t.Parse("fuzz.tsv", content, &error)) {
    for (size_t r = 0; r < t.rows(); ++r) {
      FUZZ_CHECK(t.LineOf(r) >= 2);
      // Column indices come from Column(): -1 or a header column.
      for (const char* col : {"id", "name", "level", "aliases", "nope"})
        (void)sitrep::kb::SplitList(t.Get(r, t.Column(col)));
    }
    std::string err2;
    (void)t.Require({"id", "name"}, &err2);
  } else {
    FUZZ_CHECK(error.rfind("fuzz.tsv", 0) == 0);
  }

  std::string overlay = sitrep::fuzz::WriteScratch("overlay.tsv", data, size);
  error.clear();
  auto kb = sitrep::KnowledgeBase::Load(g_kb_dir, {overlay}, &error);
  if (!kb) {
    FUZZ_CHECK(!error.empty());
    return 0;
  }
  // Hierarchy walks terminate and lookups work on whatever was loaded.
  for (size_t i = 0; i < kb->places().size(); ++i) {
    int p = static_cast<int>(i);
    (void)kb->Admin1Of(p);
    (void)kb->Admin2Of(p);
    (void)kb->IsWithin(p, 0);
  }
  for (const auto& p : kb->places()) (void)kb->Lookup(p.name);
  for (const auto& g : kb->groups()) (void)kb->Lookup(g.name);
  return 0;
}
