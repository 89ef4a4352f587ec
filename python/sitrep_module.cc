// The Python binding: sitrep.Pipeline over the public API. Results are plain
// dicts, parsed from the same JSON lines the command line prints, so Python,
// the CLI and Dask agree byte for byte. Extraction runs without the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ingest/stream_runner.h"
#include "sitrep/sitrep.h"
#if SITREP_HAVE_STORE
#include "sitrep/store.h"
#endif

namespace py = pybind11;

namespace {

using sitrep::Document;
using sitrep::Extraction;

unsigned Threads(int n) {
  return n > 0 ? static_cast<unsigned>(n) : std::max(1u, std::thread::hardware_concurrency());
}

// A Python str, or a dict with "text" and optional id/url/title/published/format.
Document ToDocument(const py::handle& item, size_t index) {
  Document d;
  if (py::isinstance<py::str>(item)) {
    d.text = item.cast<std::string>();
  } else if (py::isinstance<py::dict>(item)) {
    py::dict row = py::reinterpret_borrow<py::dict>(item);
    if (!row.contains("text")) throw py::value_error("document dict has no \"text\"");
    d.text = row["text"].cast<std::string>();
    auto get = [&](const char* key, std::string* dst) {
      if (row.contains(key) && !row[key].is_none()) *dst = py::str(row[key]).cast<std::string>();
    };
    get("id", &d.id);
    get("url", &d.url);
    get("title", &d.title);
    get("published", &d.published);
    get("format", &d.format);
  } else {
    throw py::type_error("documents are str or dict, not " +
                         std::string(py::str(py::type::of(item).attr("__name__"))));
  }
  if (d.id.empty()) d.id = std::to_string(index);
  if (d.format.empty()) d.format = "text";
  return d;
}

class PyPipeline {
 public:
  PyPipeline(const std::string& profile, const py::object& kb, const std::string& kb_dir,
             const std::string& published) {
    sitrep::PipelineOptions o;
    if (!sitrep::ParseProfile(profile, &o.profile))
      throw py::value_error("profile must be \"full\" or \"isaf\", not \"" + profile + "\"");
    o.kb_dir = kb_dir;
    // kb: a knowledge-base directory, an overlay TSV, or a list of overlays.
    std::vector<std::string> kbs;
    if (py::isinstance<py::str>(kb)) kbs.push_back(kb.cast<std::string>());
    else if (!kb.is_none()) kbs = kb.cast<std::vector<std::string>>();
    for (const auto& k : kbs) {
      if (std::filesystem::is_directory(k)) o.kb_dir = k;
      else o.kb_overlays.push_back(k);
    }
    o.default_published = published;
    std::string error;
    std::unique_ptr<sitrep::Pipeline> p = sitrep::Pipeline::Create(o, &error);
    if (!p) throw std::runtime_error(error);
    pipeline_ = std::move(p);
    json_loads_ = py::module_::import("json").attr("loads");
  }

  std::string profile() const {
    return pipeline_->options().profile == sitrep::Profile::kIsaf ? "isaf" : "full";
  }

  py::object Extract(const std::string& text, const py::object& published, const py::object& id,
                     const std::string& format) {
    Document d;
    d.text = text;
    d.id = id.is_none() ? "0" : py::str(id).cast<std::string>();
    if (!published.is_none()) d.published = py::str(published).cast<std::string>();
    d.format = format;
    std::string line;
    {
      py::gil_scoped_release nogil;
      line = ToJson(pipeline_->Extract(d));
    }
    return json_loads_(line);
  }

  py::list ExtractMany(const py::iterable& docs, int threads) {
    py::list out;
    std::vector<Document> chunk;
    size_t index = 0;
    auto run = [&] {
      std::vector<std::string> lines(chunk.size());
      {
        py::gil_scoped_release nogil;
        RunVector(chunk, Threads(threads), &lines);
      }
      for (const auto& l : lines) out.append(json_loads_(l));
      chunk.clear();
    };
    for (py::handle item : docs) {
      chunk.push_back(ToDocument(item, index++));
      if (chunk.size() >= 4096) run();
    }
    if (!chunk.empty()) run();
    return out;
  }

