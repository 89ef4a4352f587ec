// SQLite implementation of store::Db: WAL journal, a busy timeout so that
// concurrent writers wait their turn, prepared statements cached per SQL text.
#include <sqlite3.h>

#include <chrono>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sitrep/store.h"
#include "store/db.h"

namespace sitrep::store {
namespace {

class SqliteDb final : public Db {
 public:
  explicit SqliteDb(const std::string& path, bool read_only = false, int timeout_ms = 0)
      : timeout_ms_(timeout_ms) {
    // Allocation statistics take a global mutex around every malloc (some 3%
    // of ingest); nothing reads them. Only possible before SQLite starts.
    static std::once_flag once;
    std::call_once(once, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
    int rc = sqlite3_open_v2(path.c_str(), &db_,
                             (read_only ? SQLITE_OPEN_READONLY
                                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                                 SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      db_ = nullptr;
      throw StoreError(path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, read_only ? 2000 : 60000);
    if (timeout_ms_ > 0) sqlite3_progress_handler(db_, 4000, &SqliteDb::Progress, this);
    if (read_only) {
      Exec("PRAGMA query_only=1", {});
      Exec("PRAGMA cache_size=-65536", {});
      Exec("PRAGMA temp_store=MEMORY", {});
      return;
    }
    // New files only (a page size is fixed once the file has pages): 16 KB
    // pages take a quarter of the write calls of 4 KB ones for the same
    // bytes (an ingest of release-length documents spent 15% of its CPU in
    // the kernel with 4 KB) and split a quarter as often.
    Exec("PRAGMA page_size=16384", {});
    Exec("PRAGMA journal_mode=WAL", {});
    // Safe with WAL: a commit is appended to the log and synced at the next
    // checkpoint; a crash or kill -9 (the process, not the machine) loses
    // nothing committed, and a power loss at most the last transactions,
    // never consistency.
    Exec("PRAGMA synchronous=NORMAL", {});
    Exec("PRAGMA foreign_keys=OFF", {});
    Exec("PRAGMA cache_size=-65536", {});
    Exec("PRAGMA temp_store=MEMORY", {});
  }
  ~SqliteDb() override {
    for (auto& [sql, st] : cache_) sqlite3_finalize(st);
    for (auto& [sql, st] : stmts_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  void Exec(const std::string& sql, const Params& params) override {
    if (params.empty() && sql.find(';') != std::string::npos) {
      char* err = nullptr;
      if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "error";
        sqlite3_free(err);
        throw StoreError("sqlite: " + msg);
      }
      return;
    }
    Run(sql, params, nullptr);
  }

  std::vector<Row> Query(const std::string& sql, const Params& params) override {
    std::vector<Row> rows;
    Run(sql, params, &rows);
    return rows;
  }

  Stmt Prepare(const std::string& sql) override {
    auto it = ids_.find(sql);
    if (it != ids_.end()) return Stmt{it->second};
    sqlite3_stmt* st = Prepare(sql.c_str(), sql.size());
    ids_.emplace(sql, stmts_.size());
    stmts_.push_back({sql, st});
    return Stmt{stmts_.size() - 1};
  }
  void Exec(Stmt stmt, const Params& params) override {
    const auto& [sql, st] = stmts_.at(stmt.id);
    Run(st, sql, params, nullptr);
  }
  std::vector<Row> Query(Stmt stmt, const Params& params) override {
    std::vector<Row> rows;
    const auto& [sql, st] = stmts_.at(stmt.id);
    Run(st, sql, params, &rows);
    return rows;
  }

  int64_t LastInsertRowid() override { return sqlite3_last_insert_rowid(db_); }

  std::vector<std::string> FullTextTerms(const std::string& text) override {
    // FTS5's own unicode61 tokenizer (documents_fts uses it with its default
    // arguments), reached through the fts5_api pointer that `SELECT fts5(?)`
    // hands out.
    fts5_api* api = nullptr;
    sqlite3_stmt* st = Cached("SELECT fts5(?)");
    sqlite3_reset(st);
    sqlite3_bind_pointer(st, 1, &api, "fts5_api_ptr", nullptr);
    sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    void* user = nullptr;
    fts5_tokenizer tok{};
    if (!api || api->xFindTokenizer(api, "unicode61", &user, &tok) != SQLITE_OK)
      throw StoreError("sqlite: no FTS5 unicode61 tokenizer");
    Fts5Tokenizer* t = nullptr;
    if (tok.xCreate(user, nullptr, 0, &t) != SQLITE_OK)
      throw StoreError("sqlite: cannot create the FTS5 tokenizer");
    struct Out {
      const std::string* text;
      std::vector<std::string> terms;
    } out{&text, {}};
    // The words as written (not folded): each is one token again when the
    // query is tokenized.
    auto add = [](void* ctx, int, const char*, int, int start, int end) {
      auto* o = static_cast<Out*>(ctx);
      o->terms.push_back(o->text->substr(static_cast<size_t>(start),
                                         static_cast<size_t>(end - start)));
      return SQLITE_OK;
    };
    int rc = tok.xTokenize(t, &out, FTS5_TOKENIZE_QUERY, text.data(),
                           static_cast<int>(text.size()), add);
    tok.xDelete(t);
    if (rc != SQLITE_OK) throw StoreError("sqlite: cannot tokenize the text query");
    return std::move(out.terms);
  }

  void BeginWrite() override { Exec("BEGIN IMMEDIATE", {}); }
  void Commit() override { Exec("COMMIT", {}); }
  void Rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

 private:
  sqlite3_stmt* Prepare(const char* sql, size_t size) {
    sqlite3_stmt* st = nullptr;
    // PREPARE_PERSISTENT: these statements live as long as the connection.
    if (sqlite3_prepare_v3(db_, sql, static_cast<int>(size), SQLITE_PREPARE_PERSISTENT, &st,
                           nullptr) != SQLITE_OK)
      throw StoreError(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " +
                       std::string(sql, size));
    return st;
  }

  sqlite3_stmt* Cached(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = Prepare(sql.c_str(), sql.size());
    cache_.emplace(sql, st);
    return st;
  }

  static int Progress(void* self) {
    auto* d = static_cast<SqliteDb*>(self);
    return std::chrono::steady_clock::now() > d->deadline_ ? 1 : 0;
  }

  void Run(const std::string& sql, const Params& params, std::vector<Row>* rows) {
    Run(Cached(sql), sql, params, rows);
  }

  void Run(sqlite3_stmt* st, const std::string& sql, const Params& params,
           std::vector<Row>* rows) {
    if (timeout_ms_ > 0)
      deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      const Value& v = params[i];
      if (std::holds_alternative<int64_t>(v))
        sqlite3_bind_int64(st, idx, std::get<int64_t>(v));
      else if (std::holds_alternative<double>(v))
        sqlite3_bind_double(st, idx, std::get<double>(v));
      else if (std::holds_alternative<std::string>(v)) {
        const auto& s = std::get<std::string>(v);
        // Not copied: `params` outlives the statement's execution, and the
        // bindings are cleared before the statement is run again.
        sqlite3_bind_text(st, idx, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      } else if (std::holds_alternative<std::string_view>(v)) {
        auto s = std::get<std::string_view>(v);
        sqlite3_bind_text(st, idx, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
      } else
        sqlite3_bind_null(st, idx);
    }
    for (;;) {
      int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) {
        std::string msg = sqlite3_errmsg(db_);
        sqlite3_reset(st);
        throw StoreError("sqlite: " + msg + " in: " + sql);
      }
      if (!rows) continue;
      int n = sqlite3_column_count(st);
      Row row(static_cast<size_t>(n));
      for (int c = 0; c < n; ++c) {
        if (sqlite3_column_type(st, c) == SQLITE_NULL) continue;
        const unsigned char* t = sqlite3_column_text(st, c);
        row[static_cast<size_t>(c)] =
            std::string(reinterpret_cast<const char*>(t),
                        static_cast<size_t>(sqlite3_column_bytes(st, c)));
      }
      rows->push_back(std::move(row));
    }
    sqlite3_reset(st);
  }

  sqlite3* db_ = nullptr;
  int timeout_ms_ = 0;
  std::chrono::steady_clock::time_point deadline_{};
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
  // Statements of Prepare(): by Stmt id, and the id of each SQL text.
  std::vector<std::pair<std::string, sqlite3_stmt*>> stmts_;
  std::unordered_map<std::string, size_t> ids_;
};

}  // namespace

std::unique_ptr<Db> OpenSqlite(const std::string& path) {
  return std::make_unique<SqliteDb>(path);
}

std::unique_ptr<Db> OpenSqlite(const std::string& path, bool read_only, int query_timeout_ms) {
  return std::make_unique<SqliteDb>(path, read_only, query_timeout_ms);
}

}  // namespace sitrep::store
