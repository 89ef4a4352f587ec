// PostgreSQL implementation of store::Db over libpqxx. `?` placeholders are
// rewritten to $1..$n; values travel as text (NULL as a null pointer). Write
// transactions take one advisory lock so that concurrent ingests take turns,
// as they do on SQLite.
#include <pqxx/pqxx>

#include <unordered_map>
#include <vector>

#include "sitrep/store.h"
#include "store/db.h"

namespace sitrep::store {
namespace {

std::string Placeholders(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string ToText(const Value& v) {
  if (std::holds_alternative<int64_t>(v)) return std::to_string(std::get<int64_t>(v));
  if (std::holds_alternative<double>(v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", std::get<double>(v));
    return buf;
  }
  if (std::holds_alternative<std::string_view>(v)) return std::string(std::get<std::string_view>(v));
  return std::get<std::string>(v);
}

class PgDb final : public Db {
 public:
  explicit PgDb(const std::string& url) {
    try {
      conn_ = std::make_unique<pqxx::connection>(url);
      pqxx::nontransaction n(*conn_);
      n.exec("SET client_min_messages = warning");
    } catch (const std::exception& e) {
      throw StoreError(std::string("postgresql: ") + e.what());
    }
  }
  ~PgDb() override {
    tx_.reset();
  }

  Dialect dialect() const override { return Dialect::kPostgres; }

  void Exec(const std::string& sql, const Params& params) override { Run(sql, params, nullptr); }

  std::vector<Row> Query(const std::string& sql, const Params& params) override {
    std::vector<Row> rows;
    Run(sql, params, &rows);
    return rows;
  }

  // The statements are prepared on the server at their first run (Run).
  Stmt Prepare(const std::string& sql) override {
    auto it = ids_.find(sql);
    if (it != ids_.end()) return Stmt{it->second};
    ids_.emplace(sql, sqls_.size());
    sqls_.push_back(sql);
    return Stmt{sqls_.size() - 1};
  }
  void Exec(Stmt stmt, const Params& params) override { Run(sqls_.at(stmt.id), params, nullptr); }
  std::vector<Row> Query(Stmt stmt, const Params& params) override {
    std::vector<Row> rows;
    Run(sqls_.at(stmt.id), params, &rows);
    return rows;
  }

  void BeginWrite() override {
    try {
      tx_ = std::make_unique<pqxx::work>(*conn_);
      tx_->exec("SELECT pg_advisory_xact_lock(732917)");
    } catch (const std::exception& e) {
      tx_.reset();
      throw StoreError(std::string("postgresql: ") + e.what());
    }
  }
  void Commit() override {
    if (!tx_) return;
    try {
      tx_->commit();
      tx_.reset();
    } catch (const std::exception& e) {
      tx_.reset();
      throw StoreError(std::string("postgresql: ") + e.what());
    }
  }
  void Rollback() override {
    if (!tx_) return;
    try {
      tx_->abort();
    } catch (...) {
    }
    tx_.reset();
  }

 private:
  void Run(const std::string& sql, const Params& params, std::vector<Row>* rows) {
    try {
      std::vector<std::string> text(params.size());
      std::vector<const char*> ptrs(params.size(), nullptr);
      for (size_t i = 0; i < params.size(); ++i) {
        if (std::holds_alternative<std::monostate>(params[i])) continue;
        text[i] = ToText(params[i]);
        ptrs[i] = text[i].c_str();
      }
      pqxx::result r;
      if (params.empty()) {
        std::string q = Placeholders(sql);
        if (tx_) {
          r = tx_->exec(q);
        } else {
          pqxx::nontransaction n(*conn_);
          r = n.exec(q);
        }
      } else {
        // Named server-side statements, one per SQL text: an ingest runs the
        // same dozen statements per document, and parsing and planning each
        // again cost more than running it.
        auto it = prepared_.find(sql);
        if (it == prepared_.end()) {
          std::string name = "s" + std::to_string(prepared_.size());
          conn_->prepare(name, Placeholders(sql));
          it = prepared_.emplace(sql, name).first;
        }
        if (tx_) {
          r = tx_->exec_prepared(it->second, pqxx::prepare::make_dynamic_params(ptrs));
        } else {
          pqxx::nontransaction n(*conn_);
          r = n.exec_prepared(it->second, pqxx::prepare::make_dynamic_params(ptrs));
        }
      }
      if (!rows) return;
      rows->reserve(r.size());
      for (const auto& row : r) {
        Row out(row.size());
        for (pqxx::row::size_type c = 0; c < row.size(); ++c)
          if (!row[c].is_null()) out[c] = std::string(row[c].c_str(), row[c].size());
        rows->push_back(std::move(out));
      }
    } catch (const pqxx::sql_error& e) {
      throw StoreError(std::string("postgresql: ") + e.what() + " in: " + sql);
    } catch (const StoreError&) {
      throw;
    } catch (const std::exception& e) {
      throw StoreError(std::string("postgresql: ") + e.what());
    }
  }

  std::unique_ptr<pqxx::connection> conn_;
  std::unique_ptr<pqxx::work> tx_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  std::vector<std::string> sqls_;                          // Prepare(): SQL by Stmt id
  std::unordered_map<std::string, size_t> ids_;
};

}  // namespace

std::unique_ptr<Db> OpenPostgres(const std::string& url) { return std::make_unique<PgDb>(url); }

}  // namespace sitrep::store