  // Reads files, directories, archives, WARC, feeds (as the CLI does) and
  // returns the results as dicts, in input order.
  py::list ExtractPaths(const std::vector<std::string>& paths, int threads) {
    std::vector<std::string> lines;
    std::vector<std::string> errors;
    {
      py::gil_scoped_release nogil;
      Stream(paths, Threads(threads), [&](const Document&, Extraction&& x) { lines.push_back(ToJson(x)); },
             &errors);
    }
    Warn(errors);
    py::list out;
    for (const auto& l : lines) out.append(json_loads_(l));
    return out;
  }

  // Same, written as JSONL to `out`; returns {"documents", "rejected", "errors"}.
  py::dict WriteJsonl(const std::vector<std::string>& paths, const std::string& out_path, int threads) {
    std::vector<std::string> errors;
    uint64_t n = 0;
    {
      py::gil_scoped_release nogil;
      std::FILE* f = std::fopen(out_path.c_str(), "wb");
      if (!f) throw std::runtime_error(out_path + ": cannot write");
      Stream(paths, Threads(threads),
             [&](const Document&, Extraction&& x) {
               std::string l = ToJson(x);
               l.push_back('\n');
               std::fwrite(l.data(), 1, l.size(), f);
               ++n;
             },
             &errors);
      std::fclose(f);
    }
    py::dict r;
    r["documents"] = n;
    r["rejected"] = errors.size();
    r["errors"] = errors;
    return r;
  }

#if SITREP_HAVE_STORE
  // Extracts and stores into a SQLite file or postgresql:// URL (idempotent).
  py::dict Ingest(const std::vector<std::string>& paths, const std::string& db, int threads) {
    std::vector<std::string> errors;
    sitrep::IngestStats total;
    {
      py::gil_scoped_release nogil;
      std::string error;
      auto store = sitrep::Store::Open(db, &error);
      if (!store) throw std::runtime_error(error);
      std::vector<std::pair<Document, Extraction>> batch;
      auto flush = [&] {
        sitrep::IngestStats s = store->Ingest(batch);
        total.added += s.added;
        total.unchanged += s.unchanged;
        total.replaced += s.replaced;
        total.events += s.events;
        total.failed += s.failed;
        for (auto& e : s.errors) errors.push_back(e);
        batch.clear();
      };
      Stream(paths, Threads(threads),
             [&](const Document& d, Extraction&& x) {
               batch.emplace_back(d, std::move(x));
               if (batch.size() >= 256) flush();
             },
             &errors);
      if (!batch.empty()) flush();
    }
    py::dict r;
    r["added"] = total.added;
    r["unchanged"] = total.unchanged;
    r["replaced"] = total.replaced;
    r["events"] = total.events;
    r["failed"] = total.failed;
    r["errors"] = errors;
    return r;
  }
#endif

 private:
  std::string ToJson(const Extraction& x) const { return sitrep::ToJsonLine(x, pipeline_->options().profile); }

  void RunVector(const std::vector<Document>& docs, unsigned threads, std::vector<std::string>* lines) {
    size_t next = 0;
    sitrep::ingest::RunOptions o;
    o.threads = threads;
    o.doc_timeout_seconds = 0;
    auto keep = pipeline_;  // a cut-off worker would outlive this call
    sitrep::ingest::RunOrderedStream(
        [&](const sitrep::DocumentSink& sink) {
          for (const auto& d : docs)
            if (!sink(Document(d))) return;
        },
        [keep](const Document& d) { return keep->Extract(d); },
        [&](const Document&, Extraction&& x) { (*lines)[next++] = ToJson(x); }, {}, o);
  }

