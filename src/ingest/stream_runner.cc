#include "ingest/stream_runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace sitrep::ingest {
namespace {

using Clock = std::chrono::steady_clock;

enum DocState : uint8_t { kQueued, kRunning, kDone, kAbandoned };

constexpr size_t kWakeRun = 16;  // see Work()

struct Batch {
  std::vector<Document> docs;
  std::vector<Extraction> results;
  std::vector<uint8_t> state;
  std::vector<Clock::time_point> started;
  std::vector<unsigned> worker;  // who runs each document
  size_t next_claim = 0;
  size_t next_emit = 0;
  size_t bytes = 0;  // text bytes of docs
};

enum WorkerState : uint8_t { kActive, kExited, kCutOff };

// Everything the threads share; held by shared_ptr so that a worker cut off
// and detached can finish safely after the run has returned.
struct Shared {
  explicit Shared(ExtractFn f) : extract(std::move(f)) {}
  ExtractFn extract;
  std::mutex m;
  std::condition_variable cv_work, cv_space, cv_done;
  std::deque<std::shared_ptr<Batch>> window;  // not yet emitted, in order
  size_t window_docs = 0;   // documents and text bytes in `window`
  size_t window_bytes = 0;
  std::deque<std::shared_ptr<Batch>> queue;   // with unclaimed documents
  std::vector<WorkerState> workers;
  bool producer_done = false;
  std::atomic<bool> stop{false};
  std::atomic<unsigned> idle{0};
};

void Work(std::shared_ptr<Shared> s, unsigned self) {
  std::unique_lock<std::mutex> lock(s->m);
  while (true) {
    // Idle only when there is nothing to claim: counting a worker passing
    // between two documents as idle made the producer flush batches of one.
    if (s->queue.empty() && !s->producer_done && !s->stop) {
      s->idle.fetch_add(1);
      s->cv_work.wait(lock, [&] { return !s->queue.empty() || s->producer_done || s->stop; });
      s->idle.fetch_sub(1);
    }
    if (s->queue.empty()) break;
    std::shared_ptr<Batch> b = s->queue.front();
    size_t i = b->next_claim++;
    if (b->next_claim == b->docs.size()) s->queue.pop_front();
    b->state[i] = kRunning;
    b->started[i] = Clock::now();
    b->worker[i] = self;
    lock.unlock();
    Extraction x;
    try {
      x = s->extract(b->docs[i]);
    } catch (const std::exception& e) {
      x = Extraction{};
      x.doc_id = b->docs[i].id;
      x.warnings.push_back(std::string("extraction failed: ") + e.what());
    }
    lock.lock();
    if (b->state[i] == kAbandoned) break;  // replaced by a fresh worker: retire
    b->results[i] = std::move(x);
    b->state[i] = kDone;
    // The calling thread waits only for the oldest batch's next document:
    // wake it when that batch has done the rest of its documents or
    // kWakeRun of them in a row from there, not for every document (a
    // context switch per document). It also wakes by itself every 200 ms.
    if (!s->window.empty() && s->window.front() == b) {
      size_t j = b->next_emit;
      while (j < b->docs.size() && b->state[j] == kDone && j - b->next_emit < kWakeRun) ++j;
      if (j == b->docs.size() || j - b->next_emit >= kWakeRun) {
        // Notified without the lock, so that it is free when the caller wakes.
        lock.unlock();
        s->cv_done.notify_all();
        lock.lock();
      }
    }
  }
  s->workers[self] = kExited;
}

}  // namespace

