// Micro benchmarks of the hot path: knowledge-base load, tokenizer,
// knowledge-base matcher, date and quantity parsing, event assembly, and the
// whole pipeline per profile.
// Input text is generated from a fixed seed (no shared data needed).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "clean/header.h"
#include "extract/extractor.h"
#include "extract/items.h"
#include "ingest/formats.h"
#include "kb/knowledge_base.h"
#include "sitrep/sitrep.h"
#include "text/date.h"
#include "text/tokenizer.h"

namespace {

using namespace sitrep;

// Press-release-like texts from a fixed seed (about 1 KB each).
const std::vector<std::string>& Texts() {
  static const std::vector<std::string> texts = [] {
    const char* provinces[] = {"Kandahar", "Helmand", "Khost", "Paktiya", "Ghazni", "Kunduz"};
    const char* districts[] = {"Zharay", "Nad-e Ali", "Sabari", "Zurmat", "Andar", "Imam Sahib"};
    const char* groups[] = {"Taliban", "Haqqani network", "Islamic Movement of Uzbekistan", "al Qaeda"};
    const char* qty[] = {"two", "three", "several", "12", "1,200", "a dozen", "one"};
    const char* days[] = {"today", "yesterday", "last night", "Sunday", "on March 3"};
    std::mt19937 rng(20240701);
    auto pick = [&](auto& a) { return a[rng() % (sizeof(a) / sizeof(a[0]))]; };
    std::vector<std::string> out;
    for (int n = 0; n < 256; ++n) {
      int p = static_cast<int>(rng() % 6);
      std::string t = "KABUL, Afghanistan (March " + std::to_string(1 + rng() % 28) + ", 2011)\n";
      t += "An Afghan and coalition security force detained " + std::string(pick(qty)) +
           " suspected insurgents during an operation in search of a " + pick(groups) +
           " leader in " + districts[p] + " district, " + provinces[p] + " province, " + pick(days) + ". ";
      t += "The leader is believed to coordinate attacks against Afghan and coalition forces. ";
      if (rng() % 2) t += "During the operation, the security force killed " + std::string(pick(qty)) + " armed insurgents. ";
      t += "The security force also seized rifles, ammunition and bomb-making materials.";
      out.push_back(std::move(t));
    }
    return out;
  }();
  return texts;
}

size_t TotalBytes() {
  size_t n = 0;
  for (const auto& t : Texts()) n += t.size();
  return n;
}

const KnowledgeBase& Kb() {
  static std::unique_ptr<KnowledgeBase> kb = [] {
    std::string error;
    return KnowledgeBase::Load(KnowledgeBase::FindDir(SITREP_KB_DIR), {}, &error);
  }();
  return *kb;
}

void BM_Tokenize(benchmark::State& state) {
  text::TokenizedText out;
  text::TokenizeOptions opt;
  for (auto _ : state) {
    for (const auto& t : Texts()) {
      text::Tokenize(t, 0, static_cast<uint32_t>(t.size()), opt, &out);
      benchmark::DoNotOptimize(out.tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_Tokenize);

void BM_MatcherFindAll(benchmark::State& state) {
  std::vector<text::TokenizedText> toks(Texts().size());
  for (size_t i = 0; i < toks.size(); ++i)
    text::Tokenize(Texts()[i], 0, static_cast<uint32_t>(Texts()[i].size()), {}, &toks[i]);
  std::vector<kb::Match> matches;
  std::vector<kb::Payload> payloads;
  for (auto _ : state) {
    for (const auto& t : toks) {
      matches.clear();
      payloads.clear();
      Kb().matcher().FindAll(t.tokens, &matches, &payloads);
      benchmark::DoNotOptimize(matches.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_MatcherFindAll);

// Knowledge base load + compile from data/kb, as every `sitrep` run does
// once: TSV parsing, hierarchy links, the phrase trie over every name, alias
// and lexicon phrase. Issue target: < 150 ms and < 150 MB resident.
void BM_KbLoadCompile(benchmark::State& state) {
  std::string dir = KnowledgeBase::FindDir(SITREP_KB_DIR);
  size_t places = 0, phrases = 0, nodes = 0;
  for (auto _ : state) {
    std::string error;
    auto kb = KnowledgeBase::Load(dir, {}, &error);
    if (!kb) {
      state.SkipWithError(error.c_str());
      return;
    }
    places = kb->places().size();
    phrases = kb->matcher().phrase_count();
    nodes = kb->matcher().node_count();
    benchmark::DoNotOptimize(kb.get());
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["places"] = static_cast<double>(places);
  state.counters["phrases"] = static_cast<double>(phrases);
  state.counters["trie_nodes"] = static_cast<double>(nodes);
  // Peak of the whole benchmark process so far (the KB is its largest part).
  state.counters["peak_rss_MB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_KbLoadCompile)->Unit(benchmark::kMillisecond)->Iterations(20);

// About 2 MB of news-style sentences over all theatres (places, groups,
// trigger words and plain prose), generated from a fixed seed.
const std::vector<std::string>& MatcherCorpus() {
  static const std::vector<std::string> texts = [] {
    const char* places[] = {"Nad-e Ali district, Helmand province", "Mosul", "North Waziristan",
                            "the Tirah Valley", "Deir ez-Zor province", "Shabwah", "Kismayo",
                            "Sirte", "Gao region", "Maiduguri, Borno State", "Chahar Darah",
                            "Arghandab district of Zabul", "Karachi", "Lower Shabelle"};
    const char* groups[] = {"Taliban", "Haqqani Network", "al Qaeda in the Arabian Peninsula",
                            "Islamic State", "al Shabaab", "Boko Haram", "Tehreek-e-Taliban Pakistan",
                            "Islamic Movement of Uzbekistan"};
    const char* verbs[] = {"killed", "detained", "captured", "arrested", "wounded"};
    const char* lead[] = {"Security forces", "An air strike", "Coalition aircraft", "Local police",
                          "A drone strike", "Government troops"};
    const char* filler[] = {
        "Officials said the operation followed weeks of surveillance by local informants.",
        "Residents described heavy gunfire that lasted until the early morning hours.",
        "The ministry did not say how the information about the gathering was obtained.",
        "A spokesman promised further details once the area had been cleared.",
        "Markets in the town reopened in the afternoon, according to shopkeepers."};
    std::mt19937 rng(20261125);
    auto pick = [&](auto& a) { return a[rng() % (sizeof(a) / sizeof(a[0]))]; };
    std::vector<std::string> out;
    size_t bytes = 0;
    while (bytes < 2'000'000) {
      std::string t;
      for (int k = 0; k < 6; ++k) {
        t += std::string(pick(lead)) + " " + pick(verbs) + " " + std::to_string(1 + rng() % 30) +
             " " + pick(groups) + " fighters in " + pick(places) + " on " +
             (rng() % 2 ? "Tuesday" : "March " + std::to_string(1 + rng() % 28)) + ". ";
        t += std::string(pick(filler)) + " ";
      }
      bytes += t.size();
      out.push_back(std::move(t));
    }
    return out;
  }();
  return texts;
}

// The one-pass matcher alone (tokens prepared beforehand): MB/s of text.
void BM_MatcherCorpus(benchmark::State& state) {
  const auto& texts = MatcherCorpus();
  std::vector<text::TokenizedText> toks(texts.size());
  size_t bytes = 0, tokens = 0;
  for (size_t i = 0; i < toks.size(); ++i) {
    text::Tokenize(texts[i], 0, static_cast<uint32_t>(texts[i].size()), {}, &toks[i]);
    bytes += texts[i].size();
    tokens += toks[i].tokens.size();
  }
  std::vector<kb::Match> matches;
  std::vector<kb::Payload> payloads;
  size_t found = 0;
  for (auto _ : state) {
    found = 0;
    for (const auto& t : toks) {
      matches.clear();
      payloads.clear();
      Kb().matcher().FindAll(t.tokens, &matches, &payloads);
      found += matches.size();
      benchmark::DoNotOptimize(matches.data());
    }
  }
  state.counters["matches_per_doc"] = static_cast<double>(found) / static_cast<double>(toks.size());
  state.counters["tokens"] = static_cast<double>(tokens);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_MatcherCorpus)->Unit(benchmark::kMillisecond);

void BM_DateParsing(benchmark::State& state) {
  const char* iso[] = {"2011-02-05", "2013-12-31", "1999-02-29", "2012-02-29", "bad"};
  const char* months[] = {"Jan.", "February", "Sept", "sept.", "Dec", "Mayday"};
  const char* feed[] = {"Sat, 05 Feb 2011 10:00:00 GMT", "2012-03-04T05:06:07Z", "5 Feb 11"};
  for (auto _ : state) {
    int sum = 0;
    for (auto s : iso) sum += text::ParseIsoDate(s).day;
    for (auto s : months) sum += text::MonthFromName(s);
    for (auto s : feed) sum += static_cast<int>(ingest::ParseFeedDate(s).size());
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * 14));
}
BENCHMARK(BM_DateParsing);

// Header reading (dateline, reference number, boilerplate lines) on every
// text, with a reference-number line in front as releases have.
void BM_ParseHeader(benchmark::State& state) {
  std::vector<std::string> texts;
  for (const auto& t : Texts()) texts.push_back("2011-03-S-100\nFor Immediate Release\n\n" + t);
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  for (auto _ : state) {
    for (const auto& t : texts) {
      clean::Header h = clean::ParseHeader(t, 2011);
      benchmark::DoNotOptimize(h.body_start);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ParseHeader);

// Writing the output line of an ISAF record.
void BM_ToJsonLine(benchmark::State& state) {
  Extraction x;
  x.doc_id = "2011-03-S-100";
  IsafRecord r;
  r.name = "2 killed, 3 detained in Kandahar";
  r.start_date = "2011-03-14";
  r.event_type = {"captureandkill"};
  r.province = {"kandahar"};
  r.target_group = {"haqqani;taliban"};
  r.min_killed = 2;
  r.min_captured = 3;
  r.killq = r.captureq = r.killcaptureraid = true;
  x.isaf = r;
  for (auto _ : state) {
    std::string line = ToJsonLine(x, Profile::kIsaf);
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ToJsonLine);

// Tokens grouped into items, with numbers ("12", "1,200", "three") parsed.
void BM_QuantitiesAndItems(benchmark::State& state) {
  extract::Analysis a;
  for (auto _ : state) {
    for (const auto& t : Texts()) {
      extract::Analyse(Kb(), t, 2011, &a);
      int64_t sum = 0;
      for (const auto& it : a.items)
        if (it.kind == extract::ItemKind::kNumber) sum += it.number;
      benchmark::DoNotOptimize(sum);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_QuantitiesAndItems);

void BM_EventAssembly(benchmark::State& state) {
  text::Date published{2011, 3, 10};
  for (auto _ : state) {
    for (const auto& t : Texts()) {
      extract::DocumentAnalysis d;
      extract::AnalyseDocument(Kb(), t, published, &d);
      benchmark::DoNotOptimize(d.incidents.data());
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_EventAssembly);

void BM_Pipeline(benchmark::State& state) {
  PipelineOptions o;
  o.profile = state.range(0) == 0 ? Profile::kIsaf : Profile::kFull;
  o.kb_dir = KnowledgeBase::FindDir(SITREP_KB_DIR);
  std::string error;
  auto p = Pipeline::Create(o, &error);
  std::vector<Document> docs;
  for (size_t i = 0; i < Texts().size(); ++i) {
    Document d;
    d.id = std::to_string(i);
    d.text = Texts()[i];
    docs.push_back(std::move(d));
  }
  for (auto _ : state) {
    for (const auto& d : docs) {
      std::string line = ToJsonLine(p->Extract(d), o.profile);
      benchmark::DoNotOptimize(line.data());
    }
  }
  state.SetLabel(state.range(0) == 0 ? "isaf" : "full");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * TotalBytes()));
}
BENCHMARK(BM_Pipeline)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