  void Stream(const std::vector<std::string>& paths, unsigned threads,
              const sitrep::ingest::ResultFn& on_result, std::vector<std::string>* errors) {
    sitrep::ingest::RunOptions o;
    o.threads = threads;
    o.doc_timeout_seconds = 0;
    auto keep = pipeline_;
    sitrep::ingest::RunOrderedStream(
        [&](const sitrep::DocumentSink& sink) {
          sitrep::ReadDocuments(paths, sink,
                                [&](const sitrep::ReadError& e) { errors->push_back(e.ToString()); });
        },
        [keep](const Document& d) { return keep->Extract(d); }, on_result, {}, o);
  }

  static void Warn(const std::vector<std::string>& errors) {
    if (errors.empty()) return;
    py::object warn = py::module_::import("warnings").attr("warn");
    for (const auto& e : errors) warn("sitrep: " + e);
  }

  std::shared_ptr<const sitrep::Pipeline> pipeline_;
  py::object json_loads_;
};

py::list Read(const std::vector<std::string>& paths) {
  std::vector<Document> docs;
  std::vector<std::string> errors;
  {
    py::gil_scoped_release nogil;
    sitrep::ReadDocuments(
        paths, [&](Document&& d) { docs.push_back(std::move(d)); return true; },
        [&](const sitrep::ReadError& e) { errors.push_back(e.ToString()); });
  }
  if (!errors.empty()) {
    py::object warn = py::module_::import("warnings").attr("warn");
    for (const auto& e : errors) warn("sitrep: " + e);
  }
  py::list out;
  for (const auto& d : docs) {
    py::dict row;
    row["id"] = d.id;
    row["url"] = d.url;
    row["title"] = d.title;
    row["published"] = d.published;
    row["text"] = d.text;
    row["format"] = d.format;
    row["source"] = d.source;
    row["line"] = d.line;
    out.append(row);
  }
  return out;
}

}  // namespace

PYBIND11_MODULE(_sitrep, m) {
  m.doc() = "sitrep: events from military press releases and news";
  py::class_<PyPipeline>(m, "Pipeline")
      .def(py::init<const std::string&, const py::object&, const std::string&, const std::string&>(),
           py::arg("profile") = "full", py::arg("kb") = py::none(), py::arg("kb_dir") = "",
           py::arg("published") = "",
           "Compiles the knowledge base once. kb: a knowledge-base directory, an overlay TSV,\n"
           "or a list of overlays; published: YYYY-MM-DD for documents without a date.")
      .def_property_readonly("profile", &PyPipeline::profile)
      .def("extract", &PyPipeline::Extract, py::arg("text"), py::arg("published") = py::none(),
           py::arg("id") = py::none(), py::arg("format") = "text",
           "Extracts one text; returns a dict (the JSON line of `sitrep extract`).")
      .def("extract_many", &PyPipeline::ExtractMany, py::arg("docs"), py::arg("threads") = 0,
           "Extracts many documents (str, or dicts with text/id/url/title/published/format)\n"
           "on `threads` threads (0: all cores) without the GIL; returns dicts in input order.")
      .def("extract_paths", &PyPipeline::ExtractPaths, py::arg("paths"), py::arg("threads") = 0,
           "Reads files/directories/archives/WARC/feeds and returns the results in input order.")
      .def("write_jsonl", &PyPipeline::WriteJsonl, py::arg("paths"), py::arg("out"), py::arg("threads") = 0,
           "Like extract_paths, written as JSONL to `out`; returns counts and read errors.")
#if SITREP_HAVE_STORE
      .def("ingest", &PyPipeline::Ingest, py::arg("paths"), py::arg("db"), py::arg("threads") = 0,
           "Extracts and stores into a SQLite file or postgresql:// URL (idempotent).")
#endif
      ;
  m.def("read", &Read, py::arg("paths"),
        "Reads documents (as the CLI does) and returns them as dicts, without extracting.");
  m.attr("HAVE_STORE") = static_cast<bool>(SITREP_HAVE_STORE);
}
