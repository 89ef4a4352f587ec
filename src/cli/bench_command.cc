// `sitrep bench`: throughput of the extractor on a corpus, next to `wc -w`
// on the same bytes in the same run.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/parallel.h"
#include "cli/store_bench.h"
#include "ingest/stream_runner.h"
#include "kb/knowledge_base.h"
#include "sitrep/sitrep.h"

namespace sitrep::cli {
namespace {

// Generates press-release-like documents from a fixed seed.
std::vector<Document> GenerateCorpus(size_t target_bytes) {
  static const char* kProvinces[] = {"Kandahar", "Helmand", "Khost", "Paktiya", "Ghazni",
                                     "Kunduz", "Logar", "Wardak", "Nangarhar", "Zabul"};
  static const char* kDistricts[] = {"Zharay", "Nad-e Ali", "Sabari", "Zurmat", "Andar",
                                     "Imam Sahib", "Baraki Barak", "Sayyidabad", "Khugyani", "Qalat"};
  static const char* kGroups[] = {"Taliban", "Haqqani network", "Islamic Movement of Uzbekistan",
                                  "al Qaeda", "Hezb-e Islami Gulbuddin"};
  static const char* kQty[] = {"two", "three", "several", "multiple", "numerous", "four", "one"};
  static const char* kDays[] = {"today", "yesterday", "last night", "Sunday", "Tuesday"};
  static const char* kMonths[] = {"Jan.", "Feb.", "March", "April", "May", "June",
                                  "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."};
  std::mt19937 rng(20240701);
  auto pick = [&](auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
  std::vector<Document> docs;
  size_t total = 0;
  for (int n = 0; total < target_bytes; ++n) {
    int p = static_cast<int>(rng() % 10);
    std::ostringstream t;
    int month = static_cast<int>(rng() % 12);
    t << "2011-" << (month + 1 < 10 ? "0" : "") << month + 1 << "-S-" << (100 + n % 900)
      << "\nFor Immediate Release\n\nKABUL, Afghanistan (" << kMonths[month] << " "
      << 1 + rng() % 28 << ", 2011)\n";
    t << "An Afghan and coalition security force detained " << pick(kQty)
      << " suspected insurgents during an operation in search of a " << pick(kGroups)
      << " leader in " << kDistricts[p] << " district, " << kProvinces[p] << " province, "
      << pick(kDays) << ". ";
    t << "The leader is believed to coordinate attacks against Afghan and coalition forces "
         "and to move weapons throughout the province. ";
    if (rng() % 3 == 0)
      t << "During the operation, the security force killed " << pick(kQty)
        << " armed insurgents after being fired upon. ";
    if (rng() % 4 == 0) t << "No shots were fired and no civilians were harmed. ";
    t << "The security force also seized rifles, ammunition and bomb-making materials.";
    Document d;
    d.id = "bench-" + std::to_string(n);
    d.text = t.str();
    total += d.text.size();
    docs.push_back(std::move(d));
  }
  return docs;
}

std::string ToJsonRow(const Document& d) {
  std::string s = "{\"id\":\"" + d.id + "\",\"text\":\"";
  for (unsigned char c : d.text) {
    if (c == '"' || c == '\\') {
      s.push_back('\\');
      s.push_back(static_cast<char>(c));
    } else if (c == '\n') {
      s += "\\n";
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      s += buf;
    } else {
      s.push_back(static_cast<char>(c));
    }
  }
  return s + "\"}";
}

long PeakRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

// CPU time of the whole process (all threads), user + system. On a shared
// machine wall-clock speed-ups depend on what else runs; CPU time per MB
// shows whether threads add work (contention) or only spread it.
double CpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return sec(ru.ru_utime) + sec(ru.ru_stime);
}

// The same work as `wc -w`: count whitespace-separated words.
uint64_t CountWords(const std::vector<Document>& docs) {
  uint64_t words = 0;
  for (const auto& d : docs) {
    bool in_word = false;
    for (unsigned char c : d.text) {
      bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
      if (!space && !in_word) ++words;
      in_word = !space;
    }
  }
  return words;
}

double WcSeconds(const std::string& path) {
  auto t0 = std::chrono::steady_clock::now();
  std::string cmd = "wc -w < '" + path + "' > /dev/null";
  int rc = std::system(cmd.c_str());
  auto t1 = std::chrono::steady_clock::now();
  if (rc != 0) return -1;
  return std::chrono::duration<double>(t1 - t0).count();
}

}  // namespace

void RegisterBench(CLI::App& app, int* code) {
  struct Opts {
    std::string corpus;
    double megabytes = 50;
    int threads = 0;
    std::string write_corpus;
    StoreBenchOptions store;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("bench", "throughput per profile: MB/s, docs/s per thread, vs wc -w");
  cmd->add_option("corpus", o->corpus, "JSONL or text corpus (default: generated from a fixed seed)");
  cmd->add_option("--mb", o->megabytes, "size of the generated corpus in MB");
  cmd->add_option("-j,--threads", o->threads, "threads for the multi-thread run (default: all cores)");
  cmd->add_option("--write-corpus", o->write_corpus,
                  "write the corpus as JSONL to this file and exit (to profile or compare "
                  "other tools on the same bytes)");
  cmd->add_option("--store", o->store.db,
                  "store benchmark instead: fill this SQLite file or postgresql:// URL with "
                  "synthetic events (when it has fewer than --events) and time its queries");
  cmd->add_option("--events", o->store.events, "events in the --store benchmark (default 1000000)");
  cmd->add_option("--runs", o->store.runs, "timings per query in the --store benchmark (default 7; 0: only fill the store)");
  cmd->callback([o, code] {
    if (!o->store.db.empty()) {
      *code = RunStoreBench(o->store);
      return;
    }
    // The knowledge base first, before the corpus exists, so that the peak
    // RSS printed here is what loading it costs (issue target: < 150 ms,
    // < 150 MB).
    {
      std::string error;
      long rss0 = PeakRssKb();
      auto k0 = std::chrono::steady_clock::now();
      auto kb = KnowledgeBase::Load(KnowledgeBase::FindDir(""), {}, &error);
      double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - k0).count();
      if (!kb) {
        std::fprintf(stderr, "sitrep bench: %s\n", error.c_str());
        *code = 1;
        return;
      }
      long rss1 = PeakRssKb();
      std::printf("kb: load+compile %.1f ms (%zu places, %zu groups, %zu phrases, %zu trie nodes), "
                  "peak RSS %.1f MB after load (+%.1f MB)\n",
                  load * 1000, kb->places().size(), kb->groups().size(),
                  kb->matcher().phrase_count(), kb->matcher().node_count(),
                  static_cast<double>(rss1) / 1024.0, static_cast<double>(rss1 - rss0) / 1024.0);
    }
    std::vector<Document> docs;
    if (o->corpus.empty()) {
      docs = GenerateCorpus(static_cast<size_t>(o->megabytes * 1e6));
    } else {
      ReadDocuments({o->corpus}, [&](Document&& d) { docs.push_back(std::move(d)); return true; },
                    [](const ReadError& e) { std::fprintf(stderr, "sitrep: %s\n", e.ToString().c_str()); });
      // Repeat a small corpus so that timings are not noise.
      size_t n = docs.size();
      size_t bytes = 0;
      for (const auto& d : docs) bytes += d.text.size();
      while (n > 0 && bytes < static_cast<size_t>(o->megabytes * 1e6)) {
        for (size_t i = 0; i < n; ++i) {
          docs.push_back(docs[i]);
          bytes += docs[i].text.size();
        }
      }
    }
    if (!o->write_corpus.empty()) {
      std::ofstream out(o->write_corpus, std::ios::binary);
      for (const auto& d : docs) out << ToJsonRow(d) << "\n";
      if (!out) {
        std::fprintf(stderr, "sitrep bench: cannot write %s\n", o->write_corpus.c_str());
        *code = 1;
      }
      return;
    }
    size_t bytes = 0;
    for (const auto& d : docs) bytes += d.text.size();
    // Write the same bytes to a temporary file for wc -w.
    std::string tmp = "/tmp/sitrep-bench-" + std::to_string(::getpid()) + ".txt";
    {
      std::ofstream out(tmp, std::ios::binary);
      for (const auto& d : docs) out << d.text << "\n";
    }
    WcSeconds(tmp);  // warm the page cache
    double wc = WcSeconds(tmp);
    for (int rep = 0; rep < 2; ++rep) wc = std::min(wc, WcSeconds(tmp));  // best of 3: others share the machine
    std::remove(tmp.c_str());
    // The same documents as JSONL, for the end-to-end streaming run.
    std::string jsonl = "/tmp/sitrep-bench-" + std::to_string(::getpid()) + ".jsonl";
    {
      std::ofstream out(jsonl, std::ios::binary);
      for (const auto& d : docs) out << ToJsonRow(d) << "\n";
    }
    double mb = static_cast<double>(bytes) / 1e6;
    std::printf("corpus: %zu documents, %.1f MB%s\n", docs.size(), mb,
                o->corpus.empty() ? " (generated, seed 20240701)" : "");
    auto t0 = std::chrono::steady_clock::now();
    uint64_t words = CountWords(docs);
    double wsec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("wc -w: %.1f MB/s (%.3f s; in-process word count %.1f MB/s, %llu words)\n",
                wc > 0 ? mb / wc : 0.0, wc, mb / wsec, static_cast<unsigned long long>(words));
    unsigned all = o->threads > 0 ? static_cast<unsigned>(o->threads)
                                  : std::max(1u, std::thread::hardware_concurrency());
    for (const char* profile_name : {"isaf", "full"}) {
      PipelineOptions opt;
      ParseProfile(profile_name, &opt.profile);
      std::string error;
      auto k0 = std::chrono::steady_clock::now();
      auto pipeline = Pipeline::Create(opt, &error);
      double load = std::chrono::duration<double>(std::chrono::steady_clock::now() - k0).count();
      if (!pipeline) {
        std::fprintf(stderr, "sitrep bench: %s\n", error.c_str());
        *code = 1;
        return;
      }
      for (unsigned threads : {1u, all}) {
        auto s0 = std::chrono::steady_clock::now();
        double c0 = CpuSeconds();
        auto lines = ExtractAll(*pipeline, docs, threads);
        double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
        double cpu = CpuSeconds() - c0;
        size_t out_bytes = 0;
        for (const auto& l : lines) out_bytes += l.size();
        std::printf("profile %-4s threads %u: %.1f MB/s, %.0f docs/s, %.1f MB/s per thread, "
                    "%.3fx wc -w (kb load %.0f ms, output %.1f MB; %.1f MB per CPU-second)\n",
                    profile_name, threads, mb / sec, static_cast<double>(docs.size()) / sec,
                    mb / sec / threads, wc > 0 ? (mb / sec) / (mb / wc) : 0.0, load * 1000,
                    static_cast<double>(out_bytes) / 1e6, cpu > 0 ? mb / cpu : 0.0);
        if (threads == all) break;
      }
    }
    // End to end, as `sitrep extract --profile isaf -j N FILE > /dev/null`
    // runs: reading and parsing JSONL, extraction, JSON output, overlapped.
    {
      PipelineOptions opt;
      opt.profile = Profile::kIsaf;
      std::string error;
      auto pipeline = Pipeline::Create(opt, &error);
      if (pipeline) {
        for (unsigned threads : {1u, all}) {
          auto s0 = std::chrono::steady_clock::now();
          double c0 = CpuSeconds();
          double first = -1;
          size_t out_bytes = 0;
          ingest::RunOptions ro;
          ro.threads = threads;
          ingest::RunOrderedStream(
              [&](const DocumentSink& sink) { ReadDocuments({jsonl}, sink, [](const ReadError&) {}); },
              [&](const Document& d) { return pipeline->Extract(d); },
              [&](const Document&, Extraction&& x) {
                if (first < 0)
                  first = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
                out_bytes += ToJsonLine(x, Profile::kIsaf).size() + 1;
              },
              {}, ro);
          double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - s0).count();
          double cpu = CpuSeconds() - c0;
          std::printf("stream isaf threads %u: %.1f MB/s end to end (JSONL in, JSON out), %.3fx wc -w, "
                      "first result after %.1f ms; %.1f MB per CPU-second\n",
                      threads, mb / sec, wc > 0 ? (mb / sec) / (mb / wc) : 0.0, first * 1000,
                      cpu > 0 ? mb / cpu : 0.0);
          if (threads == all) break;
        }
      }
    }
    std::remove(jsonl.c_str());
    std::printf("peak RSS: %.1f MB\n", static_cast<double>(PeakRssKb()) / 1024.0);
    *code = 0;
  });
}

}  // namespace sitrep::cli
