// A minimal SQL connection used by the store: parameterised statements with
// `?` placeholders, rows of nullable text, explicit transactions. SQLite and
// PostgreSQL implement it, so the store's logic and SQL are written once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sitrep::store {

// A bound parameter: NULL, integer, real or text. Text is either owned or a
// view of a string that outlives the statement's execution (the ingest binds
// document texts, evidence and ids without copying them).
using Value = std::variant<std::monostate, int64_t, double, std::string, std::string_view>;
using Params = std::vector<Value>;
using Field = std::optional<std::string>;
using Row = std::vector<Field>;

inline Value Null() { return std::monostate{}; }
inline Value Opt(const std::optional<int>& v) {
  return v ? Value(static_cast<int64_t>(*v)) : Null();
}
inline Value Opt(const std::optional<double>& v) { return v ? Value(*v) : Null(); }
inline Value View(const std::string& s) { return std::string_view(s); }

// A statement prepared once per connection (Db::Prepare) and run many times:
// the SQL text is not built, hashed and compared again at each run.
struct Stmt {
  size_t id = 0;
};

enum class Dialect { kSqlite, kPostgres };

class Db {
 public:
  virtual ~Db() = default;
  virtual Dialect dialect() const = 0;
  // Runs one statement (or, without params, a script of statements).
  virtual void Exec(const std::string& sql, const Params& params = {}) = 0;
  virtual std::vector<Row> Query(const std::string& sql, const Params& params = {}) = 0;
  // Prepares `sql` (once: the same text gives the same Stmt) for the two below.
  virtual Stmt Prepare(const std::string& sql) = 0;
  virtual void Exec(Stmt stmt, const Params& params) = 0;
  virtual std::vector<Row> Query(Stmt stmt, const Params& params) = 0;
  // Starts a write transaction; writers are serialised across processes.
  virtual void BeginWrite() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
  // SQLite: the words of `text` as the full-text index splits them (its own
  // tokenizer), each one term of a MATCH query. Empty elsewhere.
  virtual std::vector<std::string> FullTextTerms(const std::string& /*text*/) { return {}; }
  // SQLite: the rowid of the row inserted last on this connection (cheaper
  // than RETURNING, which collects its rows in a temporary table). -1
  // elsewhere.
  virtual int64_t LastInsertRowid() { return -1; }
};

// Opens a SQLite file (WAL, busy timeout) or throws StoreError.
std::unique_ptr<Db> OpenSqlite(const std::string& path);
// Read-only (SQLITE_OPEN_READONLY + query_only: the file is never written)
// and/or with a time cap per statement (0: none; past it the statement fails
// with StoreError "interrupted"). Used by `sitrep serve`.
std::unique_ptr<Db> OpenSqlite(const std::string& path, bool read_only, int query_timeout_ms);
// Opens a PostgreSQL connection (libpq URL) or throws StoreError.
std::unique_ptr<Db> OpenPostgres(const std::string& url);

inline int64_t ToInt(const Field& f, int64_t def = 0) {
  return f && !f->empty() ? std::stoll(*f) : def;
}
inline std::optional<int> ToOptInt(const Field& f) {
  if (!f || f->empty()) return std::nullopt;
  return static_cast<int>(std::stoll(*f));
}
inline std::optional<double> ToOptDouble(const Field& f) {
  if (!f || f->empty()) return std::nullopt;
  return std::stod(*f);
}
inline std::string ToStr(const Field& f) { return f ? *f : std::string(); }

}  // namespace sitrep::store
