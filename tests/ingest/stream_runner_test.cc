// The ordered streaming runner: order, bounded batches, cut-off documents.
#include "ingest/stream_runner.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace sitrep::ingest {
namespace {

ProduceFn Numbers(int n) {
  return [n](const DocumentSink& sink) {
    for (int i = 0; i < n; ++i) {
      Document d;
      d.id = std::to_string(i);
      d.text = std::string(static_cast<size_t>(i % 7) * 100, 'x');
      if (!sink(std::move(d))) return;
    }
  };
}

TEST(StreamRunner, ResultsComeBackInInputOrder) {
  for (unsigned threads : {1u, 2u, 4u}) {
    std::vector<std::string> seen;
    RunOptions o;
    o.threads = threads;
    o.batch_docs = 7;
    RunStats st = RunOrderedStream(
        Numbers(1000),
        [](const Document& d) {
          // Uneven work so that workers finish out of order.
          if (std::stoi(d.id) % 13 == 0) std::this_thread::sleep_for(std::chrono::microseconds(300));
          Extraction x;
          x.doc_id = d.id;
          return x;
        },
        [&](const Document& d, Extraction&& x) {
          EXPECT_EQ(d.id, x.doc_id);
          seen.push_back(x.doc_id);
        },
        {}, o);
    ASSERT_EQ(seen.size(), 1000u);
    for (int i = 0; i < 1000; ++i) ASSERT_EQ(seen[static_cast<size_t>(i)], std::to_string(i));
    EXPECT_EQ(st.documents, 1000u);
    EXPECT_EQ(st.timed_out, 0u);
  }
}

TEST(StreamRunner, ExceptionsBecomeWarnings) {
  std::vector<Extraction> out;
  RunOptions o;
  o.threads = 2;
  RunOrderedStream(
      Numbers(5),
      [](const Document& d) -> Extraction {
        if (d.id == "2") throw std::runtime_error("boom");
        Extraction x;
        x.doc_id = d.id;
        return x;
      },
      [&](const Document&, Extraction&& x) { out.push_back(std::move(x)); }, {}, o);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[2].doc_id, "2");
  ASSERT_EQ(out[2].warnings.size(), 1u);
  EXPECT_NE(out[2].warnings[0].find("boom"), std::string::npos);
}

// A document that never finishes by itself is cut off; the others go on, in
// order, and the late result is dropped.
TEST(StreamRunner, StuckDocumentIsCutOff) {
  struct Gate {
    std::mutex m;
    std::condition_variable cv;
    bool open = false;
    bool finished = false;
  };
  auto gate = std::make_shared<Gate>();
  std::vector<std::string> seen, cut;
  RunOptions o;
  o.threads = 2;
  o.doc_timeout_seconds = 0.2;
  RunStats st = RunOrderedStream(
      Numbers(50),
      [gate](const Document& d) {
        if (d.id == "10") {
          std::unique_lock<std::mutex> lock(gate->m);
          gate->cv.wait(lock, [&] { return gate->open; });
          gate->finished = true;
          gate->cv.notify_all();
        }
        Extraction x;
        x.doc_id = d.id;
        return x;
      },
      [&](const Document&, Extraction&& x) { seen.push_back(x.doc_id); },
      [&](const Document& d, double seconds) {
        cut.push_back(d.id);
        EXPECT_GE(seconds, 0.2);
      },
      o);
  ASSERT_EQ(cut, std::vector<std::string>{"10"});
  ASSERT_EQ(seen.size(), 49u);
  EXPECT_EQ(seen[9], "9");
  EXPECT_EQ(seen[10], "11");
  EXPECT_EQ(st.timed_out, 1u);
  EXPECT_EQ(st.stuck_workers, 1u);
  // Let the detached worker finish before the test ends.
  std::unique_lock<std::mutex> lock(gate->m);
  gate->open = true;
  gate->cv.notify_all();
  gate->cv.wait(lock, [&] { return gate->finished; });
  lock.unlock();
  // The runner's shared state (holding our lambda, hence `gate`) goes when
  // the detached worker has returned.
  for (int i = 0; i < 2000 && gate.use_count() > 1; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(gate.use_count(), 1);
}

TEST(StreamRunner, EmptyInput) {
  int n = 0;
  RunStats st = RunOrderedStream([](const DocumentSink&) {}, [](const Document&) { return Extraction{}; },
                                 [&](const Document&, Extraction&&) { ++n; }, {}, RunOptions{});
  EXPECT_EQ(n, 0);
  EXPECT_EQ(st.documents, 0u);
}

}  // namespace
}  // namespace sitrep::ingest
