#pragma once

// Helpers of the SQLite implementation (store/sqlite_*.cpp only).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

namespace gw::store::detail {

/// Owns a prepared statement for one call.
class statement {
public:
  statement(sqlite3* db, const char* sql) {
    sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr);
  }
  ~statement() {
    sqlite3_finalize(stmt_);
  }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  sqlite3_stmt* get() const {
    return stmt_;
  }

  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()),
                      SQLITE_TRANSIENT);
  }

  void bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
  }

  std::string text(int i) const {
    auto p = sqlite3_column_text(stmt_, i);
    auto n = sqlite3_column_bytes(stmt_, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(n))
             : std::string{};
  }

  int64_t int64(int i) const {
    return sqlite3_column_int64(stmt_, i);
  }

private:
  sqlite3_stmt* stmt_ = nullptr;
};

/// Runs `sql` (a SELECT; with ` WHERE tenant = ?` appended when `tenant`
/// is not empty) and calls `row(st)` for each row. Returns SQLite's last
/// step code: SQLITE_DONE when every row was read.
template <class F>
int select_each(sqlite3* db, std::string sql, const std::string& tenant,
                F&& row) {
  if (!tenant.empty())
    sql += " WHERE tenant = ?";
  statement st(db, sql.c_str());
  if (!tenant.empty())
    st.bind(1, tenant);
  int rc = SQLITE_DONE;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW)
    row(st);
  return rc;
}

inline std::string
metadata_to_json(const std::vector<std::pair<std::string, std::string>>& md) {
  auto arr = nlohmann::json::array();
  for (const auto& [k, v] : md)
    arr.push_back({k, v});
  return arr.dump();
}

inline std::vector<std::pair<std::string, std::string>>
metadata_from_json(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  auto arr = nlohmann::json::parse(text, nullptr, false);
  if (!arr.is_array())
    return out;
  for (const auto& kv : arr)
    if (kv.is_array() && kv.size() == 2)
      out.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
  return out;
}

} // namespace gw::store::detail