RunStats RunOrderedStream(const ProduceFn& produce, ExtractFn extract, const ResultFn& on_result,
                          const TimeoutFn& on_timeout, const RunOptions& o, const TickFn& tick) {
  RunStats stats;
  auto s = std::make_shared<Shared>(std::move(extract));
  const unsigned nthreads = std::max(1u, o.threads);
  // In flight: `window` batches' worth of documents and bytes. (Counting
  // batches let batches of one document, flushed to idle workers, shrink
  // the window to a few documents: workers then idled and every document
  // became its own batch.)
  const size_t window = o.window_batches > 0 ? o.window_batches : 4 * nthreads + 2;
  const size_t window_docs = window * std::max<size_t>(1, o.batch_docs);
  const size_t window_bytes = window * std::max<size_t>(1, o.batch_bytes);
  std::vector<std::thread> threads;
  auto spawn = [&] {  // with s->m held
    unsigned id = static_cast<unsigned>(s->workers.size());
    s->workers.push_back(kActive);
    threads.emplace_back(Work, s, id);
  };
  {
    std::lock_guard<std::mutex> lock(s->m);
    for (unsigned t = 0; t < nthreads; ++t) spawn();
  }

  std::thread producer([&] {
    auto batch = std::make_shared<Batch>();
    size_t bytes = 0;
    auto flush = [&] {
      if (batch->docs.empty()) return;
      size_t n = batch->docs.size();
      batch->results.resize(n);
      batch->state.assign(n, kQueued);
      batch->started.resize(n);
      batch->worker.assign(n, 0);
      batch->bytes = bytes;
      std::unique_lock<std::mutex> lock(s->m);
      s->cv_space.wait(lock, [&] {
        return s->window.empty() ||
               (s->window_docs < window_docs && s->window_bytes < window_bytes) || s->stop;
      });
      bool was_empty = s->window.empty();
      s->window.push_back(batch);
      s->window_docs += n;
      s->window_bytes += bytes;
      s->queue.push_back(batch);
      lock.unlock();
      // Wake only who waits for this: idle workers, and the calling thread
      // when it had nothing in the window.
      if (s->idle.load() > 0) s->cv_work.notify_all();
      if (was_empty) s->cv_done.notify_all();
      batch = std::make_shared<Batch>();
      bytes = 0;
    };
    try {
      produce([&](Document&& d) {
        bytes += d.text.size();
        batch->docs.push_back(std::move(d));
        // Batches amortise locking; when workers are idle, feed them at once
        // (the first output comes quickly, a slow stdin is not held back).
        if (batch->docs.size() >= o.batch_docs || bytes >= o.batch_bytes || s->idle.load() > 0)
          flush();
        return !s->stop.load();
      });
    } catch (...) {
    }
    flush();
    std::lock_guard<std::mutex> lock(s->m);
    s->producer_done = true;
    s->cv_work.notify_all();
    s->cv_done.notify_all();
  });

  auto last_tick = Clock::now();
  auto maybe_tick = [&](std::unique_lock<std::mutex>& lock, bool force) {
    if (!tick) return;
    auto now = Clock::now();
    if (!force && now - last_tick < std::chrono::milliseconds(100)) return;
    last_tick = now;
    lock.unlock();
    tick(stats.documents, stats.bytes);
    lock.lock();
  };
  const auto timeout = std::chrono::duration<double>(o.doc_timeout_seconds);
  {
    std::unique_lock<std::mutex> lock(s->m);
    while (true) {
      if (s->window.empty()) {
        if (s->producer_done) break;
        s->cv_done.wait_for(lock, std::chrono::milliseconds(200));
        maybe_tick(lock, false);
        continue;
      }
      std::shared_ptr<Batch> b = s->window.front();
      size_t i = b->next_emit;
      if (i == b->docs.size()) {
        s->window.pop_front();
        s->window_docs -= b->docs.size();
        s->window_bytes -= b->bytes;
        s->cv_space.notify_one();
        continue;
      }
      if (b->state[i] == kDone) {
        // Hand on every finished document in a row with one unlock: no
        // worker touches a finished document's slots again.
        size_t end = i + 1;
        while (end < b->docs.size() && b->state[end] == kDone) ++end;
        lock.unlock();
        for (size_t k = i; k < end; ++k) {
          on_result(b->docs[k], std::move(b->results[k]));
          ++stats.documents;
          stats.bytes += b->docs[k].text.size();
          b->docs[k] = Document{};  // free it now; the batch lives on
          b->results[k] = Extraction{};
        }
        lock.lock();
        b->next_emit = end;
        maybe_tick(lock, false);
        continue;
      }
      auto wait = std::chrono::duration<double>(0.2);
      if (b->state[i] == kRunning && o.doc_timeout_seconds > 0) {
        auto ran = Clock::now() - b->started[i];
        if (ran >= timeout) {
          b->state[i] = kAbandoned;
          s->workers[b->worker[i]] = kCutOff;
          spawn();  // keep the pool at strength
          ++stats.timed_out;
          double sec = std::chrono::duration<double>(ran).count();
          lock.unlock();
          if (on_timeout) on_timeout(b->docs[i], sec);
          lock.lock();
          b->next_emit = i + 1;
          continue;
        }
        wait = std::min(wait, std::chrono::duration<double>(timeout - ran));
      }
      s->cv_done.wait_for(lock, wait);
      maybe_tick(lock, false);
    }
    s->stop = true;
    s->cv_work.notify_all();
    s->cv_space.notify_all();
    maybe_tick(lock, true);
  }
  producer.join();
  {
    std::lock_guard<std::mutex> lock(s->m);
    for (size_t t = 0; t < threads.size(); ++t) {
      if (s->workers[t] == kCutOff) {
        threads[t].detach();
        ++stats.stuck_workers;
      }
    }
  }
  for (auto& t : threads)
    if (t.joinable()) t.join();
  return stats;
}

}  // namespace sitrep::ingest
